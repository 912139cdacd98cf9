// Demo mode: a stand-in for connect() that needs no microphone and no server. It plays the canned
// stream of lib/demo-script.js through the same handlers, parsing and de-duplication as a live
// session, so a person can see what the page does, and the pages can be checked in every state.
//
// Scenarios: 'captions' (default), 'connecting' (stays connecting), 'denied' (microphone blocked),
// 'limit' (server refuses: session limit), 'reconnect' (drops mid-stream, resumes, replays duplicates).

import { demoEvents, demoMessage } from './demo-script.js';
import { parseServerMessage, routeOf, buildConfigure } from './caption-messages.js';
import { SeqFilter } from './seq-filter.js';
import { CaptionsError } from './plain-errors.js';
import { ConnectionState, isTerminal } from './connection-state.js';

export const DEMO_SCENARIOS = Object.freeze(['captions', 'connecting', 'denied', 'limit', 'reconnect']);

/** Same shape as connect() of captions-client.js. */
export function connectDemo(o, scenario = 'captions') {
  const session = new DemoSession(o, DEMO_SCENARIOS.includes(scenario) ? scenario : 'captions');
  session.start();
  return session;
}

class DemoSession {
  state = ConnectionState.Idle;
  peerId = 'demo-peer';
  ready;
  #o;
  #scenario;
  #seq = new SeqFilter();
  #numerals = false;
  #timers = new Set();
  #sent = 0;
  #reconnects = 0;
  #resolve;
  #reject;

  constructor(o, scenario) {
    this.#o = o;
    this.#scenario = scenario;
    if (o.options?.numerals === true) this.#numerals = true;
    this.ready = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.ready.catch(() => {});
  }

  get sessionId() {
    return this.#seq.sessionId;
  }

  get stats() {
    return { duplicates: this.#seq.duplicates, missed: this.#seq.missed, reconnects: this.#reconnects, lastSeq: this.#seq.lastSeq };
  }

  start() {
    this.#state(ConnectionState.Connecting, {});
    if (this.#scenario === 'connecting') return;
    if (this.#scenario === 'denied') return this.#later(() => this.#fail(new CaptionsError('microphone_denied', 'NotAllowedError (demo)')), 400);
    if (this.#scenario === 'limit') return this.#later(() => this.#fail(new CaptionsError('limit_reached', '64 live sessions (demo)')), 700);
    this.#later(() => {
      this.#state(ConnectionState.Live, { resumed: false, peerId: this.peerId, reconnects: 0 });
      this.#resolve(this);
      this.#play(demoEvents(), 0);
    }, 600);
    return undefined;
  }

  finalize() {
    return this.state === ConnectionState.Live;
  }

  configure(options) {
    const built = buildConfigure(options);
    if (!built.ok) throw new CaptionsError('bad_option', built.reason);
    if (typeof options.numerals === 'boolean') this.#numerals = options.numerals;
  }

  async close() {
    if (isTerminal(this.state)) return;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.state === ConnectionState.Live) {
      this.#deliver({ type: 'Metadata', session_id: 'demo-session', seq: ++this.#sent, request_id: 'demo-session', created: new Date().toISOString(), duration: 0, channels: 1, models: ['demo'] });
    }
    this.#state(ConnectionState.Closed, {});
    this.#reject(new CaptionsError('closed'));
  }

  #liveSince = 0;

  /** Schedules events from index `from` at their times since the stream began (late ones at once, as a replay). */
  #play(events, from) {
    if (from === 0) this.#liveSince = Date.now();
    const elapsed = Date.now() - this.#liveSince;
    for (let i = from; i < events.length; i++) {
      const e = events[i];
      this.#later(() => {
        if (this.#scenario === 'reconnect' && this.#reconnects === 0 && e.kind === 'final' && e.utterance === 1) {
          this.#dropAndResume(events, i);
          return;
        }
        this.#deliver(demoMessage(e, { seq: ++this.#sent, sessionId: 'demo-session', numerals: this.#numerals }));
      }, e.atMs - elapsed);
      if (this.#scenario === 'reconnect' && this.#reconnects === 0 && e.kind === 'final' && e.utterance === 1) break;
    }
  }

  #dropAndResume(events, index) {
    this.#o.onError?.(Object.assign(new CaptionsError('network_lost', 'the captions channel closed (demo)'), { fatal: false }));
    this.#state(ConnectionState.Reconnecting, { attempt: 1, maxAttempts: 6, delayMs: 500 });
    this.#later(() => {
      this.#reconnects++;
      this.#state(ConnectionState.Live, { resumed: true, peerId: 'demo-peer-2', reconnects: 1 });
      // A resuming server replays from the last seq it is told; two of these are duplicates here.
      const last = this.#sent;
      for (const seq of [last - 1, last]) this.#deliver({ type: 'Warning', session_id: 'demo-session', seq, code: 'replayed', description: 'already delivered' });
      this.#play(events, index);
    }, 2500);
  }

  #deliver(message) {
    const parsed = parseServerMessage(JSON.stringify(message));
    if (!parsed.ok) return;
    if (!this.#seq.accept(parsed.message).accept) return;
    const m = parsed.message;
    this.#o.onMessage?.(m);
    const route = routeOf(m);
    const handler = { result: 'onResult', speechStarted: 'onSpeechStarted', utteranceEnd: 'onUtteranceEnd', metadata: 'onMetadata', warning: 'onWarning' }[route];
    if (handler) this.#o[handler]?.(m);
  }

  #fail(error) {
    error.fatal = true;
    this.#state(ConnectionState.Failed, { error });
    this.#o.onError?.(error);
    this.#reject(error);
  }

  #state(state, info) {
    this.state = state;
    this.#o.onStateChange?.(state, info);
  }

  #later(fn, ms) {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.#timers.add(t);
  }
}
