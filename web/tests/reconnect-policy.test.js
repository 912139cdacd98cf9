import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, ReconnectPolicy, DEFAULT_RECONNECT } from '../lib/reconnect-policy.js';

test('delays double from the base up to the cap; jitter only shortens them', () => {
  const opts = { baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.2 };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, opts, 0)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(backoffDelay(3, opts, 0.5), 1800);
  assert.equal(backoffDelay(3, opts, 0.999999), 1600);
  assert.equal(backoffDelay(1000, opts, 0), 8000);
  assert.throws(() => backoffDelay(0, opts, 0), RangeError);
});

test('attempts are bounded and a reset starts over', () => {
  const p = new ReconnectPolicy({ maxAttempts: 3, jitter: 0 });
  assert.deepEqual([p.next(0), p.next(0), p.next(0), p.next(0)], [500, 1000, 2000, null]);
  assert.equal(p.attempts, 3);
  p.reset();
  assert.equal(p.next(0), 500);
  assert.equal(new ReconnectPolicy().maxAttempts, DEFAULT_RECONNECT.maxAttempts);
  assert.equal(new ReconnectPolicy({ maxAttempts: 0 }).next(0), null);
});

test('nonsense options are refused up front', () => {
  assert.throws(() => new ReconnectPolicy({ maxAttempts: -1 }), RangeError);
  assert.throws(() => new ReconnectPolicy({ baseDelayMs: 0 }), RangeError);
  assert.throws(() => new ReconnectPolicy({ baseDelayMs: 900, maxDelayMs: 800 }), RangeError);
  assert.throws(() => new ReconnectPolicy({ jitter: 1 }), RangeError);
});
