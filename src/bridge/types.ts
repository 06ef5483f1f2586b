/**
 * The seam between the bridge (WebMCP, in the page) and the conversation
 * (client/). The client only ever sees these types; how a tool is found and
 * run on native WebMCP, MCP-B, an older shape or our polyfill stays inside.
 */
import type { ClientTool } from '../protocol/index.js';

/** Which WebMCP the page has. `polyfill` is ours; `none` means no tools. */
export type WebMcpKind = 'native' | 'mcp-b' | 'legacy' | 'polyfill' | 'none';

/** Why the bridge left a tool out of a snapshot. */
export type DropReason =
  | 'invalid_name'
  | 'empty_description'
  | 'description_too_long'
  | 'invalid_tool'
  | 'invalid_schema'
  | 'blocked_by_client_allowlist'
  | 'name_collision'
  | 'over_tool_limit'
  | 'over_size_limit'
  | 'listing_failed'
  | 'frame_excluded'
  | 'snapshot_failed';

/** A tool the bridge left out of a snapshot, and why: never silent. */
export interface DroppedTool {
  name: string;
  reason: DropReason;
  detail?: string;
  /** The frame or origin the tool came from, when not the top page. */
  source?: string;
}

/** One turn's view of the page's tools. Only tools in the turn's snapshot may run. */
export interface ToolSnapshot {
  /** Exactly what goes on the wire as `clientTools`. */
  readonly tools: readonly ClientTool[];
  readonly dropped: readonly DroppedTool[];
  readonly fingerprint: string;
  readonly takenAt: number;
}

/** What an `await` event asks for. `toolName` may carry the `webmcp:` prefix. */
export interface ToolCallRequest {
  toolCallId: string;
  toolName: string;
  parameters: unknown;
}

export type ApprovalDecision = 'allow-once' | 'always-allow' | 'decline';

export interface ApprovalRequest {
  toolCallId: string;
  toolName: string;
  title?: string;
  description: string;
  arguments: unknown;
  pageOrigin?: string;
  /**
   * Why the person is asked: the tool's own hint, the host's policy, or
   * `unverified`: the browser's listing may have dropped the tool's hints and
   * it does not say it only reads.
   */
  reason: 'consequential' | 'destructive' | 'policy' | 'unverified';
}

export type ApproveFn = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

/** Exactly the value posted to /v1/client/resume for one call. */
export type ToolOutput = { result: unknown } | { error: string };

export type ToolRunStatus = 'done' | 'failed' | 'declined' | 'timed-out' | 'cancelled';

/** Who let the call run, for the audit trail. */
export type ApprovalRecord = 'not-required' | 'allowed-once' | 'always-allowed' | 'remembered' | 'declined';

export interface ToolRunOutcome {
  output: ToolOutput;
  status: ToolRunStatus;
  durationMs: number;
  approval: ApprovalRecord;
  /** The tool carries `untrustedContentHint`: show and forward its result as untrusted. */
  untrusted: boolean;
  /** The result was cut to the cap; the output carries a visible mark too. */
  truncated: boolean;
  /** Set when the tool came from another origin than the page's (a cross-origin iframe). */
  pageOrigin?: string;
}

export interface RunOptions {
  /** Aborts the call: cancel, page teardown. */
  signal?: AbortSignal;
  approve?: ApproveFn;
  /** Called when the call starts waiting for approval and when it starts running. */
  onPhase?: (phase: 'awaiting-approval' | 'running') => void;
}

export interface WebMcpBridge {
  readonly kind: WebMcpKind;
  /** Lists the page's tools now, applying the limits and the client allowlist. */
  snapshot(): Promise<ToolSnapshot>;
  /** Runs one call against a snapshot; never throws, every failure is an `{error}` output. */
  run(call: ToolCallRequest, snapshot: ToolSnapshot, options?: RunOptions): Promise<ToolRunOutcome>;
  /** Fires on the page's `toolchange`. Returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
  dispose(): void;
}
