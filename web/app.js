// The microphone captions page (index.html): start/stop, connection state, interim and final text,
// per-utterance timing, numerals, copy and download, errors in plain words. With ?demo it replays a
// canned caption stream instead (?demo=connecting|denied|limit|reconnect show the other states;
// &autostart starts at once).

import { connect, stateLabel, ConnectionState } from './captions-client.js';
import { connectDemo } from './lib/demo-session.js';
import { Transcript, formatStreamTime } from './lib/transcript.js';
import { transcriptOf } from './lib/caption-messages.js';
import { isTerminal } from './lib/connection-state.js';
import { fetchToken } from './lib/token.js';
import { showError, hideError, downloadText, copyText } from './lib/page-ui.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const demo = params.has('demo') ? params.get('demo') || 'captions' : null;

const ui = {
  start: $('start'), dot: $('state-dot'), label: $('state-label'), numerals: $('numerals'), finalize: $('finalize'),
  apiKey: $('api-key'), captions: $('captions'), placeholder: $('placeholder'), list: $('final-list'), interim: $('interim'),
  copy: $('copy'), txt: $('download-txt'), jsonl: $('download-jsonl'), clear: $('clear'), copyStatus: $('copy-status'), stats: $('stats'),
};

let session = null;
let transcript = new Transcript();
const items = new Map(); // utterance id → <li>

ui.numerals.checked = localStorage.getItem('webrtcasr.numerals') === 'true';
$('demo-note').hidden = !demo;
$('error-dismiss').addEventListener('click', hideError);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') hideError();
});

ui.start.addEventListener('click', () => {
  if (session && !isTerminal(session.state)) stop();
  else start();
});

ui.finalize.addEventListener('click', () => session?.finalize());

ui.numerals.addEventListener('change', () => {
  localStorage.setItem('webrtcasr.numerals', String(ui.numerals.checked));
  if (session && session.state === ConnectionState.Live) {
    try {
      session.configure({ numerals: ui.numerals.checked });
    } catch (e) {
      showError(e);
    }
  }
});

ui.copy.addEventListener('click', async () => {
  const ok = await copyText(transcript.plainText());
  ui.copyStatus.textContent = ok ? 'Transcript copied.' : 'Copying was not allowed; select the text and copy it by hand.';
});
ui.txt.addEventListener('click', () => downloadText(`captions-${stamp()}.txt`, transcript.timedText() + '\n', 'text/plain'));
ui.jsonl.addEventListener('click', () => downloadText(`captions-${stamp()}.jsonl`, transcript.jsonLines(), 'application/x-ndjson'));
ui.clear.addEventListener('click', () => {
  transcript = new Transcript();
  items.clear();
  ui.list.replaceChildren();
  ui.interim.textContent = '';
  render();
});

function start() {
  hideError();
  transcript = new Transcript();
  items.clear();
  ui.list.replaceChildren();
  ui.interim.textContent = '';
  const handlers = {
    hubUrl: params.get('hub') || '/hubs/signaling',
    tokenProvider: () => fetchToken(ui.apiKey.value.trim()),
    audio: 'microphone',
    options: { numerals: ui.numerals.checked, interim_results: true },
    onStateChange: (state, info) => {
      if (state === ConnectionState.Live) {
        if (!info.resumed) transcript.startClock(performance.now());
        hideError();
      }
      showState(state, info);
    },
    onResult: (m) => {
      const change = transcript.apply(m, performance.now());
      if (m.is_final && transcriptOf(m).trim()) announce(transcriptOf(m).trim());
      if (change !== 'none') render();
    },
    onUtteranceEnd: (m) => {
      if (transcript.apply(m, performance.now()) !== 'none') render();
    },
    onSpeechStarted: (m) => transcript.apply(m, performance.now()),
    onMetadata: (m) => {
      transcript.apply(m, performance.now());
      render();
    },
    onWarning: (m) => {
      transcript.apply(m, performance.now());
      if (m.code === 'session_restarted') transcript.interrupt();
      showError({ title: m.code === 'overload' ? 'Captions running late' : 'Note', plainMessage: m.description ?? m.code, detail: m.code, kind: 'warning' });
      render();
    },
    onError: (e) => {
      if (e.serverMessage) transcript.apply(e.serverMessage, performance.now());
      showError(e);
    },
  };
  session = demo ? connectDemo(handlers, demo) : connect(handlers);
}

async function stop() {
  const s = session;
  ui.start.disabled = true;
  try {
    await s.close();
  } finally {
    ui.start.disabled = false;
  }
}

function showState(state, info) {
  let text = stateLabel(state);
  if (state === ConnectionState.Reconnecting && info.attempt) text += ` (attempt ${info.attempt} of ${info.maxAttempts})`;
  ui.dot.dataset.state = state;
  ui.label.textContent = text;
  const active = !isTerminal(state) && state !== ConnectionState.Idle;
  ui.start.textContent = active ? 'Stop' : 'Start microphone';
  ui.start.classList.toggle('danger', active);
  ui.finalize.disabled = state !== ConnectionState.Live;
  document.title = `${state === ConnectionState.Live ? '● ' : ''}Live captions · WebRtcAsr`;
  ui.placeholder.textContent = PLACEHOLDERS[state] ?? PLACEHOLDERS.idle;
  renderStats();
}

const PLACEHOLDERS = {
  idle: 'Press Start microphone and speak. Words still being heard appear in grey italics; settled text appears in black.',
  connecting: 'Connecting: the browser may ask to use the microphone.',
  live: 'Listening. Speak, and captions appear here.',
  reconnecting: 'Reconnecting to the server…',
  failed: 'Not connected. See the message above, then press Start microphone to try again.',
  closed: 'Stopped. Press Start microphone to caption again.',
};

const announcer = (() => {
  const el = document.createElement('div');
  el.className = 'visually-hidden';
  el.setAttribute('aria-live', 'polite');
  el.setAttribute('aria-atomic', 'false');
  document.body.append(el);
  return el;
})();

/** Screen readers hear each final piece of text once; interim guesses are not announced. */
function announce(text) {
  const p = document.createElement('p');
  p.textContent = text;
  announcer.append(p);
  while (announcer.childElementCount > 3) announcer.firstElementChild.remove();
}

function render() {
  const atBottom = ui.captions.scrollTop + ui.captions.clientHeight >= ui.captions.scrollHeight - 8;
  const firstId = transcript.utterances[0]?.id ?? Infinity;
  for (const [id, li] of items) {
    if (id < firstId) {
      li.remove();
      items.delete(id);
    }
  }
  for (const u of transcript.utterances) {
    let li = items.get(u.id);
    if (!li) {
      li = document.createElement('li');
      li.innerHTML = '<span class="text"></span> <span class="timing"></span>';
      ui.list.append(li);
      items.set(u.id, li);
    }
    if (li.dataset.rendered === `${u.segments.length}/${u.closed}`) continue;
    li.dataset.rendered = `${u.segments.length}/${u.closed}`;
    li.classList.toggle('open', !u.closed);
    li.querySelector('.text').textContent = u.text;
    const timing = li.querySelector('.timing');
    timing.textContent = `${formatStreamTime(u.start)} → ${formatStreamTime(u.end)}${u.latencyMs === null ? '' : ` · ${u.latencyMs} ms`}`;
    timing.title = `Stream time of this utterance${u.latencyMs === null ? '' : `; its final text arrived ${u.latencyMs} ms after the speech ended (estimate, includes the network)`}`;
  }
  ui.interim.textContent = transcript.interim?.text ?? '';
  const hasText = transcript.utterances.length > 0;
  ui.placeholder.hidden = hasText || Boolean(transcript.interim);
  for (const b of [ui.copy, ui.txt, ui.clear]) b.disabled = !hasText;
  ui.jsonl.disabled = transcript.log.length === 0;
  if (atBottom) ui.captions.scrollTop = ui.captions.scrollHeight;
  renderStats();
}

function renderStats() {
  if (!session) return;
  const s = session.stats;
  const parts = [];
  if (session.sessionId) parts.push(`Session ${session.sessionId.slice(0, 12)}`);
  if (transcript.utterances.length) parts.push(`${transcript.utterances.length} utterance${transcript.utterances.length === 1 ? '' : 's'}`);
  if (s.reconnects) parts.push(`${s.reconnects} reconnect${s.reconnects === 1 ? '' : 's'}`);
  if (s.duplicates) parts.push(`${s.duplicates} duplicate message${s.duplicates === 1 ? '' : 's'} dropped`);
  if (s.missed) parts.push(`${s.missed} message${s.missed === 1 ? '' : 's'} lost`);
  ui.stats.textContent = parts.join(' · ');
}

function stamp() {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

if (demo && params.has('autostart')) start();
