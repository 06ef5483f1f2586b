/**
 * One call, start to answer: find the tool in this turn's snapshot, check the
 * arguments, ask for approval when needed, run with a timeout and the caller's
 * cancel, and turn whatever happened into the `{result}` or `{error}` posted to
 * resume. Never throws: every failure is an `{error}` the model can act on.
 */
import { bareToolName } from '../protocol/limits.js';
import { approvalReason, type ApprovalMemory, type ApprovalPolicyTool } from './approval.js';
import type { Backend } from './discover.js';
import { describeThrown as describeError } from './json-safe.js';
import { capError, normalizeResult } from './normalize-result.js';
import type { SnapshotEntry } from './snapshot.js';
import type { ApprovalRecord, DroppedTool, RunOptions, ToolCallRequest, ToolOutput, ToolRunOutcome, ToolRunStatus } from './types.js';
import { argumentProblems, coerceArguments, invalidArgumentsMessage } from './validate-args.js';

export interface RunContext {
  backend: Backend | undefined;
  entries: ReadonlyMap<string, SnapshotEntry> | undefined;
  dropped: readonly DroppedTool[];
  timeoutMs: number;
  toolTimeouts: Readonly<Record<string, number>>;
  maxResultBytes: number;
  memory: ApprovalMemory;
  requiresApproval?: (tool: ApprovalPolicyTool) => boolean;
  now: () => number;
}

/** The prefix both native Chromium and MCP-B put on a tool's own failure. */
const INVOCATION_FAILED = /^Tool was executed but the invocation failed\. For example, the script function threw an error:?\s*/;

/** Errors that mean "no such tool now", not "the tool failed". */
const GONE = /^(Tool not found|Native tool not found|Tool unregistered)|unknown transient reason/i;

/** The tool's own message where the implementation kept it; native does not. */
export function failureMessage(name: string, error: unknown): string {
  const message = describeError(error);
  if (INVOCATION_FAILED.test(message)) {
    const own = message.replace(INVOCATION_FAILED, '').trim();
    if (!own) return `Tool "${name}" failed. The browser did not pass on the tool's own error message.`;
    return capError(`Tool "${name}" failed: ${own}`);
  }
  if ((error instanceof DOMException && error.name === 'NotFoundError') || GONE.test(message)) {
    return `Tool "${name}" is no longer registered on the page; it cannot run now.`;
  }
  return capError(`Tool "${name}" failed: ${message}`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export async function runToolCall(context: RunContext, call: ToolCallRequest, options: RunOptions = {}): Promise<ToolRunOutcome> {
  const started = context.now();
  let approval: ApprovalRecord = 'not-required';
  let untrusted = false;
  const finish = (output: ToolOutput, status: ToolRunStatus, truncated = false): ToolRunOutcome => ({
    output,
    status,
    durationMs: Math.max(0, context.now() - started),
    approval,
    untrusted,
    truncated,
  });
  const fail = (error: string, status: ToolRunStatus = 'failed') => finish({ error }, status);

  try {
    const name = bareToolName(String(call.toolName));
    const entry = context.entries?.get(name);
    if (!context.backend || !entry) {
      const dropped = context.dropped.find((tool) => tool.name === name);
      if (dropped?.reason === 'blocked_by_client_allowlist') {
        return fail(`Tool "${name}" is blocked by this site's client allowlist; it was not run.`);
      }
      if (dropped)
        return fail(
          `Tool "${name}" was left out of this turn's tools (${dropped.reason}${dropped.detail ? `: ${dropped.detail}` : ''}); it was not run.`,
        );
      return fail(
        `Tool "${name}" is not registered on this page for this turn; it was not run.${context.entries && context.entries.size > 0 ? ` Available tools: ${[...context.entries.keys()].join(', ')}.` : ''}`,
      );
    }
    untrusted = entry.tool.untrustedContentHint === true;

    const coerced = coerceArguments(call.parameters);
    if ('error' in coerced) return fail(invalidArgumentsMessage(name, [coerced.error]));
    const problems = argumentProblems(entry.schema, coerced.args);
    if (problems) return fail(invalidArgumentsMessage(name, problems));

    const signal = options.signal;
    if (signal?.aborted) return fail(`The call to "${name}" was cancelled before it ran.`, 'cancelled');

    const policyTool: ApprovalPolicyTool = {
      name,
      ...(entry.raw.title ? { title: entry.raw.title } : {}),
      description: entry.tool.description,
      annotations: entry.raw.annotations ?? {},
      ...(entry.tool.pageOrigin ? { pageOrigin: entry.tool.pageOrigin } : {}),
    };
    const reason = approvalReason(policyTool, context.requiresApproval);
    if (reason) {
      if (await context.memory.has(name)) {
        approval = 'remembered';
      } else {
        if (!options.approve) {
          approval = 'declined';
          return fail(`Tool "${name}" needs the person's approval and none could be asked; it was not run.`, 'declined');
        }
        options.onPhase?.('awaiting-approval');
        const asking = new AbortController();
        const stopAsking = () => asking.abort(signal?.reason);
        signal?.addEventListener('abort', stopAsking, { once: true });
        let decision;
        try {
          decision = await options.approve(
            {
              toolCallId: call.toolCallId,
              toolName: name,
              ...(policyTool.title ? { title: policyTool.title } : {}),
              description: entry.tool.description,
              arguments: coerced.args,
              ...(policyTool.pageOrigin ? { pageOrigin: policyTool.pageOrigin } : {}),
              reason,
            },
            asking.signal,
          );
        } finally {
          signal?.removeEventListener('abort', stopAsking);
        }
        if (signal?.aborted) return fail(`The call to "${name}" was cancelled while waiting for approval; it was not run.`, 'cancelled');
        if (decision === 'always-allow') {
          approval = 'always-allowed';
          await context.memory.remember(name);
        } else if (decision === 'allow-once') {
          approval = 'allowed-once';
        } else {
          approval = 'declined';
          return fail(`The person declined to run "${name}". Do not call it again unless they ask for it.`, 'declined');
        }
      }
    }

    if (!(await context.backend.isRegistered(entry.raw))) {
      return fail(`Tool "${name}" is no longer registered on the page; it cannot run now.`);
    }
    options.onPhase?.('running');
    return await execute(context, context.backend, entry, name, coerced.args, signal, finish);
  } catch (error) {
    return fail(capError(`Tool call failed in the widget: ${describeError(error)}`));
  }
}

async function execute(
  context: RunContext,
  backend: Backend,
  entry: SnapshotEntry,
  name: string,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
  finish: (output: ToolOutput, status: ToolRunStatus, truncated?: boolean) => ToolRunOutcome,
): Promise<ToolRunOutcome> {
  const timeoutMs = context.toolTimeouts[name] ?? context.timeoutMs;
  const controller = new AbortController();
  let stopped: 'timed-out' | 'cancelled' | undefined;
  let wake: () => void = () => {};
  // Settles when the call is stopped, so a tool that ignores its signal cannot hold the turn.
  const stoppedPromise = new Promise<void>((resolve) => (wake = resolve));
  const stop = (why: 'timed-out' | 'cancelled', reason: unknown) => {
    if (stopped) return;
    stopped = why;
    controller.abort(reason);
    wake();
  };
  const onCancel = () => stop('cancelled', signal?.reason);
  if (signal?.aborted) onCancel();
  signal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => stop('timed-out', new DOMException(`Tool "${name}" timed out`, 'TimeoutError')), timeoutMs);
  try {
    const run = backend.callTool(entry.raw, args, controller.signal).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
    const settled = await Promise.race([run, stoppedPromise.then(() => undefined)]);
    if (stopped === 'timed-out')
      return finish(
        { error: `Tool "${name}" did not finish within ${seconds(timeoutMs)} and was stopped. It may or may not have taken effect.` },
        'timed-out',
      );
    if (stopped === 'cancelled')
      return finish({ error: `The call to "${name}" was cancelled before it finished. It may or may not have taken effect.` }, 'cancelled');
    if (!settled) return finish({ error: `Tool "${name}" stopped without an answer.` }, 'failed');
    if ('error' in settled) return finish({ error: failureMessage(name, settled.error) }, 'failed');
    const normalized = normalizeResult(settled.answer, context.maxResultBytes);
    return finish(normalized.output, 'error' in normalized.output ? 'failed' : 'done', normalized.truncated);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
}
