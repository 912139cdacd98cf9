// The subset of the SignalR JSON hub protocol that the captions client needs, as pure functions:
// no sockets, no timers. The WebSocket driver is lib/hub-connection.js.
//
// Wire format (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md):
// every message is a JSON object followed by the record separator 0x1E. The client first sends the
// handshake {"protocol":"json","version":1}; the server answers {} (or {"error":"…"}).

/** The record separator that ends every JSON hub message. */
export const RECORD_SEPARATOR = '\u001e';

/** Hub message types used by this client. */
export const HubMessageType = Object.freeze({
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
});

/** Largest message, in characters, that the client accepts before giving up on the connection. */
export const MAX_RECORD_CHARS = 1 << 20;

/** One hub message as it goes on the wire. */
export function encodeRecord(message) {
  return JSON.stringify(message) + RECORD_SEPARATOR;
}

/** The first thing a client sends. */
export function handshakeRequest() {
  return encodeRecord({ protocol: 'json', version: 1 });
}

/** An invocation that expects a completion (the server answers with type 3 and this id). */
export function invocation(invocationId, target, args) {
  return encodeRecord({ type: HubMessageType.Invocation, invocationId: String(invocationId), target, arguments: args });
}

/** A keep-alive; the server drops clients it has not heard from for its ClientTimeoutInterval (30 s by default). */
export function ping() {
  return encodeRecord({ type: HubMessageType.Ping });
}

/**
 * Splits the text that arrives on the socket into records. A WebSocket frame may hold several
 * records, or (rarely) part of one; the unfinished tail waits for the next frame, up to a bound.
 */
export class RecordSplitter {
  #pending = '';
  #maxChars;

  constructor(maxChars = MAX_RECORD_CHARS) {
    this.#maxChars = maxChars;
  }

  /** Adds received text; returns the complete records, or an error when a record grows past the bound. */
  push(text) {
    const all = this.#pending + text;
    const parts = all.split(RECORD_SEPARATOR);
    this.#pending = parts.pop();
    if (this.#pending.length > this.#maxChars) {
      this.#pending = '';
      return { records: parts, error: `a hub message is longer than ${this.#maxChars} characters` };
    }
    return { records: parts, error: null };
  }
}

/** Reads the server's handshake response: `{}` is success, `{"error":"…"}` a refusal. */
export function parseHandshakeResponse(record) {
  let value;
  try {
    value = JSON.parse(record);
  } catch {
    return { ok: false, error: 'the server answered the handshake with something that is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'the server answered the handshake with something that is not an object' };
  }
  if (typeof value.error === 'string') return { ok: false, error: value.error };
  return { ok: true, error: null };
}

/**
 * Reads one hub message. Returns `{ ok: true, message }` with a known type and the fields that type
 * needs, or `{ ok: false, reason }`. Never throws.
 */
export function parseHubMessage(record) {
  let m;
  try {
    m = JSON.parse(record);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return { ok: false, reason: 'not a JSON object' };
  switch (m.type) {
    case HubMessageType.Invocation:
      if (typeof m.target !== 'string') return { ok: false, reason: 'invocation without a target' };
      if (!Array.isArray(m.arguments)) return { ok: false, reason: 'invocation without arguments' };
      return { ok: true, message: m };
    case HubMessageType.Completion:
      if (typeof m.invocationId !== 'string') return { ok: false, reason: 'completion without an invocationId' };
      if (m.error !== undefined && typeof m.error !== 'string') return { ok: false, reason: 'completion with a non-text error' };
      return { ok: true, message: m };
    case HubMessageType.Ping:
      return { ok: true, message: m };
    case HubMessageType.Close:
      if (m.error !== undefined && m.error !== null && typeof m.error !== 'string') return { ok: false, reason: 'close with a non-text error' };
      return { ok: true, message: m };
    case HubMessageType.StreamItem:
    case HubMessageType.StreamInvocation:
    case HubMessageType.CancelInvocation:
      return { ok: false, reason: `streaming message type ${m.type} is not used by this client` };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(m.type)}` };
  }
}

/** Turns an http(s) or relative hub URL into the ws(s) URL, with the access token as SignalR passes it. */
export function webSocketUrl(hubUrl, baseUrl, accessToken) {
  const url = new URL(hubUrl, baseUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`hub URL must be http(s) or ws(s): ${hubUrl}`);
  if (accessToken) url.searchParams.set('access_token', accessToken);
  return url.toString();
}
