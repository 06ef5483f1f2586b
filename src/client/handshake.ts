/**
 * What the server must know before a request: a live session, and the page's
 * tools. The full tool list goes once per session and fingerprint; after that
 * a chat carries only the fingerprint, and a resume carries the list only
 * when the page's tools changed since.
 */
import type { ClientTool } from '../protocol/index.js';
import type { ToolSnapshot } from '../bridge/types.js';
import { errorMessage } from './error-message.js';
import type { TurnLoopHost } from './loop-host.js';

/** How long before expiry a session is renewed rather than used. */
const EXPIRY_MARGIN_MS = 5_000;

export interface ToolsPayload {
  clientToolsFingerprint?: string;
  clientTools?: ClientTool[];
}

export class Handshake {
  readonly #host: TurnLoopHost;
  #session: { sessionId: string; expiresAt: string } | undefined;
  /** The fingerprint whose full tool set the server holds for this session. */
  #sentFingerprint: string | undefined;
  #snapshot: ToolSnapshot | undefined;
  #toolsChanged = false;
  readonly #unsubscribe: (() => void) | undefined;

  constructor(host: TurnLoopHost) {
    this.#host = host;
    this.#unsubscribe = host.bridge?.onToolsChanged(() => {
      this.#toolsChanged = true;
    });
  }

  /** The tools as last listed: what the model was offered, and what a call runs against. */
  get snapshot(): ToolSnapshot | undefined {
    return this.#snapshot;
  }

  /** A session saved by an earlier page. */
  adopt(session: { sessionId: string; expiresAt: string }): void {
    this.#session = session;
    this.#host.dispatch({ type: 'session', sessionId: session.sessionId });
  }

  async ensureSession(signal: AbortSignal, reinit: boolean): Promise<string> {
    const current = this.#session;
    if (current && !reinit && Date.parse(current.expiresAt) - this.#host.now() > EXPIRY_MARGIN_MS) return current.sessionId;
    const answer = await this.#host.api.init(
      { token: this.#host.clientToken, ...(current && !reinit ? { sessionId: current.sessionId } : {}) },
      signal,
    );
    if (answer.sessionId !== current?.sessionId) this.#sentFingerprint = undefined;
    this.#session = { sessionId: answer.sessionId, expiresAt: answer.expiresAt };
    this.#host.dispatch({
      type: 'session',
      sessionId: answer.sessionId,
      welcomeMessage: answer.config.welcomeMessage,
      placeholder: answer.config.placeholder,
    });
    await this.#host.store.saveSession(this.#session).catch(() => {});
    return answer.sessionId;
  }

  /** Tools for a chat: always the fingerprint; the list when the server may not hold it. */
  async chatTools(force: boolean): Promise<ToolsPayload> {
    const snapshot = await this.#takeSnapshot();
    if (!snapshot) return {};
    const send = force || this.#sentFingerprint !== snapshot.fingerprint;
    return { clientToolsFingerprint: snapshot.fingerprint, ...(send && { clientTools: [...snapshot.tools] }) };
  }

  /** Tools for a resume: only when the page's tools changed (or the server asked), and then the list as it is now. */
  async resumeTools(force: boolean): Promise<ToolsPayload> {
    if (!this.#toolsChanged && !force) return {};
    const snapshot = await this.#takeSnapshot();
    if (!snapshot || (!force && snapshot.fingerprint === this.#sentFingerprint)) return {};
    return { clientToolsFingerprint: snapshot.fingerprint, clientTools: [...snapshot.tools] };
  }

  /** The server accepted a request carrying this payload. */
  sent(payload: ToolsPayload): void {
    if (payload.clientToolsFingerprint) this.#sentFingerprint = payload.clientToolsFingerprint;
  }

  async #takeSnapshot(): Promise<ToolSnapshot | undefined> {
    const { bridge } = this.#host;
    if (!bridge) return undefined;
    this.#toolsChanged = false;
    try {
      this.#snapshot = await bridge.snapshot();
      this.#host.dispatch({ type: 'snapshot', dropped: this.#snapshot.dropped, bridgeKind: bridge.kind });
    } catch (error) {
      this.#snapshot = undefined;
      this.#host.dispatch({
        type: 'snapshot',
        dropped: [{ name: '*', reason: 'snapshot_failed', detail: errorMessage(error) }],
        bridgeKind: bridge.kind,
      });
    }
    return this.#snapshot;
  }

  dispose(): void {
    this.#unsubscribe?.();
  }
}
