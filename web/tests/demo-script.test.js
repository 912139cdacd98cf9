import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoEvents, demoMessage, withNumerals, DEMO_UTTERANCES } from '../lib/demo-script.js';
import { Transcript } from '../lib/transcript.js';
import { SeqFilter } from '../lib/seq-filter.js';
import { parseServerMessage } from '../lib/caption-messages.js';

test('spoken digit runs become numbers', () => {
  assert.deepEqual(withNumerals(['my', 'number', 'is', 'four', 'one', 'five', 'two']), ['my', 'number', 'is', '4152']);
  assert.deepEqual(withNumerals(['one', 'and', 'two']), ['1', 'and', '2']);
  assert.deepEqual(withNumerals([]), []);
});

test('the demo stream, played through the same logic as a live one, gives its sentences; the interim guess is corrected', () => {
  const events = demoEvents();
  assert.ok(events.every((e, i) => i === 0 || e.atMs >= events[i - 1].atMs));
  const t = new Transcript();
  const seq = new SeqFilter();
  t.startClock(0);
  const interims = [];
  events.forEach((e, i) => {
    const wire = JSON.stringify(demoMessage(e, { seq: i + 1, sessionId: 'demo', numerals: e.utterance === 3 }));
    const { message } = parseServerMessage(wire);
    assert.equal(seq.accept(message).accept, true);
    if (t.apply(message, e.atMs) === 'interim') interims.push(t.interim.text);
  });
  assert.deepEqual(t.plainText().split('\n'), [...DEMO_UTTERANCES.slice(0, 3).map((u) => u.words.join(' ')), 'my number is 4152']);
  assert.ok(interims.includes('black words are fine'));
  assert.ok(t.utterances.every((u) => u.closed && u.latencyMs >= 0 && u.latencyMs < 1000));
});
