/**
 * Faults the test hooks can inject into the next matching request, so browser
 * tests can prove the widget survives a broken network without a broken server.
 */
export interface StreamFault {
  /** Stop the response after this many frames (the run itself goes on into the log). */
  cutAfterFrames?: number;
  /** `close` ends the body cleanly; `reset` aborts it mid-stream. */
  cutMode?: 'close' | 'reset';
  /** After this many frames, go quiet for `stallMs` (no keep-alive either). */
  stallAfterFrames?: number;
  stallMs?: number;
  /** After this many frames, send a frame whose data is not JSON. */
  malformedAfterFrames?: number;
  /** After this many frames, send a frame of an event type no client knows. */
  unknownEventAfterFrames?: number;
  /** Send this frame (by position in the response) twice. */
  duplicateAfterFrames?: number;
  /** Frame with CRLF line ends instead of LF. */
  crlf?: boolean;
}

export type FaultEndpoint = 'init' | 'chat' | 'resume' | 'events' | 'feedback';

export interface FaultRule extends StreamFault {
  /** Which endpoint the fault applies to; any when absent. */
  endpoint?: FaultEndpoint;
  /** Answer with this status and a JSON `{error, hint}` body instead of handling the request. */
  status?: number;
  error?: string;
  hint?: string;
  retryAfter?: number;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

export class FaultQueue {
  private readonly rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, times: rule.times ?? 1 });
  }

  /** Takes the first rule for this endpoint, counting one use. */
  take(endpoint: FaultEndpoint): FaultRule | undefined {
    const index = this.rules.findIndex((rule) => rule.endpoint === undefined || rule.endpoint === endpoint);
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rules.splice(index, 1);
    return rule;
  }

  clear(): void {
    this.rules.length = 0;
  }

  get pending(): readonly FaultRule[] {
    return this.rules;
  }
}
