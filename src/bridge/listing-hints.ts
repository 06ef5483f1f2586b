/**
 * Says, per listed tool, whether its hints are complete, and completes them
 * where the registration was seen. The rule (README, "Approval rules"): a
 * listing that may have dropped hints (native `getTools()` drops
 * `destructiveHint`; MCP-B drops `consequentialHint` at registration; the
 * older testing API lists none) is completed from the registration the widget
 * saw; a tool whose registration was not seen asks the person unless it says
 * `readOnlyHint: true`.
 */
import { registryOf, type CapturedRegistration } from './registrations.js';
import { identityOf, type RawTool } from './snapshot.js';
import type { WebMcpKind } from './types.js';

/** The hints each watched implementation leaves out of its listing. */
const DROPPED_HINTS: Partial<Record<WebMcpKind, readonly string[]>> = {
  native: ['destructiveHint'],
  'mcp-b': ['consequentialHint'],
};

/** Seen registrations that are this listed tool: every field the listing keeps is equal. */
function registrationsOf(raw: RawTool, alive: ReadonlySet<CapturedRegistration>, dropped: readonly string[]): Set<CapturedRegistration> {
  const matches = new Set<CapturedRegistration>();
  for (const registration of alive) {
    if (registration.name !== raw.name) continue;
    // The listing lacks only what the implementation drops; take that from the registration and compare all.
    const annotations: Record<string, unknown> = { ...raw.annotations };
    for (const hint of dropped) annotations[hint] = registration.annotations?.[hint];
    const identity = identityOf(registration);
    if (identity !== undefined && identity === identityOf({ ...raw, annotations })) matches.add(registration);
  }
  return matches;
}

export function completeHints(kind: WebMcpKind, raws: readonly RawTool[], context: unknown): RawTool[] {
  // Our polyfill keeps every hint the page gave. A frame's tools come from
  // whatever WebMCP that frame has (MCP-B there drops hints), unseen by the widget.
  if (kind === 'polyfill') return raws.map((raw) => (raw.fromFrame ? { ...raw, hintsKnown: false } : raw));
  const dropped = DROPPED_HINTS[kind];
  const registry = dropped ? registryOf(context) : undefined;
  return raws.map((raw) => {
    // A frame registers on its own modelContext, which the widget does not watch.
    const registrations = registry && dropped && !raw.fromFrame ? registrationsOf(raw, registry.alive, dropped) : undefined;
    if (!registrations || registrations.size === 0) return { ...raw, hintsKnown: false };
    const [first] = registrations;
    return { ...raw, ...(first?.annotations ? { annotations: { ...first.annotations } } : {}), hintsKnown: true, registrations };
  });
}
