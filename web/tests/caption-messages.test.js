import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerMessage, routeOf, transcriptOf, wordsOf, buildConfigure, MAX_SERVER_MESSAGE_CHARS } from '../lib/caption-messages.js';

// The Results example of docs/caption-protocol.md.
const RESULTS = '{"type":"Results","session_id":"5d1f","seq":12,"channel_index":[0,1],"duration":2.4,"start":0.0,"is_final":true,"speech_final":true,"from_finalize":false,"channel":{"alternatives":[{"transcript":"four one five two","confidence":0.93,"words":[{"word":"four","start":0.44,"end":0.72,"confidence":0.95,"punctuated_word":"four"},{"word":"one","start":0.96,"end":1.2,"confidence":0.91,"punctuated_word":"one"},{"word":"five","start":1.44,"end":1.76,"confidence":0.94,"punctuated_word":"five"},{"word":"two","start":2.0,"end":2.28,"confidence":0.92,"punctuated_word":"two"}]}]},"metadata":{"request_id":"5d1f","model_info":{"name":"digits-en-lstm","version":"","arch":"lstm"},"model_uuid":"digits-en-lstm"}}';

test('the documented Results example is read: transcript, words, route', () => {
  const r = parseServerMessage(RESULTS);
  assert.equal(r.ok, true);
  assert.equal(routeOf(r.message), 'result');
  assert.equal(transcriptOf(r.message), 'four one five two');
  assert.deepEqual(wordsOf(r.message).map((w) => [w.word, w.end]), [['four', 0.72], ['one', 1.2], ['five', 1.76], ['two', 2.28]]);
});

test('every server message type goes to its handler; unknown types are reported as unknown', () => {
  const cases = {
    Results: 'result', SpeechStarted: 'speechStarted', UtteranceEnd: 'utteranceEnd', Metadata: 'metadata',
    Warning: 'warning', Error: 'error', Dtmf: 'dtmf', Punctuation: 'unknown', toString: 'unknown', __proto__x: 'unknown',
  };
  for (const [type, route] of Object.entries(cases)) assert.equal(routeOf({ type }), route, type);
});

test('malformed server messages give a reason and never throw', () => {
  for (const [data, reason] of [
    [new ArrayBuffer(4), /binary/],
    ['{"type":', /not JSON/],
    ['null', /not a JSON object/],
    ['["Results"]', /not a JSON object/],
    ['{"seq":1}', /no "type"/],
    ['"' + 'x'.repeat(MAX_SERVER_MESSAGE_CHARS) + '"', /longer than/],
  ]) {
    const r = parseServerMessage(data);
    assert.equal(r.ok, false);
    assert.match(r.reason, reason);
  }
  assert.equal(transcriptOf({ type: 'Results' }), '');
  assert.deepEqual(wordsOf({ channel: { alternatives: [{ words: [null, { word: 'a' }, 3] }] } }), [{ word: 'a' }]);
});

test('Configure is checked as the server checks it', () => {
  assert.deepEqual(buildConfigure({ numerals: true, endpointing: false, utterance_end_ms: 1000, model: undefined }),
    { ok: true, message: { type: 'Configure', numerals: true, endpointing: false, utterance_end_ms: 1000 } });
  assert.deepEqual(buildConfigure({ endpointing: 10, interim_results: false, vad_events: true, model: 'digits-en-lstm' }).message,
    { type: 'Configure', endpointing: 10, interim_results: false, vad_events: true, model: 'digits-en-lstm' });
  for (const [opts, reason] of [
    [{ punctuate: true }, /unknown option "punctuate"/],
    [{ numerals: 'yes' }, /"numerals" must be true or false/],
    [{ endpointing: 9 }, /10 to 60000/],
    [{ endpointing: true }, /10 to 60000/],
    [{ endpointing: 300.5 }, /whole number/],
    [{ utterance_end_ms: 999 }, /1000 to 60000/],
    [{ model: '' }, /model name/],
    [null, /must be an object/],
  ]) {
    const r = buildConfigure(opts);
    assert.equal(r.ok, false, JSON.stringify(opts));
    assert.match(r.reason, reason);
  }
});
