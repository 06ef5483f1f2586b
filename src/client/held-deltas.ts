/**
 * Folds consecutive deltas of one text or reasoning part into one frame. A
 * network chunk carries hundreds of token-sized deltas; applied one by one,
 * each copies the message's part list, moves the state signal and wakes its
 * subscribers, for text that no one sees until the next frame is painted.
 *
 * Nothing is reordered: any other frame (or a delta of another part, run or
 * sub-agent) first lets out what is held. The folded frame is the last one
 * with every held delta's text, so its `seq` is the newest the state holds.
 */
import type { EventOf, StreamEvent } from '../protocol/index.js';

export type Delta = EventOf<'text_delta'> | EventOf<'reasoning_delta'>;

export function isDelta(event: StreamEvent): event is Delta {
  return event.type === 'text_delta' || event.type === 'reasoning_delta';
}

export interface HeldDeltas {
  /** Holds `event`; when it belongs to another part than those held, returns them (as `take()`) to apply first. */
  hold(event: Delta): Delta | undefined;
  /** The held deltas as one frame, or undefined when none is held; holds nothing after. */
  take(): Delta | undefined;
}

export function heldDeltas(): HeldDeltas {
  let last: Delta | undefined;
  let texts: string[] = [];
  const take = (): Delta | undefined => {
    const held = last;
    if (!held) return undefined;
    const many = texts.length > 1;
    const delta = many ? texts.join('') : held.delta;
    last = undefined;
    texts = [];
    return many ? { ...held, delta } : held;
  };
  return {
    hold(event) {
      const before = last && !samePart(last, event) ? take() : undefined;
      last = event;
      texts.push(event.delta);
      return before;
    },
    take,
  };
}

function samePart(a: Delta, b: Delta): boolean {
  return (
    a.type === b.type &&
    a.id === b.id &&
    a.executionId === b.executionId &&
    ('parentToolCallId' in a ? a.parentToolCallId : undefined) === ('parentToolCallId' in b ? b.parentToolCallId : undefined)
  );
}
