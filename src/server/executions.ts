/**
 * Executions: one agent run each, owned by the session that started it, with
 * its event log, its transcript toward the agent, and the rounds of client
 * tool calls it paused on. Bounded: past `maxExecutions` the least recently
 * used runs that are not streaming right now are forgotten.
 */
import type { AdmissionEventData } from '../protocol/index.js';
import type { Agent, AgentMessage } from './agents/types.js';
import type { AdmittedTool } from './admission.js';
import { EventLog } from './event-log.js';
import { newId } from './http.js';

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
  /** The resume that answered this round, and what it wrote. */
  answered: { segment: Segment; outputs: Record<string, unknown> } | undefined;
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
}

export class ExecutionStore {
  private readonly executions = new Map<string, Execution>();

  constructor(private readonly maxExecutions: number) {}

  get size(): number {
    return this.executions.size;
  }

  create(fields: Omit<Execution, 'id' | 'log' | 'iteration' | 'rounds' | 'segment'>): Execution {
    const id = newId('exec');
    const execution: Execution = {
      ...fields,
      id,
      log: new EventLog(id),
      iteration: 0,
      rounds: [],
      segment: { startSeq: 0, endSeq: undefined },
    };
    this.executions.set(id, execution);
    this.evict();
    return execution;
  }

  /** Only the owning session sees an execution; to any other it does not exist. */
  get(id: string, sessionId: string): Execution | undefined {
    const execution = this.executions.get(id);
    if (!execution || execution.sessionId !== sessionId) return undefined;
    this.executions.delete(id);
    this.executions.set(id, execution);
    return execution;
  }

  private evict(): void {
    if (this.executions.size <= this.maxExecutions) return;
    for (const [id, execution] of this.executions) {
      if (this.executions.size <= this.maxExecutions) return;
      if (execution.log.state !== 'running') this.executions.delete(id);
    }
  }
}
