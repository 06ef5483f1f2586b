/**
 * An agent that plays back a fixed script, one turn per model call, so tests
 * decide exactly what "the model" does. When the script runs out the run ends.
 */
import { z } from '../../protocol/zod.js';
import { ENGINE_OWNED_EVENTS, type Agent, type AgentStep } from './types.js';

const ToolCallSchema = z.object({
  name: z.string().check(z.minLength(1)),
  arguments: z.optional(z.record(z.string(), z.unknown())),
  id: z.optional(z.string().check(z.minLength(1))),
});
const DeltasSchema = z.union([z.string(), z.array(z.string())]);

export const ScriptStepSchema = z.union([
  z.object({ text: DeltasSchema }),
  z.object({ reasoning: DeltasSchema }),
  z.object({ toolCall: ToolCallSchema }),
  z.object({ toolCalls: z.array(ToolCallSchema).check(z.minLength(1)) }),
  z.object({ end: z.union([z.literal(true), z.object({ success: z.optional(z.boolean()), stopReason: z.optional(z.string()) })]) }),
  z.object({ error: z.string(), code: z.optional(z.string()) }),
  // A public-API frame passed through as is (see AgentStep `event`), e.g. a server tool's tool_start.
  z.object({
    event: z.string().check(
      z.regex(/^[a-z][a-z0-9_.]*$/, 'an event type in snake_case'),
      z.refine((type) => !ENGINE_OWNED_EVENTS.includes(type), "execution_*, turn_* and await frames are the engine's own"),
    ),
    fields: z.optional(z.record(z.string(), z.unknown())),
  }),
]);
/** A turn is a list of steps; a bare string is shorthand for one text step. */
export const ScriptTurnSchema = z.union([z.string(), z.array(ScriptStepSchema)]);
export const ScriptSchema = z.array(ScriptTurnSchema);

export type ScriptStep = z.infer<typeof ScriptStepSchema>;
export type ScriptTurn = z.infer<typeof ScriptTurnSchema>;

export function fixedScriptAgent(turns: readonly ScriptTurn[]): Agent {
  return {
    name: 'fixed-script',
    async *run({ iteration }) {
      const turn = turns[iteration - 1];
      if (turn === undefined) {
        yield { type: 'end', stopReason: 'script_exhausted' };
        return;
      }
      const steps = typeof turn === 'string' ? [{ text: turn }] : turn;
      for (const step of steps) yield* toAgentSteps(step);
    },
  };
}

function* toAgentSteps(step: ScriptStep): Generator<AgentStep> {
  if ('text' in step) for (const delta of [step.text].flat()) yield { type: 'text', delta };
  else if ('reasoning' in step) for (const delta of [step.reasoning].flat()) yield { type: 'reasoning', delta };
  else if ('toolCall' in step) yield toolCall(step.toolCall);
  else if ('toolCalls' in step) for (const call of step.toolCalls) yield toolCall(call);
  else if ('end' in step) yield step.end === true ? { type: 'end' } : { type: 'end', ...step.end };
  else if ('event' in step) yield { type: 'event', event: step.event, fields: step.fields ?? {} };
  else yield { type: 'error', message: step.error, ...(step.code && { code: step.code }) };
}

function toolCall(call: { name: string; arguments?: Record<string, unknown> | undefined; id?: string | undefined }): AgentStep {
  return { type: 'tool_call', name: call.name, arguments: call.arguments ?? {}, ...(call.id && { id: call.id }) };
}
