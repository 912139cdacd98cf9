import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeqFilter } from '../lib/seq-filter.js';

const msg = (seq, session_id = 's1') => ({ type: 'Results', session_id, seq });

test('messages replayed after a resume are dropped by seq; new ones pass', () => {
  const f = new SeqFilter();
  assert.deepEqual([1, 2, 3].map((s) => f.accept(msg(s)).accept), [true, true, true]);
  assert.deepEqual(f.resumePoint(), { sessionId: 's1', lastSeq: 3 });
  // The server replays from lastSeq, and one more it sent while the connection was down.
  const replay = [2, 3, 4, 5].map((s) => f.accept(msg(s)));
  assert.deepEqual(replay.map((r) => r.accept), [false, false, true, true]);
  assert.match(replay[0].reason, /duplicate seq 2 \(last was 3\)/);
  assert.equal(f.duplicates, 2);
  assert.equal(f.lastSeq, 5);
});

test('a skipped seq is counted as a gap', () => {
  const f = new SeqFilter();
  f.accept(msg(1));
  const r = f.accept(msg(4));
  assert.equal(r.accept, true);
  assert.equal(r.gap, 2);
  assert.equal(f.missed, 2);
});

test('a different session id starts counting again and says so', () => {
  const f = new SeqFilter();
  assert.equal(f.accept(msg(1)).newSession, false);
  f.accept(msg(9));
  const r = f.accept(msg(1, 's2'));
  assert.deepEqual(r, { accept: true, newSession: true, gap: 0, reason: null });
  assert.deepEqual(f.resumePoint(), { sessionId: 's2', lastSeq: 1 });
});

test('messages without a usable seq are not accepted', () => {
  const f = new SeqFilter();
  assert.equal(f.resumePoint(), null);
  for (const seq of [undefined, 0, -1, 1.5, '1', Number.MAX_SAFE_INTEGER + 2]) {
    assert.equal(f.accept({ type: 'Results', session_id: 's', seq }).accept, false, String(seq));
  }
  assert.equal(f.lastSeq, 0);
});
