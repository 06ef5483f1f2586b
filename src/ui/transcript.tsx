import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApprovalDecision, ApprovalRequest } from '../bridge/types.js';
import { messageText, type ChatState } from '../client/state.js';
import { ApprovalCard, summaryFor } from './approval-card.js';
import { announcementsFor, isWaitingForText } from './announce.js';
import { Message } from './message.js';
import type { Strings } from './strings.js';

interface Props {
  state: ChatState;
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
 * The conversation. The log itself is not live (tokens would be read one by
 * one); a hidden polite region gets each finished answer's text, each
 * approval request and each failed tool, once.
 */
export function Transcript({ state, t, welcome, images, approvalSummary, alwaysAllowConsequential, hideFailed, onDecide }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const announced = useRef<Set<string> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const streaming = state.messages.some((m) => m.streaming);

  useLayoutEffect(() => {
    const el = log.current!;
    if (stick.current) el.scrollTop = el.scrollHeight;
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
      const text = messageText(m).trim();
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
        tabIndex={0}
        ref={log}
        onScroll={() => {
          const el = log.current!;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {welcome && (
          <div class="wmc-msg wmc-assistant wmc-welcome" dir="auto">
            {welcome}
          </div>
        )}
        {state.messages.map((m) =>
          hideFailed && m.failed && m === last ? null : (
            <Message key={m.id} message={m} toolCalls={state.toolCalls} t={t} images={images} />
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
