/**
 * Whether a call needs the person's yes, and the "always allow on this site"
 * memory. The memory is an interface so the client can keep it in IndexedDB
 * per token and origin; the default lives as long as the page.
 */
import type { ToolAnnotations } from './model-context.js';
import type { ApprovalRequest } from './types.js';

export interface ApprovalMemory {
  has(toolName: string): boolean | Promise<boolean>;
  remember(toolName: string): void | Promise<void>;
}

export function createMemoryApprovalStore(): ApprovalMemory {
  const allowed = new Set<string>();
  return {
    has: (name) => allowed.has(name),
    remember: (name) => void allowed.add(name),
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

/** The reason to ask, or `undefined` when the call may run without asking. */
export function approvalReason(
  tool: ApprovalPolicyTool,
  requiresApproval?: (tool: ApprovalPolicyTool) => boolean,
): ApprovalRequest['reason'] | undefined {
  if (tool.annotations.consequentialHint === true) return 'consequential';
  if (tool.annotations.destructiveHint === true) return 'destructive';
  try {
    if (requiresApproval?.(tool)) return 'policy';
  } catch {
    // A broken policy asks rather than lets through.
    return 'policy';
  }
  return undefined;
}
