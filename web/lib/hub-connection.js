// A minimal SignalR hub client over one WebSocket: the JSON hub protocol without negotiation
// (what @microsoft/signalr does with `skipNegotiation: true` and the WebSockets transport).
// It has the same shape as @microsoft/signalr's HubConnection for what the captions client uses
// (start, stop, invoke, on, off, onclose, state), so either can be passed to connect().
// The wire format lives in hub-protocol.js; this file is the thin driver (socket and timers).

import {
  HubMessageType, RecordSplitter, handshakeRequest, invocation, ping, parseHandshakeResponse, parseHubMessage, webSocketUrl,
} from './hub-protocol.js';
import { CaptionsError, hubError } from './plain-errors.js';

/** Defaults match the ASP.NET Core SignalR server's (KeepAliveInterval 15 s, ClientTimeoutInterval 30 s). */
export const DEFAULT_HUB_TIMINGS = Object.freeze({ handshakeTimeoutMs: 10000, invokeTimeoutMs: 20000, keepAliveMs: 15000, serverTimeoutMs: 30000 });

/** The most invocations that may wait for their completion at once. */
export const MAX_PENDING_INVOCATIONS = 32;

export class HubConnection {
  /** 'Disconnected', 'Connecting' or 'Connected' (the names @microsoft/signalr uses). */
  state = 'Disconnected';

  #hubUrl;
  #options;
  #ws = null;
  #splitter = new RecordSplitter();
  #handlers = new Map();
  #closeHandlers = [];
  #pending = new Map();
  #nextId = 1;
  #keepAliveTimer = null;
  #serverTimer = null;
  #stopping = false;

  /**
   * @param {string} hubUrl http(s), ws(s) or page-relative URL of the hub, e.g. '/hubs/signaling'
   * @param {{ accessTokenFactory?: () => (string|null|Promise<string|null>), WebSocket?: typeof WebSocket,
   *           baseUrl?: string } & Partial<typeof DEFAULT_HUB_TIMINGS>} options
   */
  constructor(hubUrl, options = {}) {
    this.#hubUrl = hubUrl;
    this.#options = { ...DEFAULT_HUB_TIMINGS, WebSocket: globalThis.WebSocket, baseUrl: globalThis.location?.href, ...options };
  }

  /** Opens the socket and completes the handshake. Rejects with a CaptionsError. */
  async start() {
    if (this.state !== 'Disconnected') throw new Error('HubConnection.start: already started');
    this.state = 'Connecting';
    this.#stopping = false;
    let url;
    try {
      const token = this.#options.accessTokenFactory ? await this.#options.accessTokenFactory() : null;
      url = webSocketUrl(this.#hubUrl, this.#options.baseUrl, token);
    } catch (e) {
      this.state = 'Disconnected';
      throw e instanceof CaptionsError ? e : new CaptionsError('server_error', String(e?.message ?? e), e);
    }
    const Ctor = this.#options.WebSocket;
    if (typeof Ctor !== 'function') {
      this.state = 'Disconnected';
      throw new CaptionsError('webrtc_unsupported', 'no WebSocket in this environment');
    }

    await new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#teardown();
        this.state = 'Disconnected';
        reject(error);
      };
      const timer = setTimeout(() => fail(new CaptionsError('timeout', 'signaling handshake')), this.#options.handshakeTimeoutMs);
      let ws;
      try {
        ws = new Ctor(url);
      } catch (e) {
        fail(new CaptionsError('server_unreachable', String(e?.message ?? e), e));
        return;
      }
      this.#ws = ws;
      ws.onopen = () => ws.send(handshakeRequest());
      ws.onerror = () => {};
      ws.onclose = (ev) => {
        if (!settled) {
          // A browser does not tell why an upgrade failed (401 and a dead server look the same).
          fail(new CaptionsError('server_unreachable', `signaling connection closed before it opened (code ${ev?.code ?? '?'}); the server may be down or have refused the access token`));
        } else {
          this.#closed(this.#stopping ? undefined : new CaptionsError('network_lost', `signaling connection closed (code ${ev?.code ?? '?'})`));
        }
      };
      ws.onmessage = (ev) => {
        if (typeof ev.data !== 'string') return;
        const { records, error } = this.#splitter.push(ev.data);
        for (const record of records) {
          if (!settled) {
            const hs = parseHandshakeResponse(record);
            if (!hs.ok) {
              fail(new CaptionsError('server_error', `signaling handshake refused: ${hs.error}`));
              return;
            }
            settled = true;
            clearTimeout(timer);
            this.state = 'Connected';
            this.#armTimers();
            resolve();
            continue;
          }
          this.#receive(record);
        }
        if (error) this.#abort(new CaptionsError('server_error', error));
        else if (settled) this.#resetServerTimer();
      };
    });
  }

  /** Calls a hub method and resolves with its result; rejects with a CaptionsError explaining the hub's error. */
  invoke(target, ...args) {
    if (this.state !== 'Connected') return Promise.reject(new CaptionsError('network_lost', `cannot call ${target}: signaling is not connected`));
    if (this.#pending.size >= MAX_PENDING_INVOCATIONS) return Promise.reject(new CaptionsError('overloaded', `more than ${MAX_PENDING_INVOCATIONS} calls waiting for the server`));
    const id = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CaptionsError('timeout', `${target} got no answer`));
      }, this.#options.invokeTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#ws.send(invocation(id, target, args));
    });
  }

  /** Registers a handler for a method the server calls on the client (e.g. 'Caption'). */
  on(target, handler) {
    const key = target.toLowerCase();
    if (!this.#handlers.has(key)) this.#handlers.set(key, []);
    this.#handlers.get(key).push(handler);
  }

  off(target, handler) {
    const list = this.#handlers.get(target.toLowerCase());
    if (!list) return;
    const i = handler ? list.indexOf(handler) : -1;
    if (!handler) list.length = 0;
    else if (i >= 0) list.splice(i, 1);
  }

  /** Registers a callback for when the connection closes: undefined after stop(), else the CaptionsError. */
  onclose(callback) {
    this.#closeHandlers.push(callback);
  }

  /** Closes the connection; pending invocations are rejected. */
  async stop() {
    if (this.state === 'Disconnected') return;
    this.#stopping = true;
    const ws = this.#ws;
    this.#closed(undefined);
    try {
      ws?.close(1000);
    } catch {
      // Closing a socket that never opened throws in some browsers; it is closed either way.
    }
  }

  #receive(record) {
    const parsed = parseHubMessage(record);
    if (!parsed.ok) return; // Bad input is normal input: a message this client cannot read is skipped.
    const m = parsed.message;
    switch (m.type) {
      case HubMessageType.Completion: {
        const p = this.#pending.get(m.invocationId);
        if (!p) return;
        this.#pending.delete(m.invocationId);
        clearTimeout(p.timer);
        if (typeof m.error === 'string') p.reject(hubError(m.error));
        else p.resolve(m.result);
        return;
      }
      case HubMessageType.Invocation:
        for (const handler of this.#handlers.get(m.target.toLowerCase()) ?? []) {
          try {
            handler(...m.arguments);
          } catch (e) {
            console.error(`hub handler for ${m.target} threw`, e);
          }
        }
        return;
      case HubMessageType.Close:
        this.#abort(m.error ? hubError(m.error) : new CaptionsError('network_lost', 'the server closed the signaling connection'));
        return;
      default:
        return; // Ping: only resets the server timeout.
    }
  }

  #armTimers() {
    this.#keepAliveTimer = setInterval(() => {
      try {
        this.#ws?.send(ping());
      } catch {
        // The close handler reports a dead socket.
      }
    }, this.#options.keepAliveMs);
    this.#resetServerTimer();
  }

  #resetServerTimer() {
    clearTimeout(this.#serverTimer);
    this.#serverTimer = setTimeout(
      () => this.#abort(new CaptionsError('network_lost', `no message from the server for ${this.#options.serverTimeoutMs / 1000} s`)),
      this.#options.serverTimeoutMs);
  }

  #abort(error) {
    const ws = this.#ws;
    this.#closed(error);
    try {
      ws?.close(1000);
    } catch {
      // Already closed.
    }
  }

  #teardown() {
    clearInterval(this.#keepAliveTimer);
    clearTimeout(this.#serverTimer);
    this.#keepAliveTimer = this.#serverTimer = null;
    if (this.#ws) {
      this.#ws.onopen = this.#ws.onmessage = this.#ws.onclose = this.#ws.onerror = null;
    }
    this.#ws = null;
    this.#splitter = new RecordSplitter();
  }

  #closed(error) {
    if (this.state === 'Disconnected') return;
    this.#teardown();
    this.state = 'Disconnected';
    const failure = error ?? new CaptionsError('closed', 'signaling connection stopped');
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(failure);
    }
    this.#pending.clear();
    for (const cb of this.#closeHandlers) {
      try {
        cb(error);
      } catch (e) {
        console.error('hub onclose callback threw', e);
      }
    }
  }
}
