/**
 * Faults the test hooks can inject into the next matching request, so browser
 * tests can prove the widget survives a broken network without a broken server.
 * The rule shape is written once, as the schema `/__test/fault` validates;
 * the types are read off it.
 */
import { z } from '../protocol/zod.js';
import type { Endpoint } from './routes/table.js';

const count = z.number().check(z.int(), z.positive());

export const FaultRuleSchema = z.object({
  /** Which endpoint the fault applies to; any when absent. */
  endpoint: z.optional(z.enum(['init', 'chat', 'resume', 'events', 'feedback'])),
  /** Answer with this status and a JSON `{error, hint}` body instead of handling the request. */
  status: z.optional(z.number().check(z.int(), z.gte(400), z.lte(599))),
  error: z.optional(z.string()),
  hint: z.optional(z.string()),
  retryAfter: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** Stop the response after this many frames (the run itself goes on into the log). */
  cutAfterFrames: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** `close` ends the body cleanly; `reset` aborts it mid-stream. */
  cutMode: z.optional(z.enum(['close', 'reset'])),
  /** After this many frames, go quiet for `stallMs` (no keep-alive either). */
  stallAfterFrames: z.optional(count),
  stallMs: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** After this many frames, send a frame whose data is not JSON. */
  malformedAfterFrames: z.optional(count),
  /** After this many frames, send a frame of an event type no client knows. */
  unknownEventAfterFrames: z.optional(count),
  /** Send this frame (by position in the response) twice. */
  duplicateAfterFrames: z.optional(count),
  /** Frame with CRLF line ends instead of LF. */
  crlf: z.optional(z.boolean()),
  /** How many matching requests it applies to (default 1). */
  times: z.optional(count),
});

export type FaultRule = z.infer<typeof FaultRuleSchema>;
/** The part of a rule that reshapes a stream rather than replacing the response. */
export type StreamFault = Omit<FaultRule, 'endpoint' | 'status' | 'error' | 'hint' | 'retryAfter' | 'times'>;
// Checked here so the schema's endpoint list cannot drift from the route table.
type SameEndpoints = [NonNullable<FaultRule['endpoint']>] extends [Endpoint]
  ? [Endpoint] extends [NonNullable<FaultRule['endpoint']>]
    ? true
    : never
  : never;
const endpointsAgree: SameEndpoints = true;
void endpointsAgree;

export class FaultQueue {
  readonly #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule, times: rule.times ?? 1 });
  }

  /** Takes the first rule for this endpoint, counting one use. */
  take(endpoint: Endpoint): FaultRule | undefined {
    const index = this.#rules.findIndex((rule) => rule.endpoint === undefined || rule.endpoint === endpoint);
    if (index < 0) return undefined;
    const rule = this.#rules[index]!;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.#rules.splice(index, 1);
    return rule;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  get pending(): readonly FaultRule[] {
    return this.#rules;
  }
}
