/**
 * Two tabs write one stored conversation. The last write must not erase a
 * message the other tab wrote, so a save merges with what is stored: every
 * message is kept by id (the writer's copy wins, it is the newer one), and a
 * stored message the writer never saw goes in by its time. A failed question
 * (given back to the composer) is not brought back.
 */
import type { StoredConversation } from '../persistence.js';
import { idRecord } from '../id-record.js';
import type { MessageState } from '../state.js';

export function mergeConversation(stored: StoredConversation | undefined, ours: StoredConversation): StoredConversation {
  if (!stored || stored.messages.length === 0) return ours;
  const known = new Set(ours.messages.map((message) => message.id));
  // A failed question went back to the composer; whatever the writer sent instead replaced it.
  const missing = stored.messages.filter((message) => !known.has(message.id) && !message.failed);
  if (missing.length === 0) return ours;
  return { ...ours, messages: insertByTime(ours.messages, missing), toolCalls: idRecord(stored.toolCalls, ours.toolCalls) };
}

/** Both lists are in time order already: one pass, like the merge step of a merge sort. */
function insertByTime(ours: readonly MessageState[], missing: readonly MessageState[]): MessageState[] {
  const merged: MessageState[] = [];
  let i = 0;
  for (const message of ours) {
    for (let next = missing[i]; next !== undefined && next.createdAt < message.createdAt; next = missing[i]) {
      merged.push(next);
      i += 1;
    }
    merged.push(message);
  }
  for (const message of missing.slice(i)) merged.push(message);
  return merged;
}
