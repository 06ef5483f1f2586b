/**
 * What the server must know before a request: a live session, and the page's
 * tools. The full tool list goes once per session and fingerprint; after that
 * a chat carries only the fingerprint, and a resume carries the list only
 * when the tools differ from what the server holds.
 */
import type { ClientTool } from '../protocol/index.js';
import type { ToolSnapshot } from '../bridge/types.js';
import { errorMessage } from '../shared/error-message.js';
import type { TurnLoopHost } from './loop-host.js';
import type { StoredSession } from './persistence.js';

/** How long before expiry a session is renewed rather than used. */
const EXPIRY_MARGIN_MS = 5_000;

export interface ToolsPayload {
  clientToolsFingerprint?: string;
  clientTools?: ClientTool[];
}

export class Handshake {
  readonly #host: TurnLoopHost;
  #session: StoredSession | undefined;
  /** The fingerprint whose full tool set the server holds for this session. */
  #sentFingerprint: string | undefined;
  #snapshot: ToolSnapshot | undefined;
  /** The init in flight, shared by every caller that needs a session meanwhile. */
  #initializing: Promise<string> | undefined;

  constructor(host: TurnLoopHost) {
    this.#host = host;
  }

  /** The tools as last listed: what the model was offered, and what a call runs against. */
  get snapshot(): ToolSnapshot | undefined {
    return this.#snapshot;
  }

  /** A session saved by an earlier page, or just opened. */
  adopt(session: StoredSession): void {
    this.#session = session;
    // The surface's welcome and placeholder come with it: a reload does not fall back to the defaults.
    this.#host.dispatch({ type: 'session', ...session });
  }

  /**
   * The session to send with. One init at a time for the whole page: callers
   * that arrive while one is in flight (the panel opening as the person
   * sends) wait for it instead of starting another. `expired` is the session
   * the server refused: a new one replaces it, unless that already happened.
   */
  async ensureSession(signal: AbortSignal, expired?: string): Promise<string> {
    for (;;) {
      if (this.#initializing) {
        await abortable(this.#initializing, signal);
        continue;
      }
      const current = this.#session;
      const stale = current !== undefined && current.sessionId === expired;
      if (current && !stale && Date.parse(current.expiresAt) - this.#host.now() > EXPIRY_MARGIN_MS) return current.sessionId;
      // Not tied to this caller's signal: others may be waiting on the same init.
      const init = this.#init(current && !stale ? current.sessionId : undefined);
      this.#initializing = init;
      const done = () => {
        if (this.#initializing === init) this.#initializing = undefined;
      };
      void init.then(done, done);
      return await abortable(init, signal);
    }
  }

  async #init(renew: string | undefined): Promise<string> {
    const previous = this.#session?.sessionId;
    const {
      sessionId,
      expiresAt,
      config: { welcomeMessage, placeholder },
    } = await this.#host.api.init({ token: this.#host.clientToken, ...(renew && { sessionId: renew }) });
    if (sessionId !== previous) this.#sentFingerprint = undefined;
    const session = { sessionId, expiresAt, welcomeMessage, placeholder };
    this.adopt(session);
    await this.#host.store.saveSession(session).catch(() => {});
    return sessionId;
  }

  /**
   * The tools, listed now: the list goes when the server may not hold it
   * (`force`, or another fingerprint). A chat always carries the fingerprint;
   * a resume (tools are listed again after every round: a tool may have
   * unregistered itself and another appeared while it ran, and not every
   * WebMCP announces that) carries nothing when the tools did not change.
   */
  async tools(force: boolean, resume?: boolean): Promise<ToolsPayload> {
    const snapshot = await this.#takeSnapshot();
    if (!snapshot) return {};
    const { fingerprint } = snapshot;
    const send = force || this.#sentFingerprint !== fingerprint;
    if (resume && !send) return {};
    return { clientToolsFingerprint: fingerprint, ...(send && { clientTools: [...snapshot.tools] }) };
  }

  /** The server accepted a request carrying this payload. */
  sent(payload: ToolsPayload): void {
    if (payload.clientToolsFingerprint) this.#sentFingerprint = payload.clientToolsFingerprint;
  }

  async #takeSnapshot(): Promise<ToolSnapshot | undefined> {
    const { bridge } = this.#host;
    if (!bridge) return undefined;
    let dropped: ToolSnapshot['dropped'];
    try {
      this.#snapshot = await bridge.snapshot();
      dropped = this.#snapshot.dropped;
    } catch (error) {
      this.#snapshot = undefined;
      dropped = [{ name: '*', reason: 'snapshot_failed', detail: errorMessage(error) }];
    }
    this.#host.dispatch({ type: 'snapshot', dropped, bridgeKind: bridge.kind });
    return this.#snapshot;
  }
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the promise itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
