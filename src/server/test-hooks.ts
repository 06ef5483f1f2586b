/**
 * State behind `/__test/*` (only with `--test-hooks`): scripts that replace the
 * agent for the next executions, faults for the next requests, and a record of
 * what the server received, so browser tests can check "no tool ran twice".
 */
import { fixedScriptAgent, type ScriptTurn } from './agents/fixed-script.js';
import type { AgentFactory } from './context.js';
import { FaultQueue } from './faults.js';

export interface RequestRecord {
  seq: number;
  at: string;
  method: string;
  endpoint: string;
  path: string;
  origin: string | null;
  status: number;
  body: unknown;
  sessionId?: string | undefined;
  executionId?: string | undefined;
  toolOutputs?: unknown;
  /** A resume answered from the event log instead of running again. */
  replayed?: boolean | undefined;
  /** The injected fault, as JSON. */
  fault?: string | undefined;
}

const MAX_RECORDS = 2_000;

export class TestHooks {
  readonly faults = new FaultQueue();
  private readonly scripts: { token: string | undefined; sessionId: string | undefined; turns: ScriptTurn[] }[] = [];
  private records: RequestRecord[] = [];
  private seq = 0;
  /** How many times each toolCallId's output was accepted and fed to the agent. */
  private readonly accepted = new Map<string, number>();

  /** `sessionId` keeps the script for that session's chats, so suites running side by side cannot take each other's. */
  queueScript(turns: ScriptTurn[], token: string | undefined, times: number, sessionId?: string): void {
    for (let i = 0; i < times; i++) this.scripts.push({ token, sessionId, turns });
  }

  /** The first queued script for this token (or for any token) and this session (or any session). */
  takeScript(token: string, sessionId?: string): ScriptTurn[] | undefined {
    const index = this.scripts.findIndex(
      (script) =>
        (script.token === undefined || script.token === token) && (script.sessionId === undefined || script.sessionId === sessionId),
    );
    if (index < 0) return undefined;
    return this.scripts.splice(index, 1)[0]!.turns;
  }

  /** The agent factory with queued scripts taking precedence: how a script reaches a run without the routes knowing. */
  scriptedOr(base: AgentFactory): AgentFactory {
    return (token, sessionId) => {
      const script = this.takeScript(token.token, sessionId);
      return script ? fixedScriptAgent(script) : base(token, sessionId);
    };
  }

  record(entry: Omit<RequestRecord, 'seq' | 'at'>): void {
    this.records.push({ seq: ++this.seq, at: new Date().toISOString(), ...entry });
    if (this.records.length > MAX_RECORDS) this.records.shift();
  }

  noteAccepted(toolCallIds: readonly string[]): void {
    for (const id of toolCallIds) this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
  }

  snapshot(filter: { sessionId?: string | undefined; endpoint?: string | undefined }) {
    const requests = this.records.filter(
      (record) => (!filter.sessionId || record.sessionId === filter.sessionId) && (!filter.endpoint || record.endpoint === filter.endpoint),
    );
    return {
      requests,
      acceptedToolOutputs: Object.fromEntries(this.accepted),
      pendingScripts: this.scripts.length,
      pendingFaults: this.faults.pending.length,
    };
  }

  reset(): void {
    this.scripts.length = 0;
    this.records = [];
    this.accepted.clear();
    this.faults.clear();
  }
}
