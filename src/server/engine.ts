/**
 * Runs an execution: asks the agent for a turn, writes every step to the log
 * as protocol frames, and pauses on `await` when the agent calls client tools.
 * Nothing here knows about HTTP; responses are readers of the log.
 */
import { ADMISSION_EVENT_NAME, type AdmissionEventData } from '../protocol/index.js';
import { ENGINE_OWNED_EVENTS, type AgentMessage, type AgentToolCall } from './agents/types.js';
import { toAgentTools } from './admission.js';
import type { Execution, PendingCall } from './executions.js';
import { newId } from './http.js';
import type { NormalizedOutput } from './outputs.js';

export interface EngineOptions {
  streamDelayMs: number;
  /** Adds a message to the run's transcript toward the agent (the store counts it against the budget). */
  remember: (execution: Execution, message: AgentMessage) => void;
  /** Model calls one request may make before the run gives up (a loop guard). */
  maxIterationsPerRequest?: number;
}

export function startChat(execution: Execution, verdict: AdmissionEventData, options: EngineOptions): void {
  execution.log.append('execution_start', { kind: 'agent', startedAt: new Date().toISOString() });
  execution.log.append('custom', { name: ADMISSION_EVENT_NAME, value: verdict });
  void runTurns(execution, options);
}

/** Resumes a paused run with outputs already checked and normalized, one per awaited call, in call order. */
export function startResume(
  execution: Execution,
  outputs: readonly NormalizedOutput[],
  verdict: AdmissionEventData,
  options: EngineOptions,
): void {
  const round = execution.rounds[execution.rounds.length - 1]!;
  const segment = { startSeq: execution.log.lastSeq, endSeq: undefined };
  execution.segment = segment;
  round.answered = { segment };
  execution.log.setState('running');
  execution.log.append('custom', { name: ADMISSION_EVENT_NAME, value: verdict });
  round.calls.forEach((call, index) => {
    const output = outputs[index]!;
    execution.log.append('tool_complete', {
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      success: output.success,
      ...(output.success ? { result: output.result } : { error: output.error }),
    });
    options.remember(execution, {
      role: 'tool',
      toolCallId: call.toolCallId,
      name: call.modelName,
      content: output.text,
      ...(output.success ? {} : { isError: true }),
    });
  });
  void runTurns(execution, options);
}

async function runTurns(execution: Execution, options: EngineOptions): Promise<void> {
  const { log } = execution;
  const maxIterations = options.maxIterationsPerRequest ?? 8;
  const finish = (state: 'awaiting' | 'complete' | 'failed') => {
    execution.segment.endSeq = log.lastSeq;
    log.setState(state);
  };
  try {
    for (let round = 0; round < maxIterations; round++) {
      execution.iteration += 1;
      const turnId = newId('turn');
      log.append('turn_start', { id: turnId, iteration: execution.iteration });
      const turn = await runOneTurn(execution, options);
      if (turn.error) {
        log.append('execution_error', { error: { code: turn.error.code ?? 'agent_error', message: turn.error.message } });
        return finish('failed');
      }
      const client: PendingCall[] = [];
      for (const call of turn.calls) {
        const admitted = execution.tools.find((entry) => entry.modelName === call.name || entry.tool.name === call.name);
        if (admitted) {
          client.push({
            toolCallId: call.id,
            toolName: admitted.tool.name,
            modelName: admitted.modelName,
            origin: admitted.tool.origin,
            parameters: call.arguments,
          });
        } else {
          // The model asked for a tool it was not given: tell it, and let it go on.
          const error = `no tool named "${call.name}" is available`;
          log.append('tool_start', { toolCallId: call.id, toolName: call.name, toolType: 'unknown', parameters: call.arguments });
          log.append('tool_complete', { toolCallId: call.id, success: false, error });
          options.remember(execution, { role: 'tool', toolCallId: call.id, name: call.name, content: error, isError: true });
        }
      }
      if (turn.end || turn.calls.length === 0) {
        log.append('turn_complete', { id: turnId, iteration: execution.iteration, stopReason: turn.end?.stopReason ?? 'end_turn' });
        log.append('execution_complete', {
          success: turn.end?.success ?? true,
          stopReason: turn.end?.stopReason ?? 'end_turn',
          finalOutput: turn.text,
        });
        return finish('complete');
      }
      log.append('turn_complete', { id: turnId, iteration: execution.iteration, stopReason: 'tool_calls' });
      if (client.length > 0) {
        const awaitedAt = new Date().toISOString();
        for (const call of client) {
          log.append('await', {
            toolCallId: call.toolCallId,
            toolName: call.toolName,
            origin: call.origin,
            parameters: call.parameters,
            awaitedAt,
          });
        }
        execution.rounds.push({ calls: client, answered: undefined });
        return finish('awaiting');
      }
    }
    log.append('execution_complete', { success: false, stopReason: 'max_iterations' });
    finish('complete');
  } catch (error) {
    log.append('execution_error', { error: { code: 'agent_error', message: (error as Error).message ?? String(error) } });
    finish('failed');
  }
}

interface TurnResult {
  text: string;
  calls: AgentToolCall[];
  end: { success?: boolean; stopReason?: string } | undefined;
  error: { message: string; code?: string } | undefined;
}

async function runOneTurn(execution: Execution, options: EngineOptions): Promise<TurnResult> {
  const { log } = execution;
  const result: TurnResult = { text: '', calls: [], end: undefined, error: undefined };
  let textId: string | undefined;
  /** The open text block's own text: a turn may hold several blocks (a passed-through frame ends one). */
  let blockText = '';
  let reasoningId: string | undefined;
  let reasoning = '';
  const closeText = () => {
    if (textId) log.append('text_complete', { id: textId, text: blockText });
    textId = undefined;
    blockText = '';
  };
  const closeReasoning = () => {
    if (reasoningId) log.append('reasoning_complete', { id: reasoningId, text: reasoning });
    reasoningId = undefined;
  };
  const controller = new AbortController();
  const steps = execution.agent.run({
    executionId: execution.id,
    iteration: execution.iteration,
    messages: execution.messages,
    tools: toAgentTools(execution.tools),
    signal: controller.signal,
  });
  for await (const step of steps) {
    switch (step.type) {
      case 'text':
        closeReasoning();
        if (!textId) {
          textId = newId('msg');
          log.append('text_start', { id: textId });
        }
        result.text += step.delta;
        blockText += step.delta;
        log.append('text_delta', { id: textId, delta: step.delta });
        if (options.streamDelayMs > 0) await sleep(options.streamDelayMs);
        break;
      case 'reasoning':
        if (!reasoningId) {
          reasoningId = newId('reasoning');
          log.append('reasoning_start', { id: reasoningId });
        }
        reasoning += step.delta;
        log.append('reasoning_delta', { id: reasoningId, delta: step.delta });
        if (options.streamDelayMs > 0) await sleep(options.streamDelayMs);
        break;
      case 'tool_call':
        result.calls.push({ id: step.id ?? newId('call'), name: step.name, arguments: step.arguments ?? {} });
        break;
      case 'end':
        result.end = {
          ...(step.success !== undefined && { success: step.success }),
          ...(step.stopReason && { stopReason: step.stopReason }),
        };
        break;
      case 'error':
        result.error = { message: step.message, ...(step.code && { code: step.code }) };
        break;
      case 'event':
        // Passed through in order; an open text or reasoning block ends first, as a new block would end it.
        if (ENGINE_OWNED_EVENTS.includes(step.event)) break;
        closeReasoning();
        closeText();
        {
          // The frame's identity (type, execution, seq) is the log's to give.
          const { type: _type, executionId: _executionId, seq: _seq, ...fields } = step.fields;
          log.append(step.event, fields);
        }
        break;
    }
    if (result.error) break;
  }
  closeReasoning();
  closeText();
  options.remember(execution, {
    role: 'assistant',
    content: result.text,
    ...(result.calls.length > 0 && { toolCalls: result.calls }),
  });
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
