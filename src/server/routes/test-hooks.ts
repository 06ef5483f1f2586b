/**
 * `/__test/*`, mounted only with `--test-hooks`. Browser tests of the widget
 * use it to script the agent, inject faults and read what the server got.
 */
import type { Hono } from 'hono';
import { z } from '../../protocol/zod.js';
import { ScriptSchema } from '../agents/fixed-script.js';
import { readJsonBody } from '../body.js';
import type { ApiContext } from '../context.js';
import { FaultRuleSchema } from '../faults.js';
import { parseWith } from '../guards.js';
import { jsonResponse } from '../http.js';
import type { TestHooks } from '../test-hooks.js';

const ScriptRequestSchema = z.object({
  token: z.optional(z.string()),
  /** Only this session's chats take the script. */
  sessionId: z.optional(z.string()),
  turns: ScriptSchema,
  /** Queue the same script for this many executions (default 1). */
  times: z.optional(z.number().check(z.int(), z.positive())),
});

export function mountTestHooks(app: Hono, context: ApiContext, hooks: TestHooks): void {
  app.post('/__test/script', async (c) => {
    const body = parseWith(ScriptRequestSchema, await readJsonBody(c.req.raw, context.config));
    hooks.queueScript(body.turns, body.token, body.times ?? 1, body.sessionId);
    return jsonResponse(200, { queued: body.times ?? 1 });
  });
  app.post('/__test/fault', async (c) => {
    const body = parseWith(FaultRuleSchema, await readJsonBody(c.req.raw, context.config));
    hooks.faults.add(body);
    return jsonResponse(200, { queued: body.times ?? 1 });
  });
  app.get('/__test/log', (c) =>
    jsonResponse(200, hooks.snapshot({ sessionId: c.req.query('sessionId'), endpoint: c.req.query('endpoint') })),
  );
  app.get('/__test/feedback', () => jsonResponse(200, { feedback: context.feedback.list() }));
  app.get('/__test/stats', () => jsonResponse(200, { sessions: context.sessions.size, executions: context.executions.size }));
  app.post('/__test/reset', () => {
    hooks.reset();
    return jsonResponse(200, { reset: true });
  });
}
