// Assembles caption messages into a transcript: settled utterances (from final results) apart from
// the current interim hypothesis, with each utterance's stream time and how long its final text took
// to arrive after the speech ended. Pure: the wall-clock time of each message is passed in.

import { transcriptOf, wordsOf } from './caption-messages.js';

/** Default bounds: a transcript of a long session stays a bounded size. */
export const DEFAULT_TRANSCRIPT_LIMITS = Object.freeze({ maxUtterances: 5000, maxLogEntries: 20000 });

/**
 * One utterance: `segments` are the final results that make it up (`{ text, start, end }`, stream
 * seconds); `closed` once the speaker paused (speech_final), the stream was finalized, or an
 * UtteranceEnd arrived; `latencyMs` the delay from the end of its last word to the arrival of its
 * last final result (an estimate that includes the network, see `Transcript.startClock`).
 */
export class Utterance {
  segments = [];
  closed = false;
  latencyMs = null;
  fromFinalize = false;

  constructor(id) {
    this.id = id;
  }

  get text() {
    return this.segments.map((s) => s.text).filter((t) => t.length > 0).join(' ');
  }

  get start() {
    return this.segments.length ? this.segments[0].start : null;
  }

  get end() {
    return this.segments.length ? this.segments[this.segments.length - 1].end : null;
  }
}

export class Transcript {
  /** Settled utterances, oldest first (the last may still be open). */
  utterances = [];
  /** The current interim hypothesis `{ text, start, end }`, or null. */
  interim = null;
  /** Server messages other than interim results, as received (for the .jsonl download). */
  log = [];
  droppedUtterances = 0;
  droppedLogEntries = 0;

  #limits;
  #nextId = 1;
  #anchorMs = null;

  constructor(limits = {}) {
    this.#limits = { ...DEFAULT_TRANSCRIPT_LIMITS, ...limits };
  }

  /**
   * Tells the transcript the wall-clock time (ms) at which audio started to flow: stream time 0.
   * Latency estimates start from it; the estimate is refined downwards whenever a result arrives
   * sooner after its stream time than the anchor allows, so a latency is never negative.
   */
  startClock(nowMs) {
    this.#anchorMs = nowMs;
  }

  /** The open utterance (receiving final segments), or null. */
  get openUtterance() {
    const last = this.utterances[this.utterances.length - 1];
    return last && !last.closed ? last : null;
  }

  /**
   * Applies one accepted server message received at wall-clock `nowMs`. Returns what changed:
   * 'interim', 'final' (a segment was added), 'closed' (an utterance ended), or 'none'.
   */
  apply(message, nowMs) {
    switch (message.type) {
      case 'Results':
        return this.#applyResult(message, nowMs);
      case 'UtteranceEnd':
        this.#remember(message);
        return this.#closeOpen() ? 'closed' : 'none';
      case 'Metadata':
        this.#remember(message);
        this.interim = null;
        return this.#closeOpen() ? 'closed' : 'none';
      default:
        this.#remember(message);
        return 'none';
    }
  }

  /** The session was replaced by a new one (it could not be resumed): end what was open. */
  interrupt() {
    this.interim = null;
    this.#closeOpen();
  }

  /** Settled text, one utterance per line (no interim). */
  plainText() {
    return this.utterances.map((u) => u.text).filter((t) => t.length > 0).join('\n');
  }

  /** Settled text with each utterance's stream time, one per line: `[00:01.20 → 00:02.28] text`. */
  timedText() {
    return this.utterances
      .filter((u) => u.text.length > 0)
      .map((u) => `[${formatStreamTime(u.start)} → ${formatStreamTime(u.end)}] ${u.text}`)
      .join('\n');
  }

  /** The received messages (except interim results), one JSON object per line. */
  jsonLines() {
    return this.log.map((m) => JSON.stringify(m)).join('\n') + (this.log.length ? '\n' : '');
  }

  #applyResult(message, nowMs) {
    const text = transcriptOf(message).trim();
    const start = finiteOr(message.start, 0);
    const end = start + finiteOr(message.duration, 0);
    const words = wordsOf(message);
    const speechEnd = words.length ? finiteOr(words[words.length - 1].end, end) : end;
    this.#refineAnchor(nowMs, speechEnd);

    if (message.is_final !== true) {
      this.interim = text.length ? { text, start, end } : null;
      return 'interim';
    }
    this.#remember(message);
    this.interim = null;
    let changed = 'none';
    if (text.length) {
      let u = this.openUtterance;
      if (!u) u = this.#newUtterance();
      u.segments.push({ text, start, end });
      u.latencyMs = this.#anchorMs === null ? null : Math.max(0, Math.round(nowMs - (this.#anchorMs + speechEnd * 1000)));
      if (message.from_finalize === true) u.fromFinalize = true;
      changed = 'final';
    }
    if (message.speech_final === true || message.from_finalize === true) {
      if (this.#closeOpen()) changed = 'closed';
    }
    return changed;
  }

  #refineAnchor(nowMs, streamSeconds) {
    const implied = nowMs - streamSeconds * 1000;
    if (this.#anchorMs === null || implied < this.#anchorMs) this.#anchorMs = implied;
  }

  #newUtterance() {
    const u = new Utterance(this.#nextId++);
    this.utterances.push(u);
    if (this.utterances.length > this.#limits.maxUtterances) {
      this.utterances.shift();
      this.droppedUtterances++;
    }
    return u;
  }

  #closeOpen() {
    const u = this.openUtterance;
    if (!u) return false;
    u.closed = true;
    return true;
  }

  #remember(message) {
    this.log.push(message);
    if (this.log.length > this.#limits.maxLogEntries) {
      this.log.shift();
      this.droppedLogEntries++;
    }
  }
}

/** Stream time in seconds as `mm:ss.cc` (or `h:mm:ss.cc` past an hour); '–' when unknown. */
export function formatStreamTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const centis = Math.round(seconds * 100);
  const h = Math.floor(centis / 360000);
  const m = Math.floor((centis % 360000) / 6000);
  const s = Math.floor((centis % 6000) / 100);
  const c = centis % 100;
  const mm = String(m).padStart(2, '0');
  const ss = `${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function finiteOr(value, fallback) {
  return Number.isFinite(value) ? value : fallback;
}
