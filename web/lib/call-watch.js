// Joins what a watched phone call has said so far (the answer of WatchCall) with the messages the server pushes
// live (Caption), so each message is applied once and in order: pushes that arrive before the answer wait for
// it, and anything whose seq was already applied is dropped. Pure: the page applies what this returns.

import { SeqFilter } from './seq-filter.js';

/** The most pushes kept while WatchCall's answer is on its way; beyond it the oldest are dropped (a gap). */
export const MAX_EARLY_PUSHES = 1024;

export class CallWatch {
  /** Messages dropped: repeats of applied ones, other calls' messages, or pushes beyond MAX_EARLY_PUSHES. */
  dropped = 0;

  #callId;
  #seq = new SeqFilter();
  #early = [];
  #joined = false;

  constructor(callId) {
    this.#callId = callId;
  }

  get callId() {
    return this.#callId;
  }

  /** Whether WatchCall's answer has been applied (pushes then apply at once). */
  get joined() {
    return this.#joined;
  }

  /** A live push: returns the messages to apply now (none while the answer is awaited). */
  push(message) {
    if (!this.#mine(message)) return [];
    if (!this.#joined) {
      this.#early.push(message);
      if (this.#early.length > MAX_EARLY_PUSHES) {
        this.#early.shift();
        this.dropped++;
      }
      return [];
    }
    return this.#accept(message) ? [message] : [];
  }

  /** WatchCall's answer (`{ messages }`): returns its messages, then the pushes that came before it, each once, in order. */
  join(answer) {
    const history = Array.isArray(answer?.messages) ? answer.messages : [];
    const out = [];
    for (const m of [...history, ...this.#early]) {
      if (this.#mine(m) && this.#accept(m)) out.push(m);
    }
    this.#early = [];
    this.#joined = true;
    return out;
  }

  #mine(message) {
    if (message && typeof message === 'object' && message.call_id === this.#callId) return true;
    this.dropped++;
    return false;
  }

  #accept(message) {
    if (this.#seq.accept(message).accept) return true;
    this.dropped++;
    return false;
  }
}
