/**
 * Streamed answer text reaches its markdown view without a render of the
 * panel. While an answer streams, nearly every change of the state is more
 * text in one part, and rendering the panel for it (header, transcript,
 * composer, each message's check) cost the page more than painting the text.
 *
 * The panel asks `painted(shown, next)` before it renders: when `next` differs
 * from the state it last rendered (`shown`) only in the text of answer parts,
 * each such part's view paints its text and the render is skipped. Anything
 * else (a new part, a finished one, a tool call, a status) renders as usual,
 * and the views see the same text again in their props: painting is by
 * length, so twice is harmless.
 */
import type { ChatState, TextPart } from '../client/state.js';
import { type Same, sameFields } from '../shared/same-fields.js';

/** Paints a part's text, which has grown since the view last painted. */
export type Painter = (text: string) => void;

export interface LiveText {
  /** A part's view says how it paints; returns the way to stop. */
  listen(messageId: string, partId: string, painter: Painter): () => void;
  /** Whether only answer text changed from `shown` to `next`: then it has been painted. */
  painted(shown: ChatState, next: ChatState): boolean;
}

/** Same length, and each item `===` or alike by `same`. */
const sameItems = <T>(a: readonly T[], b: readonly T[], same: Same<T>) =>
  a.length === b.length && a.every((item, i) => item === b[i] || same(item, b[i] as T));

export function liveText(): LiveText {
  const painters = new Map<string, Painter>();
  const keyOf = (messageId: string, partId: string) => `${messageId}\n${partId}`;
  return {
    listen(messageId, partId, painter) {
      const key = keyOf(messageId, partId);
      painters.set(key, painter);
      return () => {
        if (painters.get(key) === painter) painters.delete(key);
      };
    },
    painted(shown, next) {
      const grown: [Painter | undefined, string][] = [];
      const onlyText = sameFields(shown, next, 'messages', (a, b) =>
        sameItems(a, b, (message, other) =>
          sameFields(message, other, 'parts', (c, d) =>
            sameItems(c, d, (part, grew) =>
              // Answer text only: a sub-agent's shows in its tool call's card, reasoning as plain text.
              part.type === 'text' && part.parentToolCallId === undefined
                ? sameFields(
                    part,
                    grew as TextPart,
                    'text',
                    () => grown.push([painters.get(keyOf(message.id, part.id)), (grew as TextPart).text]) > 0,
                  )
                : false,
            ),
          ),
        ),
      );
      // A part whose view has not said how it paints (not mounted yet) needs the render.
      if (!onlyText || grown.some(([painter]) => !painter)) return false;
      for (const [painter, text] of grown) painter?.(text);
      return true;
    },
  };
}
