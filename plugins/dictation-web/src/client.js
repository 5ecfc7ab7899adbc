// The connection to the dictation daemon on the user's computer: JSON-RPC 2.0 over its loopback WebSocket,
// pairing on first use, and reconnection for as long as the page lives.
//
// A page proves it may use the user's dictation with a token of its own. It gets one by pairing: it shows
// a short code, the user confirms it with `dictation-daemon pair CODE`, and the daemon hands the token to
// this connection. The token is kept in the page's storage (per origin) and sent with `authenticate` on
// every later connection; a token the daemon refuses (revoked) is forgotten and the page pairs again.

export const DEFAULT_URL = "ws://127.0.0.1:8766/";
export const PROTOCOL_VERSIONS = ["1.0"];
export const TOKEN_KEY = "dictation-daemon:token";

const NOT_AUTHENTICATED = -32005;
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5000;

/** An error answer of the daemon. */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.data = data;
  }
}

/**
 * One page's connection to the daemon. Events: `status` (the connection and dictation state changed;
 * `detail` is the status), `ready` (registered: claims may be sent), and one per daemon notification
 * (`transcript`, `command`, `state`, `error`, `usage`, `target.lost`) with its params as `detail`.
 */
export class DictationClient extends EventTarget {
  constructor(options = {}) {
    super();
    this.url = options.url ?? DEFAULT_URL;
    this.site = options.site ?? (typeof document !== "undefined" ? document.title : "");
    this.clientInfo = { name: options.name ?? "dictation-web", version: options.version ?? "0.1.0" };
    this.storage = options.storage === undefined ? globalThis.localStorage ?? null : options.storage;
    this.autoPair = options.autoPair ?? true;
    this._commands = new Set(options.commands ?? []);
    this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this._socket = null;
    this._pending = new Map();
    this._ids = 0;
    this._retryMs = FIRST_RETRY_MS;
    this._retryTimer = null;
    this._closed = false;
    this._wantPairing = this.autoPair;
    this.status = { connection: "connecting", dictation: "idle", code: null, message: "Connecting to dictation…" };
  }

  /** Starts connecting; the client keeps reconnecting until {@link close}. */
  open() {
    this._closed = false;
    this._connect();
    return this;
  }

  /** Ends the connection for good. */
  close() {
    this._closed = true;
    clearTimeout(this._retryTimer);
    this._socket?.close();
    this._update({ connection: "closed", message: "Dictation is off." });
  }

  /** Whether the daemon registered this page (claims and dictation calls may be sent). */
  get ready() {
    return this.status.connection === "ready";
  }

  /** The command ids this page handles; the daemon sends only those. Adding one re-registers. */
  handleCommands(ids) {
    const before = this._commands.size;
    for (const id of ids) this._commands.add(id);
    if (this._commands.size !== before && this.ready) {
      this.call("shutdown").then(() => this._register()).catch(() => this._socket?.close());
    }
  }

  /** Asks the user again to pair this page (after an earlier request expired). */
  pair() {
    this._wantPairing = true;
    if (this.status.connection === "unpaired") {
      this._socket?.close();
      this._connect();
    }
  }

  /** Sends a request; resolves with its result, rejects with an {@link RpcError} or when the connection ends. */
  call(method, params) {
    const socket = this._socket;
    if (!socket || socket.readyState !== 1) return Promise.reject(new RpcError(-1, "not connected to the dictation daemon"));
    const id = ++this._ids;
    const request = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject, socket });
      socket.send(JSON.stringify(request));
    });
  }

  // --- connection ------------------------------------------------------------------------------------

  _connect() {
    clearTimeout(this._retryTimer);
    let socket;
    try {
      socket = new this._WebSocket(this.url);
    } catch (error) {
      this._retry(`Cannot reach the dictation daemon: ${error.message}`);
      return;
    }
    this._socket = socket;
    socket.onopen = () => this._handshake(socket).catch((error) => this._failed(socket, error));
    socket.onmessage = (message) => this._received(socket, message.data);
    socket.onclose = () => this._lost(socket);
  }

  async _handshake(socket) {
    const token = this._storedToken();
    if (token) {
      try {
        await this.call("authenticate", { token });
      } catch (error) {
        if (error instanceof RpcError && error.code === NOT_AUTHENTICATED) {
          this._forgetToken();  // revoked, or issued by another daemon: pair again
          this._retryMs = FIRST_RETRY_MS;
          return;  // the daemon closes this connection; the next one pairs
        }
        throw error;
      }
      await this._register();
      return;
    }
    if (!this._wantPairing) {
      this._update({ connection: "unpaired", code: null, message: "This page is not paired with dictation." });
      socket.close();
      return;
    }
    const { code } = await this.call("pairing.request", { site: this.site.slice(0, 100) });
    this._update({
      connection: "pairing", code,
      message: `To use dictation here, run: dictation-daemon pair ${code}`,
    });
    // The token arrives as a `paired` notification on this connection (see _notified).
  }

  async _register() {
    await this.call("initialize", {
      protocolVersions: PROTOCOL_VERSIONS, client: this.clientInfo,
      commands: [...this._commands], insertsText: true,
    });
    const status = await this.call("status");
    this._retryMs = FIRST_RETRY_MS;
    this._update({ connection: "ready", dictation: status.state, code: null, message: describe(status.state) });
    this.dispatchEvent(new CustomEvent("ready"));
  }

  _received(socket, data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;  // the daemon sends JSON only; anything else is not ours to act on
    }
    if (message && typeof message.method === "string") {
      this._notified(message.method, message.params ?? {});
      return;
    }
    const pending = this._pending.get(message?.id);
    if (!pending || pending.socket !== socket) return;
    this._pending.delete(message.id);
    if (message.error) pending.reject(new RpcError(message.error.code, message.error.message, message.error.data));
    else pending.resolve(message.result);
  }

  _notified(method, params) {
    if (method === "paired") {
      this._storeToken(params.token);
      this._wantPairing = this.autoPair;
      this._register().catch((error) => this._failed(this._socket, error));
      return;
    }
    if (method === "state") {
      const connection = params.connection;
      const busy = connection && !["connected", "connecting", "closed"].includes(connection.state);
      this._update({ dictation: params.state, message: busy ? connection.description : describe(params.state, params.reason) });
    }
    this.dispatchEvent(new CustomEvent(method, { detail: params }));
  }

  _failed(socket, error) {
    this._update({ message: `Dictation: ${error.message}` });
    socket?.close();
  }

  _lost(socket) {
    for (const [id, pending] of this._pending) {
      if (pending.socket === socket) {
        this._pending.delete(id);
        pending.reject(new RpcError(-1, "the connection to the dictation daemon ended"));
      }
    }
    if (socket !== this._socket || this._closed) return;
    if (this.status.connection === "pairing") {
      this._wantPairing = false;
      this._update({ connection: "unpaired", code: null, message: "The pairing code expired. Pair again to use dictation here." });
      return;
    }
    if (this.status.connection === "unpaired") return;
    this._retry(this.status.connection === "ready"
      ? "Reconnecting to dictation…"
      : "Cannot reach the dictation daemon (is it running, and is this site allowed?)");
  }

  _retry(message) {
    this._update({ connection: "reconnecting", message });
    this._retryTimer = setTimeout(() => this._connect(), this._retryMs);
    this._retryMs = Math.min(this._retryMs * 2, LAST_RETRY_MS);
  }

  _update(changes) {
    this.status = { ...this.status, ...changes };
    this.dispatchEvent(new CustomEvent("status", { detail: this.status }));
  }

  _storedToken() {
    try {
      return this.storage?.getItem(TOKEN_KEY) ?? null;
    } catch {
      return null;
    }
  }

  _storeToken(token) {
    try {
      this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      // storage refused (private mode): the page pairs again next time
    }
  }

  _forgetToken() {
    try {
      this.storage?.removeItem(TOKEN_KEY);
    } catch {
      // nothing stored
    }
  }
}

/** A client connected (and reconnecting) to the daemon. */
export function connect(options = {}) {
  return new DictationClient(options).open();
}

function describe(state, reason) {
  switch (state) {
    case "listening": return "Listening";
    case "finishing": return "Finishing…";
    case "error": return reason ? `Dictation error: ${reason}` : "Dictation error";
    default: return "Ready";
  }
}
