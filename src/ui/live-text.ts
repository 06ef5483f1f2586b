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
import type { ChatState, MessagePart, MessageState, TextPart } from '../client/state.js';

/** Paints a part's text, which has grown since the view last painted. */
export type Painter = (text: string) => void;

export interface LiveText {
  /** A part's view says how it paints; returns the way to stop. */
  listen(messageId: string, partId: string, painter: Painter): () => void;
  /** Whether only answer text changed from `shown` to `next`: then it has been painted. */
  painted(shown: ChatState, next: ChatState): boolean;
}

/** Same own fields, each `===` except `key`, which `same` compares. */
function sameExcept<T extends object, K extends keyof T>(a: T, b: T, key: K, same: (x: T[K], y: T[K]) => boolean): boolean {
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((k) => (k === key ? same(a[k] as T[K], b[k] as T[K]) : a[k] === b[k]));
}

const NOTHING = () => true;

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
      const grown: [string, string][] = [];
      const sameParts = (message: MessageState) => (a: readonly MessagePart[], b: readonly MessagePart[]) =>
        a.length === b.length &&
        a.every((part, i) => {
          const other = b[i] as MessagePart;
          if (part === other) return true;
          // Answer text only: a sub-agent's shows in its tool call's card, reasoning as plain text.
          if (part.type !== 'text' || other.type !== 'text' || part.parentToolCallId !== undefined) return false;
          if (!sameExcept<TextPart, 'text'>(part, other, 'text', NOTHING)) return false;
          grown.push([keyOf(message.id, part.id), other.text]);
          return true;
        });
      const sameMessages = (a: readonly MessageState[], b: readonly MessageState[]) =>
        a.length === b.length &&
        a.every((message, i) => message === b[i] || sameExcept(message, b[i] as MessageState, 'parts', sameParts(message)));
      if (!sameExcept(shown, next, 'messages', sameMessages)) return false;
      // A part whose view has not said how it paints (not mounted yet) needs the render.
      if (!grown.every(([key]) => painters.has(key))) return false;
      for (const [key, text] of grown) painters.get(key)?.(text);
      return true;
    },
  };
}
