// Errors explained in plain words. Each failure the client can meet gets a stable `code` (for
// programs), a short `title` and a `message` a person can act on (for the page), and whether trying
// again may help. Pure: it only looks at the error values it is given.

/** The plain-word explanation of each error code. */
export const ERROR_TEXT = Object.freeze({
  microphone_denied: ['Microphone blocked', 'The browser was not allowed to use the microphone. Allow microphone access for this page (the icon in the address bar), then press Start again.', true],
  microphone_missing: ['No microphone found', 'No microphone is connected, or none matches what was asked for. Plug one in or pick another input device, then press Start again.', true],
  microphone_busy: ['Microphone unavailable', 'The microphone is in use by another program or could not be started. Close the other program, then press Start again.', true],
  insecure_page: ['Page not secure', 'Browsers only share the microphone with pages served over HTTPS (or from localhost). Open this page through https://.', false],
  webrtc_unsupported: ['Browser not supported', 'This browser does not support WebRTC, which live captions need. Use a current Chrome, Edge, Firefox or Safari.', false],
  auth_required: ['API key needed', 'This server needs an API key before it gives out captions. Enter your key, then press Start again.', false],
  auth_refused: ['Access refused', 'The server refused the API key or the access token (it may be wrong or expired). Check the key, then press Start again.', false],
  limit_reached: ['Server busy', 'The server has reached its limit of live sessions. Wait a minute and try again.', true],
  overloaded: ['Server overloaded', 'The server is too busy to take this stream right now. Wait a minute and try again.', true],
  server_unreachable: ['Cannot reach the server', 'The captions server did not answer. Check your network connection and that the server is running, then try again.', true],
  network_lost: ['Connection lost', 'The connection to the captions server dropped. Trying to reconnect…', true],
  reconnect_failed: ['Connection lost', 'The connection to the captions server dropped and could not be restored. Check your network, then press Start again.', true],
  media_failed: ['Audio connection failed', 'The audio connection to the server could not be set up (a firewall may block UDP). Try another network, or ask the server operator.', true],
  bad_offer: ['Connection setup refused', 'The server could not accept this browser\'s connection offer (no common audio codec or data channel). Try a current browser.', false],
  calls_not_allowed: ['Calls not allowed', 'This API key may not watch phone calls (a key for captioning your own microphone is not enough). Ask the server\'s operator for a key with call watching (WatchCalls), then try again.', false],
  unknown_call: ['Call not found', 'That call has ended or does not exist. Refresh the list of calls.', false],
  bad_option: ['Setting not accepted', 'A caption setting was not accepted.', false],
  server_error: ['Server error', 'The server met an error. Try again; if it keeps happening, tell the server operator.', true],
  timeout: ['No answer', 'The server took too long to answer. Check your network, then try again.', true],
  closed: ['Stopped', 'The captions session is closed.', false],
});

/** Codes the hub uses at the start of its error text ("session_limit: …"), mapped to ours. */
const HUB_CODES = Object.freeze({
  unauthorized: 'auth_refused',
  forbidden: 'calls_not_allowed', // the hub's only "forbidden": a key without WatchCalls asking to watch a call
  session_limit: 'limit_reached',
  watch_limit: 'limit_reached',
  overloaded: 'overloaded',
  bad_offer: 'bad_offer',
  unknown_call: 'unknown_call',
  unknown_session: 'server_error',
  bad_request: 'server_error',
});

/** An error of the captions client: `code` says what failed; `detail` is the technical cause. */
export class CaptionsError extends Error {
  constructor(code, detail = '', cause = undefined) {
    const [title, text, retryable] = ERROR_TEXT[code] ?? ERROR_TEXT.server_error;
    super(detail ? `${text} (${detail})` : text, cause === undefined ? undefined : { cause });
    this.name = 'CaptionsError';
    this.code = Object.hasOwn(ERROR_TEXT, code) ? code : 'server_error';
    this.title = title;
    this.plainMessage = text;
    this.detail = detail;
    this.retryable = retryable;
  }
}

/** Explains what getUserMedia threw (a DOMException, by its name). */
export function microphoneError(error) {
  const name = error?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new CaptionsError('microphone_denied', name, error);
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new CaptionsError('microphone_missing', name, error);
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new CaptionsError('microphone_busy', name, error);
    default:
      return new CaptionsError('microphone_busy', name || String(error?.message ?? error), error);
  }
}

/**
 * Explains an error the hub returned for an invocation. ASP.NET Core SignalR sends a HubException as
 * "An unexpected error occurred invoking 'Offer' on the server. HubException: session_limit: …";
 * the code is the first word after "HubException: " (or at the start of the text).
 */
export function hubError(text) {
  const s = String(text ?? '');
  const marker = s.indexOf('HubException: ');
  const tail = marker >= 0 ? s.slice(marker + 'HubException: '.length) : s;
  const m = /^([a-z][a-z_]*):\s*(.*)$/s.exec(tail);
  if (m && Object.hasOwn(HUB_CODES, m[1])) return new CaptionsError(HUB_CODES[m[1]], m[2] || m[1]);
  return new CaptionsError('server_error', tail || 'no detail');
}

/** Explains an HTTP status from the server's REST endpoints (token grant, call list). */
export function httpError(status, what, hadKey) {
  if (status === 401) return new CaptionsError(hadKey ? 'auth_refused' : 'auth_required', `${what}: HTTP 401`);
  if (status === 403) return new CaptionsError('auth_refused', `${what}: HTTP 403`);
  if (status === 429) return new CaptionsError('limit_reached', `${what}: HTTP 429`);
  if (status === 503) return new CaptionsError('overloaded', `${what}: HTTP 503`);
  if (status === 404) return new CaptionsError('server_error', `${what}: not found on this server (HTTP 404)`);
  return new CaptionsError('server_error', `${what}: HTTP ${status}`);
}

/** Any thrown value as a CaptionsError (unknown errors become 'server_error' with their message). */
export function explainError(error) {
  if (error instanceof CaptionsError) return error;
  // @microsoft/signalr's HubConnection rejects with a plain Error carrying the hub's text.
  if (typeof error?.message === 'string' && error.message.includes('HubException: ')) return hubError(error.message);
  if (error?.name === 'TypeError' && /fetch|network/i.test(String(error.message))) {
    return new CaptionsError('server_unreachable', String(error.message), error);
  }
  return new CaptionsError('server_error', String(error?.message ?? error), error);
}
