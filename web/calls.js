// The phone calls page (calls.html): lists active calls (GET /v1/calls) and shows the live captions of
// the selected one through the signaling hub (WatchCall / UnwatchCall, server pushes Caption). ?demo shows
// recorded examples. The contract is in docs/web-client.md.

import { HubConnection } from './lib/hub-connection.js';
import { Transcript, formatStreamTime } from './lib/transcript.js';
import { SeqFilter } from './lib/seq-filter.js';
import { parseServerMessage } from './lib/caption-messages.js';
import { httpError, CaptionsError } from './lib/plain-errors.js';
import { fetchToken } from './lib/token.js';
import { demoEvents, demoMessage } from './lib/demo-script.js';
import { showError, hideError } from './lib/page-ui.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const demo = params.has('demo');
const DEMO_CALLS = [
  { callId: 'call-7', from: 'sip:+14155550100@trunk.example', to: 'sip:support@asr.example', startedAt: new Date(Date.now() - 95_000).toISOString() },
  { callId: 'call-8', from: 'sip:+442079460000@trunk.example', to: 'sip:sales@asr.example', startedAt: new Date(Date.now() - 20_000).toISOString() },
];

let hub = null;
let watching = null;
let transcript = new Transcript();
let seq = new SeqFilter();
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
  $('calls-status').textContent = calls.length ? `${calls.length} active call${calls.length === 1 ? '' : 's'}` : 'No active calls.';
  const items = calls.filter((c) => c && typeof c.callId === 'string').map((c) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.setAttribute('aria-pressed', String(c.callId === watching?.callId));
    const line = document.createElement('span');
    line.className = 'call-line';
    line.textContent = `${shortUri(c.from)} → ${shortUri(c.to)}`;
    const meta = document.createElement('span');
    meta.className = 'call-meta';
    meta.textContent = `${c.callId} · started ${new Date(c.startedAt).toLocaleTimeString()}`;
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
  watching = call;
  transcript = new Transcript();
  seq = new SeqFilter();
  render();
  $('call-heading').textContent = `${shortUri(call.from)} → ${shortUri(call.to)}`;
  for (const b of document.querySelectorAll('#calls button')) b.setAttribute('aria-pressed', String(b.querySelector('.call-meta').textContent.startsWith(`${call.callId} `)));
  if (demo) return playDemo(call);
  try {
    if (!hub || hub.state !== 'Connected') {
      hub = new HubConnection('/hubs/signaling', { accessTokenFactory: token });
      hub.on('Caption', onCaption);
      hub.onclose((e) => {
        hub = null;
        if (e) showError(e);
      });
      await hub.start();
    }
    if (previous && previous.callId !== call.callId) await hub.invoke('UnwatchCall', previous.callId).catch(() => {});
    await hub.invoke('WatchCall', call.callId);
  } catch (e) {
    showError(e);
  }
}

function onCaption(message) {
  // Caption messages arrive as objects (SignalR JSON); read them as the data channel's text would be.
  const parsed = parseServerMessage(JSON.stringify(message));
  if (!parsed.ok || parsed.message.call_id !== watching?.callId) return;
  if (!seq.accept(parsed.message).accept) return;
  if (transcript.apply(parsed.message, performance.now()) !== 'none') render();
}

function playDemo(call) {
  for (const t of demoTimers) clearTimeout(t);
  transcript.startClock(performance.now());
  let n = 0;
  demoTimers = demoEvents().map((e) => setTimeout(() => {
    onCaption({ ...demoMessage(e, { seq: ++n, sessionId: call.callId, numerals: true }), call_id: call.callId, from: call.from, to: call.to });
  }, e.atMs));
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
  const box = $('captions');
  box.scrollTop = box.scrollHeight;
}

function shortUri(uri) {
  return String(uri ?? '').replace(/^sips?:/, '').replace(/@.*$/, '');
}

await loadCalls();
if (demo && params.has('autostart')) watch(DEMO_CALLS[0]);
setInterval(() => {
  if (!demo) loadCalls();
}, 10000);
