import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptionsError, ERROR_TEXT, microphoneError, hubError, httpError, explainError } from '../lib/plain-errors.js';

test('getUserMedia failures become microphone errors in plain words', () => {
  const dom = (name) => Object.assign(new Error('x'), { name });
  assert.equal(microphoneError(dom('NotAllowedError')).code, 'microphone_denied');
  assert.match(microphoneError(dom('NotAllowedError')).message, /Allow microphone access/);
  assert.equal(microphoneError(dom('NotFoundError')).code, 'microphone_missing');
  assert.equal(microphoneError(dom('OverconstrainedError')).code, 'microphone_missing');
  assert.equal(microphoneError(dom('NotReadableError')).code, 'microphone_busy');
  assert.equal(microphoneError(dom('WeirdError')).code, 'microphone_busy');
});

test('hub errors: the code after "HubException: " picks the explanation', () => {
  const e = hubError("An unexpected error occurred invoking 'Offer' on the server. HubException: session_limit: 64 live sessions");
  assert.equal(e.code, 'limit_reached');
  assert.equal(e.title, 'Server busy');
  assert.equal(e.detail, '64 live sessions');
  assert.equal(e.retryable, true);
  assert.equal(hubError('unauthorized: token expired').code, 'auth_refused');
  assert.equal(hubError('HubException: unknown_call: call-9').code, 'unknown_call');
  const notAllowed = hubError("HubException: forbidden: the API key 'web-app' may not watch phone calls; set WatchCalls to true for it under WebRtcAsr:Auth:Keys");
  assert.equal(notAllowed.code, 'calls_not_allowed');
  assert.match(notAllowed.message, /may not watch phone calls/);
  assert.equal(hubError('HubException: bad_offer: no opus').code, 'bad_offer');
  const other = hubError("An unexpected error occurred invoking 'Offer' on the server.");
  assert.equal(other.code, 'server_error');
  assert.equal(hubError('toString: x').code, 'server_error');
});

test('HTTP statuses from the REST endpoints', () => {
  assert.equal(httpError(401, 'token grant', false).code, 'auth_required');
  assert.equal(httpError(401, 'token grant', true).code, 'auth_refused');
  assert.equal(httpError(403, 'calls', true).code, 'auth_refused');
  assert.equal(httpError(429, 'calls', true).code, 'limit_reached');
  assert.equal(httpError(503, 'calls', true).code, 'overloaded');
  assert.match(httpError(500, 'calls', true).detail, /HTTP 500/);
});

test('every code has a title and a sentence; unknown errors become server_error', () => {
  for (const [code, [title, text]] of Object.entries(ERROR_TEXT)) {
    assert.ok(title.length > 0 && /[.…]$/.test(text), code);
    assert.equal(new CaptionsError(code).code, code);
  }
  assert.equal(new CaptionsError('no_such_code').code, 'server_error');
  assert.equal(explainError(new TypeError('Failed to fetch')).code, 'server_unreachable');
  assert.equal(explainError('boom').code, 'server_error');
  assert.equal(explainError(new Error("An unexpected error occurred invoking 'Offer' on the server. HubException: session_limit: 64")).code, 'limit_reached');
  const known = new CaptionsError('timeout');
  assert.equal(explainError(known), known);
});
