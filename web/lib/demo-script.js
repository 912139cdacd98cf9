// A canned caption stream for the pages' demo mode (?demo): what a server would send while a person
// says four short sentences, interim results included. Pure: it builds the messages and says when
// each is due; lib/demo-session.js plays them.

const WORD_SECONDS = 0.34;
const WORD_GAP = 0.08;
const PAUSE_SECONDS = 1.1;
const INTERIM_DELAY_MS = 260;
const FINAL_DELAY_MS = 420; // endpointing silence + decoding

/** The sentences of the demo; `guess` is an interim hypothesis that the final corrects. */
export const DEMO_UTTERANCES = Object.freeze([
  { words: ['welcome', 'to', 'the', 'live', 'captions', 'demo'] },
  { words: ['grey', 'words', 'are', 'still', 'being', 'heard', 'and', 'may', 'change'] },
  { words: ['black', 'words', 'are', 'final'], guess: { at: 3, word: 'fine' } },
  { words: ['my', 'number', 'is', 'four', 'one', 'five', 'two'] },
]);

const DIGITS = Object.freeze({ zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' });

/** Words as displayed with `numerals`: each run of spoken digits becomes one number ("four one five two" → "4152"). */
export function withNumerals(words) {
  const out = [];
  let run = '';
  for (const w of words) {
    const d = DIGITS[w.toLowerCase()];
    if (d !== undefined) {
      run += d;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(w);
  }
  if (run) out.push(run);
  return out;
}

/**
 * The demo's events in order, each `{ atMs, kind, utterance, count, speechFinal }`: `atMs` the wall time
 * after the start at which the server would send it; `kind` 'speechStarted', 'interim', 'final' or
 * 'utteranceEnd'; `count` how many words of the utterance the message covers.
 */
export function demoEvents() {
  const events = [];
  let t = 0.6;
  DEMO_UTTERANCES.forEach((u, index) => {
    const start = t;
    events.push({ atMs: Math.round(start * 1000 + 150), kind: 'speechStarted', utterance: index, count: 0, start });
    u.words.forEach((_, i) => {
      const end = start + (i + 1) * (WORD_SECONDS + WORD_GAP) - WORD_GAP;
      events.push({ atMs: Math.round(end * 1000 + INTERIM_DELAY_MS), kind: 'interim', utterance: index, count: i + 1, start });
    });
    const end = start + u.words.length * (WORD_SECONDS + WORD_GAP) - WORD_GAP;
    events.push({ atMs: Math.round(end * 1000 + FINAL_DELAY_MS), kind: 'final', utterance: index, count: u.words.length, start });
    events.push({ atMs: Math.round(end * 1000 + 1000 + 120), kind: 'utteranceEnd', utterance: index, count: u.words.length, start });
    t = end + PAUSE_SECONDS;
  });
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** The caption protocol message for one demo event. */
export function demoMessage(event, { seq, sessionId, numerals }) {
  const u = DEMO_UTTERANCES[event.utterance];
  const base = { session_id: sessionId, seq };
  const wordEnd = (i) => round(event.start + (i + 1) * (WORD_SECONDS + WORD_GAP) - WORD_GAP);
  if (event.kind === 'speechStarted') return { type: 'SpeechStarted', ...base, channel: [0], timestamp: round(event.start) };
  if (event.kind === 'utteranceEnd') return { type: 'UtteranceEnd', ...base, channel: [0, 1], last_word_end: wordEnd(u.words.length - 1) };
  const spoken = u.words.slice(0, event.count);
  if (event.kind === 'interim' && u.guess && event.count === u.guess.at + 1) spoken[u.guess.at] = u.guess.word;
  const words = spoken.map((w, i) => ({
    word: w,
    start: round(event.start + i * (WORD_SECONDS + WORD_GAP)),
    end: wordEnd(i),
    confidence: event.kind === 'final' ? 0.93 : 0.71,
    punctuated_word: w,
  }));
  const isFinal = event.kind === 'final';
  const shown = numerals ? withNumerals(spoken) : spoken;
  const end = words.length ? words[words.length - 1].end + (isFinal ? 0.5 : 0) : event.start;
  return {
    type: 'Results', ...base, channel_index: [0, 1],
    start: round(event.start), duration: round(end - event.start),
    is_final: isFinal, speech_final: isFinal, from_finalize: false,
    channel: { alternatives: [{ transcript: shown.join(' '), confidence: isFinal ? 0.93 : 0.71, words }] },
    metadata: { request_id: sessionId, model_info: { name: 'demo', version: '', arch: 'demo' }, model_uuid: 'demo' },
  };
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}
