/**
 * What the panel's polite live region says besides finished answers: a call
 * that needs the person, and a call that failed. `seen` keeps each said once.
 */
import type { ChatState } from '../client/state.js';
import type { Strings } from './strings.js';
import { readableTitle } from './tool-card.js';

const FAILED = new Set(['failed', 'timed-out', 'interrupted']);

export function announcementsFor(state: ChatState, t: Strings, seen: Set<string>): string {
  const lines: string[] = [];
  for (const request of state.pendingApprovals) {
    const key = `approval:${request.toolCallId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${t.approvalNeeded} ${readableTitle(request.title, request.toolName)}`);
  }
  for (const call of Object.values(state.toolCalls)) {
    const key = `failed:${call.id}`;
    if (!FAILED.has(call.status) || seen.has(key)) continue;
    seen.add(key);
    lines.push(`${readableTitle(call.title, call.name)}: ${t[`status_${call.status}`]}`);
  }
  return lines.join('. ');
}

/** Between a question and the first words of its answer (and again after tools), the typing indicator shows. */
export function isWaitingForText(state: ChatState): boolean {
  if (state.status !== 'connecting' && state.status !== 'streaming') return false;
  const last = state.messages[state.messages.length - 1];
  if (!last || last.role === 'user') return true;
  if (!last.streaming) return false;
  const part = last.parts[last.parts.length - 1];
  return !part || part.type === 'tool-call';
}
