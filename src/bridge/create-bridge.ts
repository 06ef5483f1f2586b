/**
 * `createBridge()`: the WebMcpBridge the client uses each turn. It keeps, per
 * snapshot, the tools as listed when the snapshot was taken, so a call runs
 * exactly the tool the model was shown: one registered later is unknown, one
 * unregistered since answers a clear error, one changed since is refused.
 */
import { ListenerSet } from '../shared/listeners.js';
import { toolsFingerprint } from '../protocol/fingerprint.js';
import { bareToolName } from '../protocol/limits.js';
import { createMemoryApprovalStore, type ApprovalMemory, type ApprovalPolicyTool } from './approval.js';
import { discover, type Backend } from './discover.js';
import { completeHints } from './listing-hints.js';
import type { BridgeWindow } from './model-context.js';
import { shapeMcpBAnswers } from './mcpb-answers.js';
import { captureRegistrations, registryOf } from './registrations.js';
import { DEFAULT_TIMEOUT_MS, runToolCall } from './run-tool.js';
import { buildSnapshot, type RawTool, type SnapshotEntry } from './snapshot.js';
import type { DroppedTool, RunOptions, ToolCallRequest, ToolRunOutcome, ToolSnapshot, WebMcpBridge, WebMcpKind } from './types.js';

export { DEFAULT_TIMEOUT_MS };

export interface BridgeOptions {
  /** Client allowlist: exact names or `prefix*` (the server's pattern rule). Absent: all tools. */
  allowlist?: readonly string[];
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number;
  /** Per-tool timeouts by bare name, overriding `timeoutMs`. */
  toolTimeouts?: Readonly<Record<string, number>>;
  /** Host policy: return true to ask the person before this tool runs. */
  requiresApproval?: (tool: ApprovalPolicyTool) => boolean;
  /** "Always allow on this site" memory; default in memory for the page's life. */
  approvalMemory?: ApprovalMemory;
  /** Cap on one result in UTF-8 bytes; default 32 KB. */
  maxResultBytes?: number;
  /**
   * Same-origin iframe tools (native only): `include` (default) or `exclude`.
   * On a name collision the top page wins, then frames in the browser's order;
   * the loser is listed in `dropped` as `name_collision`.
   */
  frames?: 'include' | 'exclude';
  /** The window to look in (tests). */
  window?: BridgeWindow;
}

interface SnapshotIndex {
  backend: Backend | undefined;
  entries: Map<string, SnapshotEntry>;
}

export function createBridge(options: BridgeOptions = {}): WebMcpBridge {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : (window as unknown as BridgeWindow));
  // Late, but later registrations keep their hints (earlier hooks: polyfill, script tag).
  captureRegistrations(win);
  shapeMcpBAnswers(win?.document?.modelContext);
  const memory = options.approvalMemory ?? createMemoryApprovalStore();
  const indexes = new WeakMap<ToolSnapshot, SnapshotIndex>();
  const listeners = new ListenerSet<void>();
  let backend = discover(win);
  let unsubscribe = backend?.onChange(notify);
  let disposed = false;

  function notify(): void {
    listeners.emit();
  }

  /** A WebMCP loaded after the widget (MCP-B, a late polyfill) is picked up on the next turn. */
  function currentBackend(): Backend | undefined {
    if (!backend && !disposed) {
      backend = discover(win);
      unsubscribe = backend?.onChange(notify);
    }
    return backend;
  }

  /** The page's tools with their hints completed where the listing drops them. */
  async function listTools(source: Backend): Promise<RawTool[]> {
    return completeHints(source.kind, await source.listTools(), win?.document?.modelContext);
  }

  async function snapshot(): Promise<ToolSnapshot> {
    const source = currentBackend();
    let raw: RawTool[] = [];
    let failed: DroppedTool | undefined;
    try {
      raw = source ? await listTools(source) : [];
    } catch (error) {
      // e.g. Permissions-Policy `tools` off: getTools() rejects NotAllowedError (a DOMException is an Error).
      failed = { name: '*', reason: 'listing_failed', detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    const built = buildSnapshot(raw, { ...options, pageOrigin: win?.location?.origin });
    const result: ToolSnapshot = Object.freeze({
      tools: Object.freeze(built.tools),
      // Nothing listed, nothing else dropped.
      dropped: Object.freeze(failed ? [failed] : built.dropped),
      fingerprint: toolsFingerprint(built.tools),
      takenAt: Date.now(),
    });
    indexes.set(result, { backend: source, entries: built.entries });
    return result;
  }

  async function run(call: ToolCallRequest, taken: ToolSnapshot, runOptions?: RunOptions): Promise<ToolRunOutcome> {
    const index = indexes.get(taken);
    const source = index?.backend;
    const registry = source?.kind === 'native' || source?.kind === 'mcp-b' ? registryOf(win?.document?.modelContext) : undefined;
    const outcome = await runToolCall(
      {
        ...options,
        backend: source,
        entries: index?.entries,
        dropped: taken?.dropped ?? [],
        memory,
        relist: async () => (source ? listTools(source) : []),
        registry,
      },
      call,
      runOptions,
    );
    // A tool another origin shared with the page (a cross-origin frame): say where it came from.
    const pageOrigin = index?.entries?.get(bareToolName(call.toolName))?.tool.pageOrigin;
    return pageOrigin && pageOrigin !== win?.location?.origin ? { ...outcome, pageOrigin } : outcome;
  }

  return {
    get kind(): WebMcpKind {
      return currentBackend()?.kind ?? 'none';
    },
    snapshot,
    run,
    onToolsChanged(listener) {
      return listeners.add(listener);
    },
    dispose() {
      disposed = true;
      unsubscribe?.();
      unsubscribe = undefined;
      listeners.clear();
    },
  };
}
