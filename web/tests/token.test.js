import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchToken } from '../lib/token.js';

const answer = (status, body) => async (url, init) => ({ status, ok: status >= 200 && status < 300, json: async () => body, url, init });

test('the API key goes in "Authorization: Token"; the access token comes back', async () => {
  let seen;
  const token = await fetchToken('k1', { fetchFn: async (url, init) => { seen = { url, init }; return answer(200, { access_token: 'jwt', expires_in: 30 })(); } });
  assert.equal(token, 'jwt');
  assert.equal(seen.url, '/v1/auth/grant');
  assert.equal(seen.init.method, 'POST');
  assert.deepEqual(seen.init.headers, { Authorization: 'Token k1' });
});

test('no endpoint means no token; refusals and outages are explained', async () => {
  assert.equal(await fetchToken('', { fetchFn: answer(404) }), null);
  assert.equal(await fetchToken('', { fetchFn: answer(204) }), null);
  await assert.rejects(fetchToken('', { fetchFn: answer(401) }), { code: 'auth_required' });
  await assert.rejects(fetchToken('bad', { fetchFn: answer(401) }), { code: 'auth_refused' });
  await assert.rejects(fetchToken('k', { fetchFn: answer(200, { nope: 1 }) }), { code: 'server_error' });
  await assert.rejects(fetchToken('k', { fetchFn: async () => { throw new TypeError('Failed to fetch'); } }), { code: 'server_unreachable' });
});
