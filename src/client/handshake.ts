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

export interface Handshake {
  /** The tools as last listed: what the model was offered, and what a call runs against. */
  readonly snapshot: ToolSnapshot | undefined;
  /** A session saved by an earlier page, or just opened. */
  adopt(session: StoredSession): void;
  /**
   * The session to send with. One init at a time for the whole page: callers
   * that arrive while one is in flight (the panel opening as the person
   * sends) wait for it instead of starting another. `expired` is the session
   * the server refused: a new one replaces it, unless that already happened.
   */
  ensureSession(signal: AbortSignal, expired?: string): Promise<string>;
  /**
   * The tools, listed now: the list goes when the server may not hold it
   * (`force`, or another fingerprint). A chat always carries the fingerprint;
   * a resume (tools are listed again after every round: a tool may have
   * unregistered itself and another appeared while it ran, and not every
   * WebMCP announces that) carries nothing when the tools did not change.
   */
  tools(force: boolean, resume?: boolean): Promise<ToolsPayload>;
  /** The server accepted a request carrying this payload. */
  sent(payload: ToolsPayload): void;
}

/** A closure over the handshake's state (the variables below) rather than a class: the same verbs, in fewer bytes. */
export function sessionHandshake(host: TurnLoopHost): Handshake {
  let session: StoredSession | undefined;
  /** The fingerprint whose full tool set the server holds for this session. */
  let sentFingerprint: string | undefined;
  let snapshot: ToolSnapshot | undefined;
  /** The init in flight, shared by every caller that needs a session meanwhile. */
  let initializing: Promise<string> | undefined;

  const adopt = (adopted: StoredSession): void => {
    session = adopted;
    // The surface's welcome and placeholder come with it: a reload does not fall back to the defaults.
    host.dispatch({ type: 'session', ...adopted });
  };

  const init = async (renew: string | undefined): Promise<string> => {
    const previous = session?.sessionId;
    const {
      sessionId,
      expiresAt,
      config: { welcomeMessage, placeholder },
    } = await host.api.init({ token: host.clientToken, ...(renew && { sessionId: renew }) });
    if (sessionId !== previous) sentFingerprint = undefined;
    const opened = { sessionId, expiresAt, welcomeMessage, placeholder };
    adopt(opened);
    await host.store.saveSession(opened).catch(() => {});
    return sessionId;
  };

  const takeSnapshot = async (): Promise<ToolSnapshot | undefined> => {
    const { bridge } = host;
    if (!bridge) return undefined;
    let dropped: ToolSnapshot['dropped'];
    try {
      snapshot = await bridge.snapshot();
      dropped = snapshot.dropped;
    } catch (error) {
      snapshot = undefined;
      dropped = [{ name: '*', reason: 'snapshot_failed', detail: errorMessage(error) }];
    }
    host.dispatch({ type: 'snapshot', dropped, bridgeKind: bridge.kind });
    return snapshot;
  };

  return {
    get snapshot() {
      return snapshot;
    },

    adopt,

    async ensureSession(signal, expired) {
      for (;;) {
        if (initializing) {
          await abortable(initializing, signal);
          continue;
        }
        const current = session;
        const stale = current !== undefined && current.sessionId === expired;
        if (current && !stale && Date.parse(current.expiresAt) - host.now() > EXPIRY_MARGIN_MS) return current.sessionId;
        // Not tied to this caller's signal: others may be waiting on the same init.
        const started = init(current && !stale ? current.sessionId : undefined);
        initializing = started;
        const done = () => {
          if (initializing === started) initializing = undefined;
        };
        void started.then(done, done);
        return await abortable(started, signal);
      }
    },

    async tools(force, resume) {
      const listed = await takeSnapshot();
      if (!listed) return {};
      const { fingerprint } = listed;
      const send = force || sentFingerprint !== fingerprint;
      if (resume && !send) return {};
      return { clientToolsFingerprint: fingerprint, ...(send && { clientTools: [...listed.tools] }) };
    },

    sent(payload) {
      if (payload.clientToolsFingerprint) sentFingerprint = payload.clientToolsFingerprint;
    },
  };
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
