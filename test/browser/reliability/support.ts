/**
 * The reliability suites: the real bridge over whatever WebMCP the page has
 * (our polyfill, native with the flag, or @mcp-b/global), a real ChatSession, and the
 * reference API started by web-test-runner.config.mjs with `--test-hooks`.
 * Each case scripts the "model", runs one turn, and reads back what the
 * server received, so a test checks what the model was told.
 */
import { createBridge, type BridgeOptions } from '../../../src/bridge/index.js';
import { createChatSession, memoryStore, type ChatSession, type ChatSessionOptions } from '../../../src/client/index.js';
import type { ChatState } from '../../../src/client/state.js';
import { ok } from '../webmcp/support.js';

export { contains, deepEq, eq, impl, ok, register, unregisterAll } from '../webmcp/support.js';

export const TOKEN = 'ct_test_browser';

let apiUrl = '';

/** The reference API's URL (another origin than the page), once per file. */
export async function referenceApi(): Promise<string> {
  if (apiUrl) return apiUrl;
  const env = (await (await fetch('/__env.json')).json()) as { apiUrl: string | null };
  ok(env.apiUrl, 'the reference API did not start (see web-test-runner.config.mjs)');
  apiUrl = env.apiUrl!;
  return apiUrl;
}

export async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${await referenceApi()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  ok(response.ok, `${path} answered ${response.status}`);
}

export interface LoggedRequest {
  endpoint: string;
  status: number;
  body: { clientTools?: { name: string }[] } & Record<string, unknown>;
  toolOutputs?: Record<string, unknown>;
  replayed?: boolean;
}

export interface ServerLog {
  requests: LoggedRequest[];
  acceptedToolOutputs: Record<string, number>;
}

/** What the server received for one session. */
export async function serverLog(sessionId: string): Promise<ServerLog> {
  return (await fetch(`${await referenceApi()}/__test/log?sessionId=${encodeURIComponent(sessionId)}`)).json() as Promise<ServerLog>;
}

/** Unique per run, so ids never meet another file's in the shared server log. */
export const uid = (label: string) => `${label}_${Math.random().toString(36).slice(2, 10)}`;

export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    ok(Date.now() - start < timeoutMs, 'timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function assistantText(state: ChatState): string {
  const last = state.messages.at(-1);
  return last?.role === 'assistant' ? last.parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';
}

export interface TurnResult {
  session: ChatSession;
  state: ChatState;
  log: ServerLog;
  /** The resumes the server received, in order. */
  resumes: LoggedRequest[];
}

export interface TurnOptions {
  /** Script turns for the model (see src/server/agents/fixed-script.ts). */
  turns: unknown[];
  token?: string;
  bridge?: BridgeOptions;
  session?: Partial<ChatSessionOptions>;
  text?: string;
}

/** One person's message through a fresh session; resolves when the turn is over. */
export async function runTurn(options: TurnOptions): Promise<TurnResult> {
  const token = options.token ?? TOKEN;
  const url = await referenceApi();
  const session = createChatSession({
    apiUrl: url,
    clientToken: token,
    bridge: createBridge(options.bridge),
    storage: memoryStore(uid('store')),
    ...options.session,
  });
  // The script is kept for this session, so files running side by side on the one server cannot take it.
  await session.connect();
  await post('/__test/script', { token, sessionId: session.state.value.sessionId, turns: options.turns });
  await session.send(options.text ?? 'go');
  await session.idle();
  const state = session.state.value;
  ok(state.sessionId, 'no session was opened');
  const log = await serverLog(state.sessionId!);
  session.dispose();
  return { session, state, log, resumes: log.requests.filter((request) => request.endpoint === 'resume') };
}

/** The run went on to `execution_complete`: no error, idle, and the model's last words arrived. */
export function assertRunCompleted(result: TurnResult, finalText: string): void {
  const { state } = result;
  ok(state.error === null, `the turn failed: ${state.error?.code} ${state.error?.message}`);
  ok(state.status === 'idle', `status ${state.status}`);
  ok(assistantText(state) === finalText, `the model's last words: ${JSON.stringify(assistantText(state))}`);
}
