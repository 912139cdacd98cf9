// The phone calls page (calls.html): lists active calls (GET /v1/calls) and shows the live captions of
// the selected one through the signaling hub: WatchCall(callId) answers with what the call has said so
// far, then the server pushes each message (Caption) and the call's end (CallEnded). ?demo shows recorded
// examples. The contract is in docs/web-client.md and docs/caption-protocol.md ("Phone calls").

import { HubConnection } from './lib/hub-connection.js';
import { Transcript, formatStreamTime } from './lib/transcript.js';
import { CallWatch } from './lib/call-watch.js';
import { parseServerMessage } from './lib/caption-messages.js';
import { httpError, CaptionsError } from './lib/plain-errors.js';
import { fetchToken } from './lib/token.js';
import { demoEvents, demoMessage } from './lib/demo-script.js';
import { showError, hideError } from './lib/page-ui.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const demo = params.has('demo');
const MAX_KEYS_SHOWN = 64;
const DEMO_CALLS = [
  { call_id: 'call-7', from: 'sip:+14155550100@trunk.example', to: 'sip:support@asr.example', started: new Date(Date.now() - 95_000).toISOString(), codec: 'PCMU', state: 'active' },
  { call_id: 'call-8', from: 'sip:+442079460000@trunk.example', to: 'sip:sales@asr.example', started: new Date(Date.now() - 20_000).toISOString(), codec: 'PCMA', state: 'active' },
];

let hub = null;
let watching = null;
let watchGeneration = 0;
let transcript = new Transcript();
let view = null; // the watched call's history and live pushes, each message once (lib/call-watch.js)
let keys = [];
let demoTimers = [];

$('demo-note').hidden = !demo;
$('error-dismiss').addEventListener('click', hideError);
$('refresh').addEventListener('click', () => loadCalls());

async function token() {
  return fetchToken($('api-key').value.trim());
}

async function loadCalls() {
  $('calls-status').textContent = 'Loading…';
  try {
    let calls;
    if (demo) {
      calls = DEMO_CALLS;
    } else {
      const t = await token();
      let res;
      try {
        res = await fetch('/v1/calls', { headers: t ? { Authorization: `Bearer ${t}` } : {} });
      } catch (e) {
        throw new CaptionsError('server_unreachable', `calls: ${e?.message ?? e}`);
      }
      if (res.status === 403) throw new CaptionsError('calls_not_allowed', 'calls: HTTP 403'); // a valid key without WatchCalls
      if (!res.ok) throw httpError(res.status, 'calls', Boolean($('api-key').value.trim()));
      calls = await res.json();
      if (!Array.isArray(calls)) throw new CaptionsError('server_error', 'calls: the answer is not a list');
    }
    renderCalls(calls);
  } catch (e) {
    $('calls-status').textContent = 'Could not load the calls.';
    showError(e);
  }
}

function renderCalls(calls) {
  const valid = calls.filter((c) => c && typeof c.call_id === 'string');
  $('calls-status').textContent = valid.length ? `${valid.length} active call${valid.length === 1 ? '' : 's'}` : 'No active calls.';
  const items = valid.map((c) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.dataset.callId = c.call_id;
    b.setAttribute('aria-pressed', String(c.call_id === watching?.call_id));
    const line = document.createElement('span');
    line.className = 'call-line';
    line.textContent = `${shortUri(c.from)} → ${shortUri(c.to)}`;
    const meta = document.createElement('span');
    meta.className = 'call-meta';
    const started = new Date(c.started);
    meta.textContent = [
      Number.isNaN(started.getTime()) ? null : `started ${started.toLocaleTimeString()}`,
      typeof c.codec === 'string' ? c.codec : null,
      typeof c.state === 'string' && c.state !== 'active' ? c.state.replace('_', ' ') : null,
    ].filter(Boolean).join(' · ');
    b.append(line, meta);
    b.addEventListener('click', () => watch(c));
    li.append(b);
    return li;
  });
  $('calls').replaceChildren(...items);
}

async function watch(call) {
  hideError();
  const previous = watching;
  const generation = ++watchGeneration;
  watching = call;
  transcript = new Transcript();
  view = new CallWatch(call.call_id);
  keys = [];
  $('call-status').textContent = 'Connecting…';
  render();
  $('call-heading').textContent = `${shortUri(call.from)} → ${shortUri(call.to)}`;
  for (const b of document.querySelectorAll('#calls button')) b.setAttribute('aria-pressed', String(b.dataset.callId === call.call_id));
  if (demo) return playDemo(call);
  try {
    if (!hub || hub.state !== 'Connected') {
      hub = new HubConnection('/hubs/signaling', { accessTokenFactory: token });
      hub.on('Caption', onCaption);
      hub.on('CallEnded', onCallEnded);
      hub.onclose((e) => {
        hub = null;
        if (e) showError(e);
      });
      await hub.start();
    }
    if (previous && previous.call_id !== call.call_id) await hub.invoke('UnwatchCall', previous.call_id).catch(() => {});
    const answer = await hub.invoke('WatchCall', call.call_id);
    if (generation !== watchGeneration) return; // another call was chosen meanwhile
    for (const m of view.join({ messages: Array.isArray(answer?.messages) ? answer.messages.map(parse).filter(Boolean) : [] })) apply(m);
    if ($('call-status').textContent === 'Connecting…') $('call-status').textContent = 'Live';
  } catch (e) {
    if (generation === watchGeneration) {
      $('call-status').textContent = '';
      showError(e);
    }
  }
}

function onCaption(message) {
  for (const m of view?.push(parse(message)) ?? []) apply(m);
}

function onCallEnded(notice) {
  if (!notice || notice.call_id !== watching?.call_id) return;
  $('call-status').textContent = `Call ended (${plainReason(notice.reason)})`;
  if (!demo) loadCalls();
}

// Caption messages arrive as objects (SignalR JSON); read them as the data channel's text would be.
function parse(message) {
  const parsed = parseServerMessage(JSON.stringify(message ?? null));
  return parsed.ok ? parsed.message : null;
}

// Applies one message of the watched call (CallWatch already dropped repeats and other calls' messages).
function apply(m) {
  if (m.type === 'Dtmf' && typeof m.digit === 'string') {
    keys.push(m.digit);
    if (keys.length > MAX_KEYS_SHOWN) keys.shift();
  }
  transcript.apply(m, performance.now());
  render();
}

function playDemo(call) {
  for (const t of demoTimers) clearTimeout(t);
  view.join({ messages: [] });
  $('call-status').textContent = 'Live (demo)';
  transcript.startClock(performance.now());
  let n = 0;
  demoTimers = demoEvents().map((e) => setTimeout(() => {
    onCaption({ ...demoMessage(e, { seq: ++n, sessionId: call.call_id, numerals: true }), call_id: call.call_id, from: call.from, to: call.to });
  }, e.atMs));
  const lastAt = Math.max(0, ...demoEvents().map((e) => e.atMs));
  demoTimers.push(setTimeout(() => onCaption({ type: 'Dtmf', session_id: call.call_id, seq: ++n, digit: '5', start: 0, duration: 0.2, call_id: call.call_id, from: call.from, to: call.to }), lastAt + 400));
}

function render() {
  const list = $('final-list');
  list.replaceChildren(...transcript.utterances.map((u) => {
    const li = document.createElement('li');
    li.classList.toggle('open', !u.closed);
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = u.text;
    const timing = document.createElement('span');
    timing.className = 'timing';
    timing.textContent = `${formatStreamTime(u.start)} → ${formatStreamTime(u.end)}`;
    li.append(text, ' ', timing);
    return li;
  }));
  $('interim').textContent = transcript.interim?.text ?? '';
  $('dtmf').hidden = keys.length === 0;
  $('dtmf-keys').replaceChildren(...keys.map((k) => {
    const kbd = document.createElement('kbd');
    kbd.textContent = k;
    return kbd;
  }));
  const box = $('captions');
  box.scrollTop = box.scrollHeight;
}

function plainReason(reason) {
  switch (reason) {
    case 'RemoteHangup': return 'the caller hung up';
    case 'Cancelled': return 'the caller cancelled';
    case 'LocalHangup': return 'the server hung up';
    case 'MediaTimeout': return 'no audio arrived for too long';
    default: return String(reason ?? 'unknown');
  }
}

function shortUri(uri) {
  return String(uri ?? '').replace(/^sips?:/, '').replace(/@.*$/, '');
}

await loadCalls();
if (demo && params.has('autostart')) watch(DEMO_CALLS[0]);
setInterval(() => {
  if (!demo) loadCalls();
}, 10000);
