/** POST /v1/client/chat: admit the tools, start an execution, stream it. */
import type { ChatMessage } from '../../protocol/index.js';
import { ChatRequestSchema } from '../../protocol/schemas.js';
import type { AgentMessage } from '../agents/types.js';
import { admit, planClientTools } from '../admission.js';
import { policyOf } from '../config.js';
import type { ApiContext } from '../context.js';
import { startChat } from '../engine.js';
import { EXECUTION_BASE_BYTES } from '../executions.js';
import { takeTurn } from '../guards.js';
import { followLog } from '../sse.js';
import type { RequestMeta } from './meta.js';
import { openRequest } from './prologue.js';

export async function handleChat(context: ApiContext, request: Request, meta: RequestMeta): Promise<Response> {
  const { body, origin, session, token } = await openRequest(context, request, meta, ChatRequestSchema, 'session');
  // Everything is checked before anything changes: a refused chat leaves the session as it was.
  const plan = planClientTools(context.sessions, session, body);
  const messages = body.messages.map(toAgentMessage);
  context.executions.makeRoom();
  context.budget.makeRoom(
    EXECUTION_BASE_BYTES + plan.bytes + messages.reduce((sum, message) => sum + message.content.length, 0),
    'a new chat',
  );
  takeTurn(session, context.now(), context.config.rateLimit);
  plan.commit();
  const admission = admit(plan.tools ?? [], policyOf(token), origin);
  const execution = context.executions.create(
    {
      sessionId: session.id,
      token: token.token,
      origin,
      agent: context.agentFor(token, session.id),
      messages,
      tools: admission.tools,
      verdict: admission.verdict,
    },
    plan.bytes,
  );
  meta.executionId = execution.id;
  startChat(execution, admission.verdict, context.engine);
  return followLog(execution.log, { after: 0, until: () => execution.segment.endSeq });
}

/** The agent reads text; images and files are named, not passed, by the reference agent. */
function toAgentMessage(message: ChatMessage): AgentMessage {
  const role = message.role;
  const content =
    typeof message.content === 'string'
      ? message.content
      : message.content
          .map((part) =>
            part.type === 'text' ? part.text : part.type === 'file' ? `[file ${part.filename}]` : part.type === 'image' ? '[image]' : '',
          )
          .filter(Boolean)
          .join('\n');
  return role === 'assistant' ? { role, content } : { role, content };
}
