import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApprovalDecision, ApprovalRequest } from '../bridge/types.js';
import { messageText, type ChatState } from '../client/state.js';
import { ApprovalCard, summaryFor } from './approval-card.js';
import { announcementsFor, isWaitingForText } from './announce.js';
import type { LiveText } from './live-text.js';
import { Message } from './message.js';
import type { Strings } from './strings.js';

interface Props {
  state: ChatState;
  /** How streamed text reaches a message without this rendering. */
  live?: LiveText;
  t: Strings;
  welcome?: string;
  images?: boolean | readonly string[];
  approvalSummary?(request: ApprovalRequest): string | undefined;
  alwaysAllowConsequential?: boolean;
  /** The failed last message is back in the composer: show it there only. */
  hideFailed?: boolean;
  onDecide(toolCallId: string, decision: ApprovalDecision): void;
}

/**
 * A finished answer is read out whole up to this many characters; a longer one
 * up to its last word break before that, then an ellipsis. Nobody listens to a
 * megabyte, and the hidden region would lay it out as one line in one task
 * (200 ms at 1 MiB); the whole answer is in the log.
 */
const SPOKEN_MAX = 4000;

function spoken(text: string): string {
  if (text.length <= SPOKEN_MAX) return text;
  // Not half a surrogate pair when the text has no break to cut at.
  const cut = text.slice(0, SPOKEN_MAX).replace(/[\ud800-\udbff]$/, '');
  const space = cut.search(/\s\S*$/);
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}

/**
 * The conversation. The log itself is not live (tokens would be read one by
 * one); a hidden polite region gets each finished answer's text, each
 * approval request and each failed tool, once.
 */
export function Transcript({ state, live, t, welcome, images, approvalSummary, alwaysAllowConsequential, hideFailed, onDecide }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const announced = useRef<Set<string> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const streaming = state.messages.some((m) => m.streaming);

  // Blocks off screen are laid out lazily (content-visibility in styles.ts), so
  // heights can settle after a render: while the log sticks to its end, it
  // follows every size change of what it holds, not only its own renders.
  // A person who scrolled up since (their scroll event may not have arrived yet) is left where they are.
  const sizes = useRef<{ observer: ResizeObserver; seen: WeakSet<Element> } | null>(null);
  const pinnedAt = useRef(0);
  const follow = (el: HTMLElement) => {
    el.scrollTop = el.scrollHeight;
    pinnedAt.current = el.scrollTop;
  };
  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stick.current && el.scrollTop >= pinnedAt.current - 1) follow(el);
    });
    sizes.current = { observer, seen: new WeakSet() };
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = log.current;
    if (!el || !sizes.current) return;
    const { observer, seen } = sizes.current;
    for (const child of el.children) {
      if (seen.has(child)) continue;
      seen.add(child);
      observer.observe(child);
    }
    // As in the observer: a person who scrolled up since is left there, even before their scroll event arrives.
    if (stick.current && el.scrollTop >= pinnedAt.current - 1) follow(el);
  });

  useLayoutEffect(() => {
    // What was there when the panel opened is not news.
    if (!announced.current) {
      announced.current = new Set(state.messages.filter((m) => !m.streaming).map((m) => m.id));
      announcementsFor(state, t, announced.current);
      return;
    }
    for (const m of state.messages) {
      if (m.role !== 'assistant' || m.streaming || announced.current.has(m.id)) continue;
      announced.current.add(m.id);
      const text = spoken(messageText(m).trim());
      if (text) setAnnouncement(text);
    }
    const news = announcementsFor(state, t, announced.current);
    if (news) setAnnouncement(news);
  }, [state.messages, state.pendingApprovals, state.toolCalls]);
  const last = state.messages[state.messages.length - 1];

  return (
    <>
      <div
        class="wmc-log"
        role="log"
        aria-live="off"
        aria-label={t.transcriptLabel}
        aria-busy={streaming ? 'true' : 'false'}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboard users can scroll it
        tabIndex={0}
        ref={log}
        onScroll={(event) => {
          const el = event.currentTarget;
          // Our own scroll to the end reports here a frame later, when a burst may have added more below it:
          // not the person leaving the end.
          if (el.scrollTop >= pinnedAt.current - 1) return;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          pinnedAt.current = stick.current ? el.scrollTop : Number.POSITIVE_INFINITY;
        }}
      >
        {welcome && (
          <div class="wmc-msg wmc-assistant wmc-welcome" dir="auto">
            {welcome}
          </div>
        )}
        {state.messages.map((m) =>
          hideFailed && m.failed && m === last ? null : (
            <Message key={m.id} message={m} toolCalls={state.toolCalls} t={t} images={images} live={live} />
          ),
        )}
        {isWaitingForText(state) && (
          <div class="wmc-msg wmc-assistant wmc-typing" role="img" aria-label={t.typing}>
            <span />
            <span />
            <span />
          </div>
        )}
        {state.pendingApprovals.map((request) => (
          <ApprovalCard
            key={request.toolCallId}
            request={request}
            t={t}
            summary={summaryFor(request, approvalSummary)}
            alwaysAllowConsequential={alwaysAllowConsequential}
            onDecide={(d) => onDecide(request.toolCallId, d)}
          />
        ))}
      </div>
      <div class="wmc-sr" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </>
  );
}
