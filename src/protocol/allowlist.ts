/**
 * WebMCP admission (docs/protocol.md "Admission"), written once for the server,
 * the client-side allowlist and the allowlist lab, so all three agree.
 */
import type { ClientTool } from './tools.js';
import { toolLimitProblem } from './tools.js';

export interface AllowlistRule {
  /** An exact origin such as `https://store.example.com`, or `*`. */
  origin: string;
  /** Exact names, or a prefix followed by one trailing `*`. */
  tools: string[];
}

export interface WebMcpPolicy {
  enabled: boolean;
  allowlist?: AllowlistRule[];
}

/** Exact name, or a prefix with a single trailing `*`. A `*` anywhere else is literal. */
export function matchesToolPattern(pattern: string, name: string): boolean {
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export function matchesRuleOrigin(ruleOrigin: string, origin: string | undefined): boolean {
  return ruleOrigin === '*' || (origin !== undefined && ruleOrigin === origin);
}

/** True when some pattern in the list matches (the client allowlist has no origins). */
export function matchesAnyPattern(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => matchesToolPattern(pattern, name));
}

export type DropReason = 'disabled' | 'no_matching_rule' | 'invalid';

export interface AdmissionVerdict {
  admitted: string[];
  dropped: { name: string; reason: DropReason; detail?: string }[];
}

/**
 * Decides which tools reach the model. `sdk` tools are never gated; `webmcp`
 * tools need the policy enabled and, with an allowlist, a rule whose origin
 * matches the validated request origin and one of whose patterns matches.
 */
export function admitTools(
  tools: readonly ClientTool[],
  policy: WebMcpPolicy | undefined,
  requestOrigin: string | undefined,
): AdmissionVerdict {
  const verdict: AdmissionVerdict = { admitted: [], dropped: [] };
  for (const tool of tools) {
    const problem = toolLimitProblem(tool);
    if (problem) {
      verdict.dropped.push({ name: tool.name, reason: 'invalid', detail: problem });
    } else if (tool.origin === 'sdk') {
      verdict.admitted.push(tool.name);
    } else if (!policy?.enabled) {
      verdict.dropped.push({ name: tool.name, reason: 'disabled' });
    } else if (policy.allowlist && !ruleAdmits(policy.allowlist, requestOrigin, tool.name)) {
      verdict.dropped.push({ name: tool.name, reason: 'no_matching_rule' });
    } else {
      verdict.admitted.push(tool.name);
    }
  }
  return verdict;
}

function ruleAdmits(rules: readonly AllowlistRule[], origin: string | undefined, name: string): boolean {
  return rules.some((rule) => matchesRuleOrigin(rule.origin, origin) && matchesAnyPattern(rule.tools, name));
}
