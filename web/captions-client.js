// WebRtcAsr captions client: sends one audio track to the server over WebRTC and receives live
// captions on the "captions" data channel. Plain ES module, no dependencies.
//
//   import { connect } from './captions-client.js';
//   const session = connect({
//     hubUrl: '/hubs/signaling',
//     tokenProvider: async () => (await (await fetch('/v1/auth/grant', { method: 'POST' })).json()).access_token,
//     audio: 'microphone',
//     onResult: (r) => console.log(r.is_final ? 'final' : 'interim', r.channel.alternatives[0].transcript),
//     onError: (e) => console.warn(e.title, e.message),
//   });
//   …
//   session.finalize();        // flush what was said so far as final
//   await session.close();     // CloseStream, wait for Metadata, hang up
//
// Signaling is SignalR (hub at /hubs/signaling, see docs/web-client.md): Offer(sdp) → { peerId, sdp }.
// The page offers, the server (ICE-lite) answers with all its candidates, so there is no trickle.
// After a dropped connection the client offers again with Offer(sdp, sessionId, lastSeq); the server
// resumes the session and replays what the client missed; duplicates are dropped by `seq`.

import { HubConnection } from './lib/hub-connection.js';
import { parseServerMessage, routeOf, buildConfigure, KEEP_ALIVE, FINALIZE, CLOSE_STREAM } from './lib/caption-messages.js';
import { SeqFilter } from './lib/seq-filter.js';
import { ReconnectPolicy } from './lib/reconnect-policy.js';
import { CaptionsError, microphoneError, explainError } from './lib/plain-errors.js';
import { ConnectionState, isTerminal } from './lib/connection-state.js';

export { ConnectionState, stateLabel } from './lib/connection-state.js';
export { CaptionsError } from './lib/plain-errors.js';

/** Timings (milliseconds) a caller may override through `options.timings`. */
export const DEFAULT_TIMINGS = Object.freeze({
  keepAliveMs: 5000, // KeepAlive on the data channel, so an idle (muted) stream stays open
  iceGatheringMs: 3000, // longest wait for the browser's own candidates before offering what it has
  channelOpenMs: 15000, // from the answer to an open data channel (ICE + DTLS + SCTP)
  disconnectGraceMs: 4000, // an ICE 'disconnected' that lasts this long counts as a drop
  closeWaitMs: 3000, // after CloseStream, how long to wait for the final Metadata
});

/** Audio constraints used for `audio: 'microphone'`: mono speech, with the browser's voice processing. */
export const MICROPHONE_CONSTRAINTS = Object.freeze({ channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true });

/**
 * Starts a captions session and returns it at once (state 'connecting'); `session.ready` settles
 * when it is live or has failed.
 *
 * @param {object} o
 * @param {string} o.hubUrl  SignalR hub URL, e.g. '/hubs/signaling'
 * @param {string} [o.token]  access token (from POST /v1/auth/grant), or
 * @param {() => (string|null|Promise<string|null>)} [o.tokenProvider]  called before each (re)connect
 * @param {MediaStreamTrack|'microphone'} o.audio  the track to send, or 'microphone' to ask for one
 * @param {(m: object) => void} [o.onResult]  Results (interim and final)
 * @param {(m: object) => void} [o.onSpeechStarted]
 * @param {(m: object) => void} [o.onUtteranceEnd]
 * @param {(m: object) => void} [o.onMetadata]
 * @param {(m: object) => void} [o.onWarning]  server Warnings, and client ones (`client: true`):
 *        'session_restarted' (the server could not resume; a new session began) and 'captions_missed'
 * @param {(e: CaptionsError) => void} [o.onError]  `e.title`, `e.message` in plain words, `e.code`,
 *        `e.fatal` (the session stopped), `e.retryable`
 * @param {(state: string, info: object) => void} [o.onStateChange]  see ConnectionState
 * @param {(m: object) => void} [o.onMessage]  every accepted server message, before routing
 * @param {object} [o.options]  Configure options sent once the channel opens (and again after a reconnect)
 * @param {RTCIceServer[]} [o.iceServers]  usually none: the server is reachable on its own candidates
 * @param {object} [o.reconnect]  { maxAttempts, baseDelayMs, maxDelayMs, jitter } (see lib/reconnect-policy.js)
 * @param {Partial<typeof DEFAULT_TIMINGS>} [o.timings]
 * @param {() => object} [o.createHub]  returns a HubConnection-shaped object (e.g. @microsoft/signalr's)
 */
export function connect(o) {
  const session = new CaptionsSession(o);
  session.start();
  return session;
}

/** One captions session: survives dropped connections (it reconnects and resumes) until closed. */
export class CaptionsSession {
  /** See ConnectionState. */
  state = ConnectionState.Idle;
  /** The caption session id (from the server's messages), or null before the first message. */
  get sessionId() {
    return this.#seq.sessionId;
  }
  /** The server's id for the current peer connection, or null. */
  peerId = null;
  /** Settles when the session is first live (resolves) or fails before that (rejects with a CaptionsError). */
  ready;

  #o;
  #timings;
  #policy;
  #seq = new SeqFilter();
  #config = {};
  #track = null;
  #ownsTrack = false;
  #hub = null;
  #pc = null;
  #dc = null;
  #generation = 0;
  #timers = new Set();
  #keepAlive = null;
  #graceTimer = null;
  #reconnects = 0;
  #everLive = false;
  #closeDone = null;
  #readyResolve;
  #readyReject;

  constructor(o) {
    if (!o || typeof o.hubUrl !== 'string') throw new TypeError('connect: hubUrl is required');
    if (o.audio !== 'microphone' && !(o.audio && typeof o.audio.kind === 'string')) throw new TypeError("connect: audio must be a MediaStreamTrack or 'microphone'");
    this.#o = o;
    this.#timings = { ...DEFAULT_TIMINGS, ...o.timings };
    this.#policy = new ReconnectPolicy(o.reconnect);
    if (o.options) {
      const built = buildConfigure(o.options);
      if (!built.ok) throw new CaptionsError('bad_option', built.reason);
      const { type: _type, ...fields } = built.message;
      this.#config = fields;
    }
    this.ready = new Promise((resolve, reject) => {
      this.#readyResolve = resolve;
      this.#readyReject = reject;
    });
    this.ready.catch(() => {}); // The error also goes to onError; an unobserved `ready` is fine.
  }

  /** Counters: duplicates dropped, messages missed, reconnects made. */
  get stats() {
    return { duplicates: this.#seq.duplicates, missed: this.#seq.missed, reconnects: this.#reconnects, lastSeq: this.#seq.lastSeq };
  }

  /** @internal Started by connect(). */
  async start() {
    if (this.state !== ConnectionState.Idle) return;
    this.#setState(ConnectionState.Connecting, {});
    try {
      await this.#acquireTrack();
      if (isTerminal(this.state)) return;
      await this.#attempt(false);
    } catch (e) {
      this.#fail(explainError(e));
    }
  }

  /** Asks the server to send everything heard so far as final. Returns false when not live. */
  finalize() {
    return this.#send(FINALIZE);
  }

  /**
   * Changes options (interim_results, endpointing, utterance_end_ms, vad_events, numerals, model).
   * Throws a CaptionsError ('bad_option') for an option the server would refuse. The options are
   * remembered and sent again after a reconnect.
   */
  configure(options) {
    const built = buildConfigure(options);
    if (!built.ok) throw new CaptionsError('bad_option', built.reason);
    const { type: _type, ...fields } = built.message;
    Object.assign(this.#config, fields);
    this.#send(built.message);
  }

  /** Ends the session: CloseStream, waits briefly for the final Metadata, hangs up, stops the microphone it opened. */
  close() {
    if (this.#closeDone) return this.#closeDone;
    this.#closeDone = this.#close();
    return this.#closeDone;
  }

  async #close() {
    if (isTerminal(this.state)) return;
    const wasLive = this.state === ConnectionState.Live;
    this.#setState(ConnectionState.Closing, {});
    this.#clearTimers();
    if (wasLive && this.#send(CLOSE_STREAM)) {
      await new Promise((resolve) => {
        this.#metadataWaiter = resolve;
        this.#later(resolve, this.#timings.closeWaitMs);
      });
    }
    await this.#hangUp();
    this.#releaseTrack();
    this.#setState(ConnectionState.Closed, {});
    this.#readyReject(new CaptionsError('closed'));
  }

  #metadataWaiter = null;

  async #acquireTrack() {
    if (typeof globalThis.RTCPeerConnection !== 'function') throw new CaptionsError('webrtc_unsupported', 'no RTCPeerConnection');
    if (this.#o.audio !== 'microphone') {
      this.#track = this.#o.audio;
    } else {
      const md = globalThis.navigator?.mediaDevices;
      if (!md?.getUserMedia) {
        throw globalThis.isSecureContext === false ? new CaptionsError('insecure_page') : new CaptionsError('webrtc_unsupported', 'no getUserMedia');
      }
      let stream;
      try {
        stream = await md.getUserMedia({ audio: { ...MICROPHONE_CONSTRAINTS }, video: false });
      } catch (e) {
        throw microphoneError(e);
      }
      this.#track = stream.getAudioTracks()[0];
      this.#ownsTrack = true;
      if (isTerminal(this.state) || this.state === ConnectionState.Closing) {
        this.#releaseTrack();
        return;
      }
    }
    this.#track.addEventListener?.('ended', () => {
      if (!isTerminal(this.state)) this.#fail(new CaptionsError('microphone_busy', 'the audio track ended (device unplugged or taken by another program)'));
    });
  }

  async #ensureHub() {
    if (this.#hub && this.#hub.state === 'Connected') return this.#hub;
    const hub = this.#o.createHub
      ? this.#o.createHub()
      : new HubConnection(this.#o.hubUrl, { accessTokenFactory: () => this.#token() });
    hub.onclose(() => {
      if (this.#hub === hub) this.#hub = null; // Media goes on without signaling; the next attempt reopens it.
    });
    await hub.start();
    this.#hub = hub;
    return hub;
  }

  async #token() {
    if (this.#o.tokenProvider) return await this.#o.tokenProvider();
    return this.#o.token ?? null;
  }

  /** One connection attempt: new peer connection, offer, answer, wait for the channel. */
  async #attempt(resume) {
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation || isTerminal(this.state) || this.state === ConnectionState.Closing;
    const hub = await this.#ensureHub();
    if (stale()) return;

    const pc = new RTCPeerConnection({ iceServers: this.#o.iceServers ?? [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.#pc = pc;
    const transceiver = pc.addTransceiver(this.#track, { direction: 'sendonly' });
    preferOpus(transceiver);
    const dc = pc.createDataChannel('captions', { ordered: true });
    this.#dc = dc;

    const opened = new Promise((resolve, reject) => {
      dc.onopen = resolve;
      this.#later(() => reject(new CaptionsError('media_failed', 'the captions channel did not open in time')), this.#timings.channelOpenMs);
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'failed') reject(new CaptionsError('media_failed', 'ICE/DTLS connection failed'));
      });
    });
    opened.catch(() => {});

    await pc.setLocalDescription(await pc.createOffer());
    await iceGatheringDone(pc, this.#timings.iceGatheringMs);
    if (stale()) return pc.close();

    const point = resume ? this.#seq.resumePoint() : null;
    const answer = point ? await hub.invoke('Offer', pc.localDescription.sdp, point.sessionId, point.lastSeq) : await hub.invoke('Offer', pc.localDescription.sdp);
    if (stale()) return pc.close();
    if (!answer || typeof answer.sdp !== 'string' || typeof answer.peerId !== 'string') {
      throw new CaptionsError('server_error', 'Offer returned no { peerId, sdp }');
    }
    this.peerId = answer.peerId;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    } catch (e) {
      throw new CaptionsError('bad_offer', `the browser refused the server's answer: ${e?.message ?? e}`, e);
    }

    dc.onmessage = (ev) => this.#receive(ev.data);
    await opened;
    if (stale()) return pc.close();
    dc.onclose = () => this.#dropped(generation, 'the captions channel closed');
    pc.addEventListener('connectionstatechange', () => this.#watchConnection(generation, pc));

    this.#policy.reset();
    this.#keepAlive = setInterval(() => this.#send(KEEP_ALIVE), this.#timings.keepAliveMs);
    this.#setState(ConnectionState.Live, { resumed: Boolean(point), peerId: this.peerId, reconnects: this.#reconnects });
    // After the state is Live: #send drops everything before that, and a Configure sent earlier never left the page.
    if (Object.keys(this.#config).length) this.#send({ type: 'Configure', ...this.#config });
    if (!this.#everLive) {
      this.#everLive = true;
      this.#readyResolve(this);
    }
  }

  #watchConnection(generation, pc) {
    if (generation !== this.#generation) return;
    const s = pc.connectionState;
    if (s === 'failed' || s === 'closed') {
      this.#dropped(generation, `the connection ${s}`);
    } else if (s === 'disconnected') {
      clearTimeout(this.#graceTimer);
      this.#graceTimer = setTimeout(() => {
        if (pc.connectionState === 'disconnected') this.#dropped(generation, 'the connection stayed disconnected');
      }, this.#timings.disconnectGraceMs);
    } else if (s === 'connected') {
      clearTimeout(this.#graceTimer);
    }
  }

  /** The connection of `generation` is gone: tear it down and try again after a backoff, or give up. */
  #dropped(generation, reason) {
    if (generation !== this.#generation || this.state !== ConnectionState.Live) return;
    this.#teardownPeer();
    this.#report(new CaptionsError('network_lost', reason), false);
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    const delay = this.#policy.next(Math.random());
    if (delay === null) {
      this.#fail(new CaptionsError('reconnect_failed', `gave up after ${this.#policy.maxAttempts} attempts`));
      return;
    }
    this.#setState(ConnectionState.Reconnecting, { attempt: this.#policy.attempts, maxAttempts: this.#policy.maxAttempts, delayMs: delay });
    this.#later(async () => {
      if (this.state !== ConnectionState.Reconnecting) return;
      this.#reconnects++;
      try {
        await this.#attempt(true);
      } catch (e) {
        const err = explainError(e);
        this.#teardownPeer();
        if (err.retryable && this.state === ConnectionState.Reconnecting) this.#scheduleReconnect();
        else this.#fail(err);
      }
    }, delay);
  }

  #receive(data) {
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      console.warn(`captions: skipped a server message: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    const verdict = this.#seq.accept(m);
    if (!verdict.accept) return;
    if (verdict.newSession) {
      this.#call('onWarning', { type: 'Warning', client: true, code: 'session_restarted', session_id: m.session_id, description: 'The server could not resume the earlier session; captions go on in a new one, and words said during the interruption may be missing.' });
    } else if (verdict.gap > 0) {
      this.#call('onWarning', { type: 'Warning', client: true, code: 'captions_missed', session_id: m.session_id, description: `${verdict.gap} caption message(s) were lost during the interruption.` });
    }
    this.#call('onMessage', m);
    switch (routeOf(m)) {
      case 'result': return this.#call('onResult', m);
      case 'speechStarted': return this.#call('onSpeechStarted', m);
      case 'utteranceEnd': return this.#call('onUtteranceEnd', m);
      case 'warning': return this.#call('onWarning', m);
      case 'dtmf': return this.#call('onDtmf', m);
      case 'metadata':
        this.#call('onMetadata', m);
        this.#metadataWaiter?.();
        return undefined;
      case 'error': {
        const err = new CaptionsError(m.code === 'bad_message' ? 'bad_option' : 'server_error', m.description ?? m.code ?? '');
        err.serverMessage = m;
        return this.#report(err, false);
      }
      default:
        return undefined; // A newer server's message type: onMessage saw it.
    }
  }

  #send(message) {
    const dc = this.#dc;
    if (this.state !== ConnectionState.Live && this.state !== ConnectionState.Closing) return false;
    if (!dc || dc.readyState !== 'open') return false;
    // A control message is tiny; a channel this far behind is stuck, and another message would not help.
    if (dc.bufferedAmount > 64 * 1024) return false;
    try {
      dc.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  async #hangUp() {
    const hub = this.#hub;
    const peerId = this.peerId;
    this.#teardownPeer();
    this.#hub = null;
    if (!hub) return;
    if (peerId && hub.state === 'Connected') {
      try {
        await hub.invoke('HangUp', peerId);
      } catch {
        // The peer is closed on our side either way; the server also drops it when ICE consent ends.
      }
    }
    await hub.stop();
  }

  #teardownPeer() {
    clearInterval(this.#keepAlive);
    clearTimeout(this.#graceTimer);
    this.#keepAlive = this.#graceTimer = null;
    this.#generation++;
    if (this.#dc) this.#dc.onopen = this.#dc.onmessage = this.#dc.onclose = null;
    try {
      this.#pc?.close();
    } catch {
      // Closing twice is harmless.
    }
    this.#pc = this.#dc = null;
  }

  #releaseTrack() {
    if (this.#ownsTrack) this.#track?.stop();
    this.#ownsTrack = false;
  }

  #fail(error) {
    if (isTerminal(this.state)) return;
    this.#clearTimers();
    const hub = this.#hub;
    this.#hub = null;
    this.#teardownPeer();
    hub?.stop();
    this.#releaseTrack();
    this.#setState(ConnectionState.Failed, { error });
    this.#report(error, true);
    this.#readyReject(error);
  }

  #report(error, fatal) {
    error.fatal = fatal;
    this.#call('onError', error);
  }

  #setState(state, info) {
    if (this.state === state && state !== ConnectionState.Reconnecting) return;
    this.state = state;
    this.#call('onStateChange', state, info);
  }

  #call(name, ...args) {
    const fn = this.#o[name];
    if (typeof fn !== 'function') return undefined;
    try {
      fn(...args);
    } catch (e) {
      console.error(`captions: ${name} threw`, e);
    }
    return undefined;
  }

  #later(fn, ms) {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #clearTimers() {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    clearInterval(this.#keepAlive);
    clearTimeout(this.#graceTimer);
  }
}

/** Puts Opus first (the server decodes Opus only), when the browser lets a page choose. */
function preferOpus(transceiver) {
  const caps = globalThis.RTCRtpSender?.getCapabilities?.('audio');
  if (!caps || typeof transceiver.setCodecPreferences !== 'function') return;
  const opus = caps.codecs.filter((c) => c.mimeType.toLowerCase() === 'audio/opus');
  if (opus.length) transceiver.setCodecPreferences(opus);
}

/** Waits until the browser has gathered its candidates (no trickle: the offer carries them), at most `ms`. */
function iceGatheringDone(pc, ms) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}
