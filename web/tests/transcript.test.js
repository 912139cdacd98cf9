import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript, formatStreamTime } from '../lib/transcript.js';

const result = (seq, text, { start = 0, duration = 1, is_final = false, speech_final = false, from_finalize = false, words } = {}) => ({
  type: 'Results', session_id: 's', seq, start, duration, is_final, speech_final, from_finalize,
  channel: { alternatives: [{ transcript: text, words: words ?? [] }] },
});

test('interim text is kept apart from final text, and finals of one utterance join until speech_final', () => {
  const t = new Transcript();
  t.startClock(10_000);
  assert.equal(t.apply(result(1, 'four'), 11_100), 'interim');
  assert.deepEqual(t.interim, { text: 'four', start: 0, end: 1 });
  assert.equal(t.utterances.length, 0);
  assert.equal(t.apply(result(2, 'four one', { is_final: true, duration: 1.3, words: [{ word: 'four', end: 0.72 }, { word: 'one', end: 1.2 }] }), 11_500), 'final');
  assert.equal(t.interim, null);
  assert.equal(t.apply(result(3, 'five', { start: 1.3, duration: 0.5 }), 11_900), 'interim');
  assert.equal(t.openUtterance.text, 'four one');
  assert.equal(t.apply(result(4, 'five two', { is_final: true, speech_final: true, start: 1.3, duration: 1.1, words: [{ word: 'two', end: 2.28 }] }), 12_700), 'closed');
  assert.equal(t.utterances.length, 1);
  const [u] = t.utterances;
  assert.equal(u.text, 'four one five two');
  assert.equal(u.closed, true);
  assert.equal(u.start, 0);
  assert.ok(Math.abs(u.end - 2.4) < 1e-9);
  // The last word ended at stream time 2.28 s = wall 12 280 ms; the final arrived at 12 700 ms.
  assert.equal(u.latencyMs, 420);
  assert.equal(t.plainText(), 'four one five two');
  assert.equal(t.timedText(), '[00:00.00 → 00:02.40] four one five two');
});

test('the clock anchor moves earlier when a result arrives sooner than the anchor allows (latency never negative)', () => {
  const t = new Transcript();
  t.startClock(10_000);
  // Stream time 1.0 s arriving at wall 10 700 means stream time 0 was at most 9 700.
  t.apply(result(1, 'a', { is_final: true, speech_final: true, words: [{ word: 'a', end: 1.0 }] }), 10_700);
  assert.equal(t.utterances[0].latencyMs, 0);
  t.apply(result(2, 'b', { start: 2, is_final: true, speech_final: true, words: [{ word: 'b', end: 2.5 }] }), 12_500);
  assert.equal(t.utterances[1].latencyMs, 300);
});

test('UtteranceEnd, Finalize and Metadata close the open utterance; empty finals add nothing', () => {
  const t = new Transcript();
  t.apply(result(1, 'one', { is_final: true }), 0);
  assert.equal(t.apply({ type: 'UtteranceEnd', session_id: 's', seq: 2, last_word_end: 1 }, 0), 'closed');
  assert.equal(t.apply({ type: 'UtteranceEnd', session_id: 's', seq: 3 }, 0), 'none');
  assert.equal(t.apply(result(4, '', { is_final: true, speech_final: true }), 0), 'none');
  assert.equal(t.apply(result(5, 'two', { is_final: true, from_finalize: true, start: 3 }), 0), 'closed');
  assert.equal(t.utterances[1].fromFinalize, true);
  t.apply(result(6, 'thr'), 0);
  t.apply(result(7, 'three', { is_final: true, start: 5 }), 0);
  assert.equal(t.apply({ type: 'Metadata', session_id: 's', seq: 8, duration: 6 }, 0), 'closed');
  assert.equal(t.plainText(), 'one\ntwo\nthree');
  assert.equal(t.utterances.length, 3);
});

test('the .jsonl log holds every message except interim results, one per line', () => {
  const t = new Transcript();
  t.apply({ type: 'SpeechStarted', session_id: 's', seq: 1, timestamp: 0.38 }, 0);
  t.apply(result(2, 'fo'), 0);
  t.apply(result(3, 'four', { is_final: true }), 0);
  t.apply({ type: 'Warning', session_id: 's', seq: 4, code: 'overload' }, 0);
  const lines = t.jsonLines().trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((m) => m.seq), [1, 3, 4]);
  assert.equal(new Transcript().jsonLines(), '');
});

test('an interrupted session ends the open utterance; bounds drop the oldest entries and count them', () => {
  const t = new Transcript({ maxUtterances: 2, maxLogEntries: 3 });
  t.apply(result(1, 'a', { is_final: true }), 0);
  t.apply(result(2, 'b'), 0);
  t.interrupt();
  assert.equal(t.interim, null);
  assert.equal(t.openUtterance, null);
  t.apply(result(3, 'c', { is_final: true, speech_final: true }), 0);
  t.apply(result(4, 'd', { is_final: true, speech_final: true }), 0);
  assert.equal(t.plainText(), 'c\nd');
  assert.equal(t.droppedUtterances, 1);
  assert.equal(t.log.length, 3);
  assert.equal(t.droppedLogEntries, 0);
  t.apply({ type: 'Warning', seq: 5 }, 0);
  assert.equal(t.droppedLogEntries, 1);
});

test('stream time is shown as mm:ss.cc, with hours past an hour', () => {
  assert.equal(formatStreamTime(0), '00:00.00');
  assert.equal(formatStreamTime(2.28), '00:02.28');
  assert.equal(formatStreamTime(61.005), '01:01.01');
  assert.equal(formatStreamTime(3725.5), '1:02:05.50');
  assert.equal(formatStreamTime(null), '–');
  assert.equal(formatStreamTime(-1), '–');
});
