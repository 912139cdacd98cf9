import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallWatch, MAX_EARLY_PUSHES } from '../lib/call-watch.js';

const msg = (seq, extra = {}) => ({ type: 'Results', session_id: 's1', seq, call_id: 'c1', ...extra });
const seqs = (list) => list.map((m) => m.seq);

test('pushes that beat the answer wait for it; history and pushes apply once, in order', () => {
  const w = new CallWatch('c1');
  assert.deepEqual(w.push(msg(3)), []);
  assert.deepEqual(w.push(msg(4)), []);
  assert.equal(w.joined, false);
  assert.deepEqual(seqs(w.join({ messages: [msg(1), msg(2), msg(3)] })), [1, 2, 3, 4]);
  assert.equal(w.joined, true);
  assert.deepEqual(seqs(w.push(msg(4))), []);
  assert.deepEqual(seqs(w.push(msg(5))), [5]);
  assert.equal(w.dropped, 2); // seq 3 from the early push, seq 4 pushed again
});

test("another call's messages and malformed ones are dropped", () => {
  const w = new CallWatch('c1');
  w.join({ messages: [msg(1), { ...msg(2), call_id: 'c2' }, null, 'text'] });
  assert.deepEqual(w.push({ ...msg(3), call_id: 'c2' }), []);
  assert.deepEqual(w.push(msg(2, { seq: 'x' })), []);
  assert.equal(w.dropped, 5);
  assert.deepEqual(seqs(w.push(msg(2))), [2]);
});

test('an answer without messages still joins, and early pushes stay bounded', () => {
  const w = new CallWatch('c1');
  for (let i = 1; i <= MAX_EARLY_PUSHES + 3; i++) w.push(msg(i));
  const applied = w.join(undefined);
  assert.equal(applied.length, MAX_EARLY_PUSHES);
  assert.equal(applied[0].seq, 4);
  assert.equal(w.dropped, 3);
});
