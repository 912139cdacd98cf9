import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RECORD_SEPARATOR, HubMessageType, RecordSplitter, handshakeRequest, invocation, ping,
  parseHandshakeResponse, parseHubMessage, webSocketUrl,
} from '../lib/hub-protocol.js';

test('handshake and invocation are JSON records ended by 0x1E, as the SignalR hub protocol spec shows', () => {
  assert.equal(handshakeRequest(), '{"protocol":"json","version":1}\u001e');
  assert.equal(invocation(1, 'Offer', ['v=0']), '{"type":1,"invocationId":"1","target":"Offer","arguments":["v=0"]}\u001e');
  assert.equal(ping(), '{"type":6}\u001e');
});

test('a frame with several records, and a record split across frames, come out whole', () => {
  const s = new RecordSplitter();
  const first = s.push('{}' + RECORD_SEPARATOR + '{"type":6}' + RECORD_SEPARATOR + '{"type":3,"invoc');
  assert.deepEqual(first, { records: ['{}', '{"type":6}'], error: null });
  const second = s.push('ationId":"1","result":5}' + RECORD_SEPARATOR);
  assert.deepEqual(second, { records: ['{"type":3,"invocationId":"1","result":5}'], error: null });
});

test('an unfinished record longer than the bound is an error, and the splitter starts over', () => {
  const s = new RecordSplitter(10);
  assert.match(s.push('x'.repeat(11)).error, /longer than 10/);
  assert.deepEqual(s.push('{}' + RECORD_SEPARATOR), { records: ['{}'], error: null });
});

test('handshake response: {} is success, {"error":…} a refusal, anything else malformed', () => {
  assert.deepEqual(parseHandshakeResponse('{}'), { ok: true, error: null });
  assert.deepEqual(parseHandshakeResponse('{"error":"Requested protocol \'json\' is not available."}'), { ok: false, error: "Requested protocol 'json' is not available." });
  assert.equal(parseHandshakeResponse('nope').ok, false);
  assert.equal(parseHandshakeResponse('[]').ok, false);
});

test('hub messages: completion, server invocation, ping, close are read; bad ones give a reason', () => {
  const completion = parseHubMessage('{"type":3,"invocationId":"7","result":{"peerId":"p1","sdp":"v=0"}}');
  assert.equal(completion.ok, true);
  assert.equal(completion.message.result.peerId, 'p1');
  const failed = parseHubMessage('{"type":3,"invocationId":"8","error":"An unexpected error occurred invoking \'Offer\' on the server. HubException: session_limit: 64 sessions"}');
  assert.equal(failed.ok, true);
  assert.match(failed.message.error, /session_limit/);
  assert.equal(parseHubMessage('{"type":1,"target":"Caption","arguments":[{"type":"Results"}]}').ok, true);
  assert.equal(parseHubMessage('{"type":6}').message.type, HubMessageType.Ping);
  assert.equal(parseHubMessage('{"type":7,"error":"Connection closed with an error.","allowReconnect":true}').ok, true);

  for (const [text, reason] of [
    ['{', /not JSON/],
    ['5', /not a JSON object/],
    ['{"type":3}', /without an invocationId/],
    ['{"type":3,"invocationId":"1","error":5}', /non-text error/],
    ['{"type":1,"arguments":[]}', /without a target/],
    ['{"type":1,"target":"Caption"}', /without arguments/],
    ['{"type":2,"invocationId":"1","item":1}', /not used/],
    ['{"type":99}', /unknown message type 99/],
  ]) {
    const r = parseHubMessage(text);
    assert.equal(r.ok, false, text);
    assert.match(r.reason, reason, text);
  }
});

test('hub URL becomes a WebSocket URL carrying the access token as SignalR does', () => {
  assert.equal(webSocketUrl('/hubs/signaling', 'https://asr.example:8443/index.html', 'a b'), 'wss://asr.example:8443/hubs/signaling?access_token=a+b');
  assert.equal(webSocketUrl('http://127.0.0.1:5000/hubs/signaling', undefined, null), 'ws://127.0.0.1:5000/hubs/signaling');
  assert.throws(() => webSocketUrl('ftp://x/hub', undefined, null), TypeError);
});
