// Caption protocol messages (docs/caption-protocol.md) as pure functions: reading what the server
// sends on the "captions" data channel, and building what the client may send back.

/** Largest server message, in characters, the client reads; larger ones are dropped as malformed. */
export const MAX_SERVER_MESSAGE_CHARS = 256 * 1024;

/** Largest control message the server accepts, in bytes (UTF-8). */
export const MAX_CONTROL_MESSAGE_BYTES = 4096;

const SERVER_TYPES = Object.freeze({
  Results: 'result',
  SpeechStarted: 'speechStarted',
  UtteranceEnd: 'utteranceEnd',
  Metadata: 'metadata',
  Warning: 'warning',
  Error: 'error',
  Dtmf: 'dtmf',
});

/**
 * Parses one server message. Returns `{ ok: true, message }` for a JSON object with a string `type`,
 * otherwise `{ ok: false, reason }`. Never throws.
 */
export function parseServerMessage(data) {
  if (typeof data !== 'string') return { ok: false, reason: 'a binary message (captions are text)' };
  if (data.length > MAX_SERVER_MESSAGE_CHARS) return { ok: false, reason: `a message longer than ${MAX_SERVER_MESSAGE_CHARS} characters` };
  let m;
  try {
    m = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return { ok: false, reason: 'not a JSON object' };
  if (typeof m.type !== 'string') return { ok: false, reason: 'no "type"' };
  return { ok: true, message: m };
}

/**
 * Which handler a server message goes to: 'result', 'speechStarted', 'utteranceEnd', 'metadata',
 * 'warning', 'error', 'dtmf', or 'unknown' (a type this client does not know; newer servers may add some).
 */
export function routeOf(message) {
  return Object.hasOwn(SERVER_TYPES, message.type) ? SERVER_TYPES[message.type] : 'unknown';
}

/** The transcript of a Results message ('' when it has none). */
export function transcriptOf(result) {
  const alt = result?.channel?.alternatives?.[0];
  return typeof alt?.transcript === 'string' ? alt.transcript : '';
}

/** The words of a Results message, each `{ word, start, end, confidence, punctuated_word }` ([] when none). */
export function wordsOf(result) {
  const words = result?.channel?.alternatives?.[0]?.words;
  return Array.isArray(words) ? words.filter((w) => w && typeof w.word === 'string') : [];
}

/** The control messages a client may send. */
export const KEEP_ALIVE = Object.freeze({ type: 'KeepAlive' });
export const FINALIZE = Object.freeze({ type: 'Finalize' });
export const CLOSE_STREAM = Object.freeze({ type: 'CloseStream' });

const CONFIGURE_FIELDS = Object.freeze({
  interim_results: (v) => typeof v === 'boolean' || 'must be true or false',
  endpointing: (v) => v === false || (Number.isInteger(v) && v >= 10 && v <= 60000) || 'must be a whole number of milliseconds from 10 to 60000, or false',
  utterance_end_ms: (v) => (Number.isInteger(v) && v >= 1000 && v <= 60000) || 'must be a whole number of milliseconds from 1000 to 60000',
  vad_events: (v) => typeof v === 'boolean' || 'must be true or false',
  numerals: (v) => typeof v === 'boolean' || 'must be true or false',
  model: (v) => (typeof v === 'string' && v.length > 0 && v.length <= 200) || 'must be a model name',
});

/** The option names a Configure message may carry. */
export const CONFIGURE_OPTION_NAMES = Object.freeze(Object.keys(CONFIGURE_FIELDS));

/**
 * Builds a Configure message from options, checking them as the server does, so that a mistake is
 * reported at once and in words rather than as a server Error later. Fields left undefined are omitted.
 * Returns `{ ok: true, message }` or `{ ok: false, reason }`.
 */
export function buildConfigure(options) {
  if (options === null || typeof options !== 'object') return { ok: false, reason: 'Configure options must be an object' };
  const message = { type: 'Configure' };
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const check = CONFIGURE_FIELDS[name];
    if (!check) return { ok: false, reason: `unknown option "${name}" (known: ${CONFIGURE_OPTION_NAMES.join(', ')})` };
    const verdict = check(value);
    if (verdict !== true) return { ok: false, reason: `option "${name}" ${verdict}` };
    message[name] = value;
  }
  if (new TextEncoder().encode(JSON.stringify(message)).length > MAX_CONTROL_MESSAGE_BYTES) {
    return { ok: false, reason: `Configure message longer than ${MAX_CONTROL_MESSAGE_BYTES} bytes` };
  }
  return { ok: true, message };
}
