/**
 * POST /v1/client/resume and the replay extension
 * GET /v1/client/executions/{executionId}/events.
 */
import { SERVER_ERROR, bareToolName } from '../../protocol/index.js';
import { ResumeRequestSchema } from '../../protocol/schemas.js';
import { z } from '../../protocol/zod.js';
import { admit, planClientTools } from '../admission.js';
import { policyOf } from '../config.js';
import type { ApiContext } from '../context.js';
import { startResume } from '../engine.js';
import type { AwaitRound, Execution } from '../executions.js';
import { takeTurn } from '../guards.js';
import { HttpError } from '../http.js';
import { normalizeOutput } from '../outputs.js';
import { followLog } from '../sse.js';
import type { RequestMeta } from './meta.js';
import { openRequest } from './prologue.js';

const EventsQuerySchema = z.object({
  sessionId: z.string({ error: 'add ?sessionId=… (the session that started the execution)' }).check(z.minLength(1)),
  after: z.optional(z.string()),
});

export async function handleResume(context: ApiContext, request: Request, meta: RequestMeta): Promise<Response> {
  const { body, origin, session, token } = await openRequest(context, request, meta, ResumeRequestSchema, 'session');
  meta.executionId = body.executionId;
  const execution = requireExecution(context, body.executionId, session.id);

  const pending = execution.log.state === 'awaiting' ? execution.rounds[execution.rounds.length - 1] : undefined;
  const outputs = pending && matchOutputs(pending, body.toolOutputs);
  if (!outputs || outputs.missing.length === pending!.calls.length) {
    // Not an answer to what the run waits for: maybe a repeat of an earlier answer.
    const earlier = execution.rounds.find((round) => round.answered && matchOutputs(round, body.toolOutputs).missing.length === 0);
    if (earlier?.answered) {
      meta.replayed = true;
      const segment = earlier.answered.segment;
      return followLog(execution.log, { after: segment.startSeq, until: () => segment.endSeq });
    }
  }
  if (!pending || !outputs) {
    const running = execution.log.state === 'running';
    throw new HttpError(
      409,
      SERVER_ERROR.notAwaiting,
      running
        ? 'The execution is running, not waiting for tools; follow it with GET /v1/client/executions/{executionId}/events.'
        : 'The execution is not waiting for tool outputs (it has ended or was already resumed).',
      { state: execution.log.state },
    );
  }
  if (outputs.missing.length > 0) {
    throw new HttpError(
      400,
      SERVER_ERROR.missingToolOutputs,
      `Answer every awaited call in one resume; missing toolCallId: ${outputs.missing.join(', ')}.`,
      { missing: outputs.missing },
    );
  }
  // Everything is checked and converted before the run changes: a refused resume
  // (400, 409, 429, 503) leaves it waiting, and a correct retry resumes it.
  const normalized = pending.calls.map((call) => normalizeOutput(outputs.byCallId.get(call.toolCallId)));
  const plan = planClientTools(context.sessions, session, body);
  // Each output is kept twice: in its tool_complete frame and in the agent's transcript.
  const outputBytes = normalized.reduce((sum, output) => sum + 2 * output.text.length + 256, 0);
  context.budget.makeRoom(outputBytes + plan.bytes, 'this resume');
  takeTurn(session, context.now(), context.config.rateLimit);
  plan.commit();
  if (plan.tools) {
    const admission = admit(plan.tools, policyOf(token), origin);
    execution.tools = admission.tools;
    execution.verdict = admission.verdict;
  }
  meta.acceptedToolCallIds = [...outputs.byCallId.keys()];
  startResume(execution, normalized, execution.verdict, context.engine);
  const segment = execution.segment;
  return followLog(execution.log, { after: segment.startSeq, until: () => segment.endSeq });
}

export async function handleEvents(
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  params: Record<string, string>,
): Promise<Response> {
  const executionId = params.executionId!;
  meta.executionId = executionId;
  const { body, session } = await openRequest(context, request, meta, EventsQuerySchema, 'session');
  // EventSource reconnects send Last-Event-ID instead of a query parameter.
  const afterText = body.after ?? request.headers.get('last-event-id') ?? '0';
  const after = Number(afterText);
  if (!Number.isInteger(after) || after < 0) {
    throw new HttpError(400, SERVER_ERROR.badRequest, `after must be a whole number of frames (a seq), not "${afterText}".`);
  }
  const execution = requireExecution(context, executionId, session.id);
  return followLog(execution.log, { after });
}

function requireExecution(context: ApiContext, executionId: string, sessionId: string): Execution {
  const execution = context.executions.get(executionId, sessionId);
  if (!execution) {
    throw new HttpError(404, SERVER_ERROR.executionNotFound, 'No such execution for this session; start a new chat turn.');
  }
  return execution;
}

/**
 * Maps toolOutputs onto a round's calls: by toolCallId, or by tool name when
 * that name is called only once in the round (the legacy single-call form).
 */
function matchOutputs(round: AwaitRound, toolOutputs: Record<string, unknown>) {
  const byCallId = new Map<string, unknown>();
  const missing: string[] = [];
  for (const call of round.calls) {
    if (Object.hasOwn(toolOutputs, call.toolCallId)) {
      byCallId.set(call.toolCallId, toolOutputs[call.toolCallId]);
      continue;
    }
    const sameName = round.calls.filter((other) => other.toolName === call.toolName).length === 1;
    const key = [call.toolName, call.modelName].find((name) => Object.hasOwn(toolOutputs, name));
    if (sameName && key !== undefined && bareToolName(key) === call.toolName) byCallId.set(call.toolCallId, toolOutputs[key]);
    else missing.push(call.toolCallId);
  }
  return { byCallId, missing };
}
