// Gets a short-lived access token for the signaling hub: POST /v1/auth/grant, with the API key in
// `Authorization: Token <key>` (as Deepgram's grant endpoint takes it), or without a key where the
// server allows this client unauthenticated. 204 (this client may connect without credentials) and 404 (a server
// without the endpoint) both mean: no token needed.

import { CaptionsError, httpError } from './plain-errors.js';

/** Returns the token, or null when the server needs none. Throws a CaptionsError in plain words. */
export async function fetchToken(apiKey, { grantUrl = '/v1/auth/grant', fetchFn = globalThis.fetch } = {}) {
  let res;
  try {
    res = await fetchFn(grantUrl, { method: 'POST', headers: apiKey ? { Authorization: `Token ${apiKey}` } : {} });
  } catch (e) {
    throw new CaptionsError('server_unreachable', `token grant: ${e?.message ?? e}`, e);
  }
  if (res.status === 204 || res.status === 404) return null;
  if (!res.ok) throw httpError(res.status, 'token grant', Boolean(apiKey));
  let body;
  try {
    body = await res.json();
  } catch {
    throw new CaptionsError('server_error', 'token grant: the answer is not JSON');
  }
  if (typeof body?.access_token !== 'string' || body.access_token.length === 0) {
    throw new CaptionsError('server_error', 'token grant: no access_token in the answer');
  }
  return body.access_token;
}
