/**
 * Says, per listed tool, whether its hints are complete, and completes them
 * where the registration was seen. The rule (README, "Approval rules"): a
 * listing that may have dropped hints (native `getTools()` drops
 * `destructiveHint`; the older testing API lists none) is completed from the
 * registration the widget saw; a tool whose registration was not seen asks
 * the person unless it says `readOnlyHint: true`.
 */
import { registryOf, type CapturedRegistration } from './registrations.js';
import { identityOf, type RawTool } from './snapshot.js';
import type { WebMcpKind } from './types.js';

/** Seen registrations that are this listed tool: every field native keeps is equal. */
function registrationsOf(raw: RawTool, alive: ReadonlySet<CapturedRegistration>): Set<CapturedRegistration> {
  const matches = new Set<CapturedRegistration>();
  for (const registration of alive) {
    if (registration.name !== raw.name) continue;
    // The listing lacks only what native drops; take that from the registration and compare all.
    const listed = { ...raw, annotations: { ...raw.annotations, destructiveHint: registration.annotations?.destructiveHint } };
    const identity = identityOf(registration);
    if (identity !== undefined && identity === identityOf(listed)) matches.add(registration);
  }
  return matches;
}

export function completeHints(kind: WebMcpKind, raws: readonly RawTool[], context: unknown): RawTool[] {
  // Our polyfill and MCP-B (its listTools) keep every hint the page gave.
  if (kind === 'polyfill' || kind === 'mcp-b') return [...raws];
  if (kind !== 'native') return raws.map((raw) => ({ ...raw, hintsKnown: false }));
  const registry = registryOf(context);
  return raws.map((raw) => {
    // A frame registers on its own modelContext, which the widget does not watch.
    const registrations = registry && !raw.fromFrame ? registrationsOf(raw, registry.alive) : undefined;
    if (!registrations || registrations.size === 0) return { ...raw, hintsKnown: false };
    const [first] = registrations;
    return { ...raw, ...(first?.annotations ? { annotations: { ...first.annotations } } : {}), hintsKnown: true, registrations };
  });
}
