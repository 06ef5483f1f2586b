/**
 * The owner's state goes to the other tabs as what changed since its last
 * post, not the whole conversation again: the reducer keeps every untouched
 * message and tool call the same object, so a streamed token changes only
 * the last message, and only that is cloned and sent. The other tabs keep
 * their copies of the rest, so their panels do not re-render it either.
 */
import { idRecord } from '../id-record.js';
import { sameFields } from '../../shared/same-fields.js';
import type { MirroredChange, MirroredState } from './channel.js';

/** What changed from `sent` to `now`; undefined when only the whole state says it (a tool call went). */
export function changeSince(sent: MirroredState, now: MirroredState, base: string): MirroredChange | undefined {
  const toolCalls = idRecord<MirroredState['toolCalls'][string]>();
  for (const id in sent.toolCalls) if (!(id in now.toolCalls)) return undefined;
  for (const [id, call] of Object.entries(now.toolCalls)) if (call !== sent.toolCalls[id]) toolCalls[id] = call;
  let start = 0;
  while (start < now.messages.length && now.messages[start] === sent.messages[start]) start++;
  return { base, start, messages: now.messages.slice(start), toolCalls, pendingApprovals: now.pendingApprovals, status: now.status };
}

/**
 * `base` with `change` applied; undefined when the change does not fit it (a
 * post was missed). What arrived equal to what `base` holds keeps `base`'s
 * object (a message's unchanged parts, the tool calls when none changed, no
 * approvals), as the reducer keeps it: a panel tells a token from a change by
 * identity (ui/live-text.ts), and a copy would look like a change.
 */
export function applyChange(base: MirroredState, change: MirroredChange): MirroredState | undefined {
  if (change.start > base.messages.length) return undefined;
  const messages = change.messages.map((message, i) => {
    const was = base.messages[change.start + i];
    if (was?.id !== message.id) return message;
    // A part's fields are all plain values: the same fields, each `===`, are the same part.
    return {
      ...message,
      parts: message.parts.map((part, j) => (was.parts[j] && sameFields(was.parts[j], part) ? (was.parts[j] as typeof part) : part)),
    };
  });
  return {
    messages: [...base.messages.slice(0, change.start), ...messages],
    toolCalls: Object.keys(change.toolCalls).length ? idRecord(base.toolCalls, change.toolCalls) : base.toolCalls,
    // None waiting, as while an answer streams: the same none.
    pendingApprovals: change.pendingApprovals.length || base.pendingApprovals.length ? change.pendingApprovals : base.pendingApprovals,
    status: change.status,
  };
}
