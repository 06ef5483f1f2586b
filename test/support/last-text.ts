import { messageText } from '../../src/client/state.js';
import type { ChatSession } from '../../src/client/session.js';

/** The text of the newest message, as the person reads it (reasoning left out); '' when there is none. */
export function lastText(session: ChatSession): string {
  const last = session.state.value.messages.at(-1);
  return last ? messageText(last) : '';
}
