/**
 * Executions: one agent run each, owned by the session that started it, with
 * its event log, its transcript toward the agent, and the rounds of client
 * tool calls it paused on. Bounded in entries (`maxExecutions`) and in bytes
 * (the memory budget): finished runs are forgotten, least recently used
 * first; a run that is streaming or waiting for a tool result never is.
 */
import type { AdmissionEventData } from '../protocol/index.js';
import type { Agent, AgentMessage } from './agents/types.js';
import type { AdmittedTool } from './admission.js';
import { EventLog } from './event-log.js';
import { newId } from './http.js';
import { type MemoryBudget, busy } from './memory.js';

export interface PendingCall {
  toolCallId: string;
  /** Bare name, as the widget knows the tool. */
  toolName: string;
  modelName: string;
  origin: 'webmcp' | 'sdk';
  parameters: Record<string, unknown>;
}

/** One stretch of the log written for one chat or resume request. */
export interface Segment {
  startSeq: number;
  /** Set when the run leaves `running` (paused on tools or ended). */
  endSeq: number | undefined;
}

export interface AwaitRound {
  calls: PendingCall[];
  /** What the resume that answered this round wrote, for a repeat of that resume. */
  answered: { segment: Segment } | undefined;
}

export interface Execution {
  id: string;
  sessionId: string;
  token: string;
  origin: string;
  log: EventLog;
  agent: Agent;
  messages: AgentMessage[];
  tools: AdmittedTool[];
  /** The last admission verdict, repeated on a resume that does not resend tools. */
  verdict: AdmissionEventData;
  iteration: number;
  rounds: AwaitRound[];
  /** The segment being written now (the chat's, or the latest resume's). */
  segment: Segment;
  /** What this run holds against the memory budget. */
  bytes: number;
}

/** Estimated heap of a run before its log and transcript: the record, its agent and its tools. */
export const EXECUTION_BASE_BYTES = 4_096;

export class ExecutionStore {
  /** Map order doubles as recency order for eviction. */
  readonly #executions = new Map<string, Execution>();
  readonly #bySession = new Map<string, Set<string>>();
  /** Sessions with a run that is streaming or waiting for tools, and how many. */
  readonly #live = new Map<string, number>();

  constructor(
    private readonly maxExecutions: number,
    private readonly budget: MemoryBudget,
  ) {
    budget.addReclaimer((bytes) => this.#reclaim(bytes));
  }

  get size(): number {
    return this.#executions.size;
  }

  /** Whether this session has a run that must not be forgotten. */
  hasLive(sessionId: string): boolean {
    return this.#live.has(sessionId);
  }

  /** Makes room for one more run (forgetting the oldest finished one), or refuses with 503. */
  makeRoom(): void {
    if (this.#executions.size < this.maxExecutions) return;
    for (const [id, execution] of this.#executions) {
      if (!isLive(execution)) {
        this.#forget(id);
        return;
      }
    }
    throw busy('maxExecutions', 'runs');
  }

  create(fields: Omit<Execution, 'id' | 'log' | 'iteration' | 'rounds' | 'segment' | 'bytes'>, toolBytes: number): Execution {
    const id = newId('exec');
    const execution: Execution = {
      ...fields,
      id,
      log: new EventLog(id, {
        grew: (bytes) => this.#grow(execution, bytes),
        // A run forgotten with its session was already counted out when it was forgotten.
        ended: () => this.#executions.has(id) && this.#ended(execution),
      }),
      iteration: 0,
      rounds: [],
      segment: { startSeq: 0, endSeq: undefined },
      bytes: 0,
    };
    this.#executions.set(id, execution);
    let ids = this.#bySession.get(execution.sessionId);
    if (!ids) this.#bySession.set(execution.sessionId, (ids = new Set()));
    ids.add(id);
    this.#live.set(execution.sessionId, (this.#live.get(execution.sessionId) ?? 0) + 1);
    this.#grow(execution, EXECUTION_BASE_BYTES + toolBytes);
    for (const message of fields.messages) this.#grow(execution, messageBytes(message));
    return execution;
  }

  /** Adds to the transcript the agent reads, counting it against the budget. */
  addMessage(execution: Execution, message: AgentMessage): void {
    execution.messages.push(message);
    this.#grow(execution, messageBytes(message));
  }

  /** Only the owning session sees an execution; to any other it does not exist. */
  get(id: string, sessionId: string): Execution | undefined {
    const execution = this.#executions.get(id);
    if (!execution || execution.sessionId !== sessionId) return undefined;
    this.#executions.delete(id);
    this.#executions.set(id, execution);
    return execution;
  }

  /** A session that is gone (expired or evicted) takes its runs with it: nobody can reach them any more. */
  dropSession(sessionId: string): void {
    for (const id of this.#bySession.get(sessionId) ?? []) this.#forget(id);
  }

  #grow(execution: Execution, bytes: number): void {
    // A run forgotten with its session may still be writing its last frames.
    if (!this.#executions.has(execution.id)) return;
    execution.bytes += bytes;
    this.budget.grow(bytes);
  }

  #ended(execution: Execution): void {
    const count = (this.#live.get(execution.sessionId) ?? 1) - 1;
    if (count > 0) this.#live.set(execution.sessionId, count);
    else this.#live.delete(execution.sessionId);
  }

  #forget(id: string): void {
    const execution = this.#executions.get(id);
    if (!execution) return;
    if (isLive(execution)) this.#ended(execution);
    this.#executions.delete(id);
    const ids = this.#bySession.get(execution.sessionId);
    ids?.delete(id);
    if (ids?.size === 0) this.#bySession.delete(execution.sessionId);
    this.budget.shrink(execution.bytes);
  }

  /** Forgets finished runs, least recently used first, until `bytes` are freed. */
  #reclaim(bytes: number): number {
    let freed = 0;
    for (const [id, execution] of this.#executions) {
      if (freed >= bytes) break;
      if (isLive(execution)) continue;
      freed += execution.bytes;
      this.#forget(id);
    }
    return freed;
  }
}

function isLive(execution: Execution): boolean {
  return execution.log.state === 'running' || execution.log.state === 'awaiting';
}

/** A message's estimated heap: its text, and the JSON of any tool calls. */
export function messageBytes(message: AgentMessage): number {
  const calls = message.role === 'assistant' && message.toolCalls ? JSON.stringify(message.toolCalls).length : 0;
  return 64 + message.content.length + calls;
}
