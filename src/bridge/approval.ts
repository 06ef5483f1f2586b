/**
 * Whether a call needs the person's yes, and the "always allow on this site"
 * memory. The memory is an interface so the client can keep it in IndexedDB
 * per token and origin; the default lives as long as the page.
 */
import type { ToolAnnotations } from './model-context.js';
import type { ApprovalRequest } from './types.js';

/**
 * Remembers "always allow" by tool identity (`toolIdentity`: name, title,
 * description, hints and schema as the person saw them), never by name alone:
 * a tool that changes under the same name is asked about again.
 */
export interface ApprovalMemory {
  has(toolIdentity: string): boolean | Promise<boolean>;
  remember(toolIdentity: string): void | Promise<void>;
}

export function createMemoryApprovalStore(): ApprovalMemory {
  const allowed = new Set<string>();
  return {
    has: (identity) => allowed.has(identity),
    remember: (identity) => void allowed.add(identity),
  };
}

/** What the host's policy sees about a tool. */
export interface ApprovalPolicyTool {
  name: string;
  title?: string;
  description: string;
  annotations: ToolAnnotations;
  pageOrigin?: string;
}

/**
 * The reason to ask, or `undefined` when the call may run without asking.
 * `hintsKnown: false` means the listing may have dropped a hint the page gave
 * (see listing-hints.ts): then only a tool that says it only reads runs unasked.
 */
export function approvalReason(
  tool: ApprovalPolicyTool,
  requiresApproval?: (tool: ApprovalPolicyTool) => boolean,
  hintsKnown = true,
): ApprovalRequest['reason'] | undefined {
  if (tool.annotations.consequentialHint === true) return 'consequential';
  if (tool.annotations.destructiveHint === true) return 'destructive';
  try {
    if (requiresApproval?.(tool)) return 'policy';
  } catch {
    // A broken policy asks rather than lets through.
    return 'policy';
  }
  if (!hintsKnown && tool.annotations.readOnlyHint !== true) return 'unverified';
  return undefined;
}
