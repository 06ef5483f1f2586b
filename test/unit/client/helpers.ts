/**
 * Test support for the client suites: the real reference API on loopback
 * (in-process, over real HTTP), a fetch that sends the page's Origin as a
 * browser would, and a small hand-written WebMCP bridge (a test double of
 * the bridge seam, not of the network).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createChatSession, memoryStore, type ChatSession, type ChatSessionOptions } from '../../../src/client/index.js';
import { startServer, resolveConfig, type RunningServer, type ScriptTurn } from '../../../src/server/index.js';
import { toolsFingerprint, type ChatRequest, type ClientTool, type ResumeRequest } from '../../../src/protocol/index.js';
import type { ApprovalRecord, RunOptions, ToolCallRequest, ToolRunOutcome, ToolSnapshot, WebMcpBridge } from '../../../src/bridge/types.js';
import { bareToolName } from '../../../src/protocol/index.js';

export { until } from '../../support/until.js';

export const ORIGIN = 'http://localhost:9871';
export const TOKEN = 'ct_test_browser';

/** One request in the server's test log (see `RequestRecord` in src/server/test-hooks.ts). */
export interface LoggedRequest<Body = unknown> {
  endpoint: string;
  status: number;
  body: Body;
  toolOutputs?: Record<string, unknown>;
  replayed?: boolean;
  fault?: string;
}

export interface RequestLog<Entry extends LoggedRequest> {
  requests: Entry[];
  acceptedToolOutputs: Record<string, number>;
}

export interface TestApi {
  server: RunningServer;
  url: string;
  clock: { offsetMs: number };
  /** fetch as a page on ORIGIN would call it. */
  fetch: typeof fetch;
  script(turns: ScriptTurn[], times?: number): Promise<void>;
  fault(rule: Record<string, unknown>): Promise<void>;
  /** What the server received; the chat and resume bodies are the client's requests, as sent. */
  log(endpoint: 'chat'): Promise<RequestLog<LoggedRequest<ChatRequest>>>;
  log(endpoint: 'resume'): Promise<RequestLog<LoggedRequest<ResumeRequest> & { toolOutputs: ResumeRequest['toolOutputs'] }>>;
  log(endpoint?: string): Promise<RequestLog<LoggedRequest>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApi(overrides: Record<string, unknown> = {}): Promise<TestApi> {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/server-config.json', import.meta.url), 'utf8'));
  const clock = { offsetMs: 0 };
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: resolveConfig({ ...fixture, streamDelayMs: 0, ...overrides }),
    testHooks: true,
    now: () => Date.now() + clock.offsetMs,
  });
  const url = server.url;
  const pageFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('origin', ORIGIN);
    return fetch(input, { ...init, headers });
  };
  const post = async (path: string, body: unknown) => {
    const response = await pageFetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  return {
    server,
    url,
    clock,
    fetch: pageFetch,
    script: (turns, times = 1) => post('/__test/script', { token: TOKEN, turns, times }),
    fault: (rule) => post('/__test/fault', rule),
    async log(endpoint?: string) {
      const response = await pageFetch(`${url}/__test/log${endpoint ? `?endpoint=${endpoint}` : ''}`);
      return response.json();
    },
    reset: () => post('/__test/reset', {}),
    close: () => server.close(),
  };
}

/** A tool's arguments: the JSON object the model sent. */
export type ToolArgs = Record<string, unknown>;

export type ToolImpl = (args: ToolArgs, signal: AbortSignal) => unknown | Promise<unknown>;

function toolArgs(parameters: unknown): ToolArgs {
  if (parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters)) return parameters as ToolArgs;
  throw new Error(`fakeBridge: tool arguments must be a JSON object, got ${JSON.stringify(parameters)}`);
}

export interface FakeBridge extends WebMcpBridge {
  calls: ToolCallRequest[];
  /** What each run returned, in order: what the session must show and send. */
  outcomes: ToolRunOutcome[];
  tools: Map<string, { impl: ToolImpl; approval?: boolean; description?: string }>;
}

/** A minimal bridge over plain functions: the real one validates, caps and normalises more. */
export function fakeBridge(impls: Record<string, ToolImpl | { impl: ToolImpl; approval?: boolean; description?: string }>): FakeBridge {
  const tools = new Map(Object.entries(impls).map(([name, value]) => [name, typeof value === 'function' ? { impl: value } : value]));
  const listeners = new Set<() => void>();
  const calls: ToolCallRequest[] = [];
  const outcomes: ToolRunOutcome[] = [];
  return {
    kind: 'polyfill',
    calls,
    outcomes,
    tools,
    async snapshot(): Promise<ToolSnapshot> {
      const list: ClientTool[] = [...tools].map(([name, entry]) => ({
        name,
        description: entry.description ?? `the ${name} tool`,
        parametersSchema: { type: 'object', properties: {} },
        origin: 'webmcp',
        pageOrigin: ORIGIN,
      }));
      return { tools: list, dropped: [], fingerprint: toolsFingerprint(list), takenAt: Date.now() };
    },
    async run(call: ToolCallRequest, _snapshot: ToolSnapshot, options: RunOptions = {}): Promise<ToolRunOutcome> {
      calls.push(call);
      const started = Date.now();
      const name = bareToolName(call.toolName);
      const entry = tools.get(name);
      const signal = options.signal ?? new AbortController().signal;
      const outcome = (output: ToolRunOutcome['output'], status: ToolRunOutcome['status'], approval: ApprovalRecord): ToolRunOutcome => {
        const result = { output, status, approval, durationMs: Date.now() - started, untrusted: false, truncated: false };
        outcomes.push(result);
        return result;
      };
      if (!entry) return outcome({ error: `not registered: ${name}` }, 'failed', 'not-required');
      let approval: ApprovalRecord = 'not-required';
      if (entry.approval) {
        options.onPhase?.('awaiting-approval');
        const decision = options.approve
          ? await options.approve(
              { toolCallId: call.toolCallId, toolName: name, description: 'd', arguments: call.parameters, reason: 'consequential' },
              signal,
            )
          : 'decline';
        if (decision === 'decline') return outcome({ error: 'declined by the user' }, 'declined', 'declined');
        approval = decision === 'always-allow' ? 'always-allowed' : 'allowed-once';
      }
      options.onPhase?.('running');
      try {
        const result = await Promise.race([
          entry.impl(toolArgs(call.parameters), signal),
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true })),
        ]);
        return outcome({ result }, 'done', approval);
      } catch (error) {
        if (signal.aborted) return outcome({ error: 'cancelled by the user' }, 'cancelled', approval);
        return outcome({ error: (error as Error).message }, 'failed', approval);
      }
    },
    onToolsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {},
  };
}

let storeCounter = 0;
export function uniqueStoreName(): string {
  storeCounter += 1;
  return `test-store-${process.pid}-${storeCounter}-${Math.random().toString(36).slice(2)}`;
}

/** Passes the body through until `count` frames containing `marker` were sent whole, then fails the read like a dropped connection. */
export function breakBodyAfter(response: Response, marker: string, count: number): Response {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = '';
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Erroring right after an enqueue would discard the queued bytes: fail on the next read.
      if (done) return controller.error(new TypeError('network error: connection reset'));
      const chunk = await reader.read();
      if (chunk.done) return controller.close();
      text += decoder.decode(chunk.value, { stream: true });
      let seen = 0;
      let at = 0;
      for (;;) {
        const found = text.indexOf(marker, at);
        if (found < 0) break;
        seen += 1;
        at = found + marker.length;
        if (seen === count) {
          const end = text.indexOf('\n\n', at);
          if (end < 0) break;
          done = true;
          controller.enqueue(encoder.encode(text.slice(0, end + 2)));
          void reader.cancel();
          return;
        }
      }
      // Hold text back until the cut point is known; release whole frames only.
      const lastEnd = text.lastIndexOf('\n\n');
      if (lastEnd >= 0 && seen < count - 1) {
        controller.enqueue(encoder.encode(text.slice(0, lastEnd + 2)));
        text = text.slice(lastEnd + 2);
      }
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * A suite's reference API and the sessions it opens: started once, reset
 * (clock too) and the sessions disposed before each test. `onStart` hands the
 * suite its TestApi; the returned `open` makes a session against it.
 */
export function useTestApi(
  onStart: (api: TestApi) => void,
  defaults: Partial<ChatSessionOptions> = {},
): (options?: Partial<ChatSessionOptions>) => ChatSession {
  let api: TestApi;
  const sessions: ChatSession[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    onStart(api);
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    for (const session of sessions.splice(0)) session.dispose();
    api.clock.offsetMs = 0;
    await api.reset();
  });
  return (options = {}) => {
    const session = createChatSession({
      apiUrl: api.url,
      clientToken: TOKEN,
      fetch: api.fetch,
      storage: memoryStore(uniqueStoreName()),
      ...defaults,
      ...options,
    });
    sessions.push(session);
    return session;
  };
}
