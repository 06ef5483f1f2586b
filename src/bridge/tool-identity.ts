/**
 * A tool's identity: everything the model and the person judged it by (name,
 * title, description, the hints that decide approval, the input schema).
 * Approval is bound to it: a call runs only while the page's tool still has
 * the identity it had in the snapshot, and "always allow" remembers identities,
 * so a tool that changes under the same name is a new tool.
 */
import { canonicalJson, hash53 } from '../protocol/fingerprint.js';

/** The hints that change whether, or how, a call is approved. Others are display only. */
export const APPROVAL_HINTS = ['readOnlyHint', 'destructiveHint', 'consequentialHint', 'untrustedContentHint'] as const;

export interface IdentityFields {
  name: string;
  title?: string | undefined;
  description: string;
  annotations?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * `name#hash`: readable in a store, and different whenever any judged field
 * differs. `schema` is the input schema as the snapshot normalised it (`parametersSchemaOf`).
 */
export function toolIdentity(tool: IdentityFields, schema: Record<string, unknown>): string {
  const hints: Record<string, boolean> = {};
  for (const hint of APPROVAL_HINTS) hints[hint] = tool.annotations?.[hint] === true;
  const text = canonicalJson({
    name: tool.name,
    // Native lists a missing title as "".
    title: tool.title ?? '',
    description: tool.description,
    hints,
    schema,
  });
  return `${tool.name}#${hash53(text, 1).toString(36)}-${hash53(text, 2).toString(36)}`;
}
