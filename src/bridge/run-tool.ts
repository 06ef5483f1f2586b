/**
 * One call, start to answer: find the tool in this turn's snapshot, check the
 * arguments, ask for approval when needed, check that the page's tool is still
 * the one offered (before asking and right before running: approval is bound
 * to it), run with a timeout and the caller's cancel, and turn whatever
 * happened into the `{result}` or `{error}` posted to resume. Never throws:
 * every failure is an `{error}` the model can act on.
 */
import { bareToolName } from '../protocol/limits.js';
import { approvalReason, type ApprovalMemory, type ApprovalPolicyTool } from './approval.js';
import type { BridgeOptions } from './create-bridge.js';
import type { Backend } from './discover.js';
import { describeThrown as describeError } from './json-safe.js';
import { capError, normalizeResult } from './normalize-result.js';
import { armCall } from './arm-call.js';
import type { RegistrationRegistry } from './registrations.js';
import { entryIdentity, identityOf, type RawTool, type SnapshotEntry } from './snapshot.js';
import type {
  ApprovalDecision,
  ApprovalRecord,
  DroppedTool,
  RunOptions,
  ToolCallRequest,
  ToolOutput,
  ToolRunOutcome,
  ToolRunStatus,
} from './types.js';
import { argumentProblems, coerceArguments, invalidArgumentsMessage } from './validate-args.js';
import { formatDuration } from '../shared/duration.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The bridge's options (timeouts, result cap, approval policy) and this snapshot's tools. */
export interface RunContext extends Pick<BridgeOptions, 'timeoutMs' | 'toolTimeouts' | 'maxResultBytes' | 'requiresApproval'> {
  backend: Backend | undefined;
  entries: ReadonlyMap<string, SnapshotEntry> | undefined;
  dropped: readonly DroppedTool[];
  memory: ApprovalMemory;
  /** The page's tools now, hints completed as for the snapshot: the check before asking and before running. */
  relist: () => Promise<RawTool[]>;
  /** Native or MCP-B with registrations seen: arms the guard on each registered `execute`. */
  registry?: RegistrationRegistry | undefined;
}

/** The prefix both native Chromium and MCP-B put on a tool's own failure. */
const INVOCATION_FAILED = /^Tool was executed but the invocation failed\. For example, the script function threw an error:?\s*/;

/** Errors that mean "no such tool now", not "the tool failed". */
const GONE = /^(Tool not found|Native tool not found|Tool unregistered)|unknown transient reason/i;

const gone = (name: string) => `Tool "${name}" is no longer registered on the page; it cannot run now.`;
const cancelled = (name: string) => `The call to "${name}" was cancelled; it was not run.`;

/** The tool's own message where the implementation kept it; native does not. */
export function failureMessage(name: string, error: unknown): string {
  const message = describeError(error);
  if (INVOCATION_FAILED.test(message)) {
    const own = message.replace(INVOCATION_FAILED, '').trim();
    if (!own) return `Tool "${name}" failed. The browser did not pass on the tool's own error message.`;
    return capError(`Tool "${name}" failed: ${own}`);
  }
  if ((error instanceof DOMException && error.name === 'NotFoundError') || GONE.test(message)) return gone(name);
  return capError(`Tool "${name}" failed: ${message}`);
}

export async function runToolCall(context: RunContext, call: ToolCallRequest, options: RunOptions = {}): Promise<ToolRunOutcome> {
  const started = performance.now();
  let approval: ApprovalRecord = 'not-required';
  let untrusted = false;
  const finish = (output: ToolOutput, status: ToolRunStatus, truncated = false): ToolRunOutcome => ({
    output,
    status,
    durationMs: Math.max(0, performance.now() - started),
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
    if (signal?.aborted) return fail(cancelled(name), 'cancelled');

    const policyTool: ApprovalPolicyTool = {
      name,
      ...(entry.raw.title ? { title: entry.raw.title } : {}),
      description: entry.tool.description,
      annotations: entry.raw.annotations ?? {},
      ...(entry.tool.pageOrigin ? { pageOrigin: entry.tool.pageOrigin } : {}),
    };
    const reason = approvalReason(policyTool, context.requiresApproval, entry.raw.hintsKnown !== false);
    if (reason) {
      if (await context.memory.has(entryIdentity(entry))) {
        approval = 'remembered';
      } else {
        if (!options.approve) {
          approval = 'declined';
          return fail(`Tool "${name}" needs the person's approval and none could be asked; it was not run.`, 'declined');
        }
        // The person is asked about the tool the page has now, not one it had.
        const before = await currentTool(context, entry, name);
        if (typeof before === 'string') return fail(before);
        options.onPhase?.('awaiting-approval');
        const asking = new AbortController();
        const stopAsking = () => asking.abort(signal?.reason);
        signal?.addEventListener('abort', stopAsking, { once: true });
        let decision: ApprovalDecision;
        try {
          const { name: toolName, annotations: _, ...shown } = policyTool;
          decision = await options.approve(
            { toolCallId: call.toolCallId, toolName, ...shown, arguments: coerced.args, reason },
            asking.signal,
          );
        } finally {
          signal?.removeEventListener('abort', stopAsking);
        }
        if (signal?.aborted) return fail(cancelled(name), 'cancelled');
        if (decision === 'always-allow') {
          approval = 'always-allowed';
          // What the person saw is what is remembered, even if the page changes it next.
          await context.memory.remember(entryIdentity(entry));
        } else if (decision === 'allow-once') {
          approval = 'allowed-once';
        } else {
          approval = 'declined';
          return fail(`The person declined to run "${name}". Do not call it again unless they ask for it.`, 'declined');
        }
      }
    }

    // Nothing the client does on this phase (a host's listener) may come
    // between the last check and the call. Where the call itself holds to the
    // checked registration (our polyfill vouched for it and binds it when the
    // call is made; the guard on native and MCP-B), the host hears of it once
    // the call is made, off the way to the tool; elsewhere before the check.
    const vouched = context.backend.stillRegistered?.(entry.raw) === true;
    const heardAfter = vouched || (context.registry !== undefined && !entry.raw.fromFrame);
    if (!heardAfter) options.onPhase?.('running');
    const now = vouched ? entry.raw : await currentTool(context, entry, name);
    if (typeof now === 'string') return fail(now);
    if (signal?.aborted) return fail(cancelled(name), 'cancelled');
    // A swap after this check (page microtasks may still run before the browser
    // gets to the tool) is stopped by the registration guard armed in execute().
    const running = heardAfter ? () => options.onPhase?.('running') : undefined;
    return await execute(context, context.backend, now, name, coerced.args, signal, finish, running);
  } catch (error) {
    return fail(capError(`Tool call failed in the widget: ${describeError(error)}`));
  }
}

/** What the model is told when the page's tool is no longer the one it was offered. */
export function changedMessage(name: string): string {
  return `Tool "${name}" changed on the page since it was offered, so it was not run; its new version is offered next turn. Tell the person before calling it again.`;
}

/**
 * The page's tool under the call's name now, if it is still the one in the
 * snapshot (same identity); otherwise the error that says why it cannot run.
 */
async function currentTool(context: RunContext, entry: SnapshotEntry, name: string): Promise<RawTool | string> {
  // Our polyfill vouches for one tool without a listing: the same registration is the same identity.
  if (context.backend?.stillRegistered?.(entry.raw)) return entry.raw;
  let listed: RawTool[];
  try {
    listed = await context.relist();
  } catch (error) {
    return capError(`Tool "${name}" was not run: the page's tools could not be listed to check it (${describeError(error)}).`);
  }
  const now = listed.find(
    (tool) => tool.name === entry.raw.name && Boolean(tool.fromFrame) === Boolean(entry.raw.fromFrame) && tool.source === entry.raw.source,
  );
  if (!now) return gone(name);
  if (identityOf(now) !== entryIdentity(entry)) return changedMessage(name);
  return now;
}

async function execute(
  context: RunContext,
  backend: Backend,
  tool: RawTool,
  name: string,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
  finish: (output: ToolOutput, status: ToolRunStatus, truncated?: boolean) => ToolRunOutcome,
  running?: () => void,
): Promise<ToolRunOutcome> {
  const timeoutMs = context.toolTimeouts?.[name] ?? context.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
  // Native runs whatever holds the name when it gets to it: only the checked registration may.
  const armed = context.registry && !tool.fromFrame ? armCall(context.registry, name, tool.registrations ?? new Set()) : undefined;
  try {
    const run = backend.callTool(tool, args, controller.signal).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
    // After the implementation has queued the tool's start, so the tool is entered first.
    if (running) queueMicrotask(running);
    const settled = await Promise.race([run, stoppedPromise.then(() => undefined)]);
    if (stopped === 'timed-out')
      return finish(
        {
          error: `Tool "${name}" did not finish within ${formatDuration(timeoutMs)} and was stopped. It may or may not have taken effect.`,
        },
        'timed-out',
      );
    // Without a stop the race was won by the call itself.
    if (stopped || !settled)
      return finish({ error: `The call to "${name}" was cancelled before it finished. It may or may not have taken effect.` }, 'cancelled');
    if ('error' in settled)
      return finish({ error: armed?.ticket.refused ? changedMessage(name) : failureMessage(name, settled.error) }, 'failed');
    const normalized = normalizeResult(settled.answer, context.maxResultBytes);
    return finish(normalized.output, 'error' in normalized.output ? 'failed' : 'done', normalized.truncated);
  } finally {
    armed?.release();
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
}
