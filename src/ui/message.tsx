import type { JSX } from 'preact';
import { Component } from 'preact';
import { messageText, type MessageState, type ToolCallState } from '../client/state.js';
import type { LiveText } from './live-text.js';
import { MarkdownView } from './markdown-view.js';
import type { Strings } from './strings.js';
import { ToolCard } from './tool-card.js';

interface Props {
  message: MessageState;
  toolCalls: Readonly<Record<string, ToolCallState>>;
  t: Strings;
  images?: boolean | readonly string[];
  live?: LiveText;
}

/** One message. Skips its render when neither it nor one of its tool calls changed. */
export class Message extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    const { message, toolCalls } = this.props;
    if (next.message !== message || next.t !== this.props.t) return true;
    return message.parts.some((p) => p.type === 'tool-call' && next.toolCalls[p.toolCallId] !== toolCalls[p.toolCallId]);
  }

  override render({ message, toolCalls, t, images, live }: Props) {
    if (message.role === 'user') {
      const text = messageText(message);
      return (
        <article class="wmc-msg wmc-user" dir="auto" aria-label={t.you}>
          {text}
        </article>
      );
    }
    const out: JSX.Element[] = [];
    let bubble: JSX.Element[] = [];
    const flush = () => {
      if (bubble.length)
        out.push(
          <div class="wmc-msg wmc-assistant" key={out.length}>
            {bubble}
          </div>,
        );
      bubble = [];
    };
    // A sub-agent's text belongs to its tool call's card, not to the answer.
    const subAgentText = new Map<string, string>();
    for (const part of message.parts) {
      if (part.type === 'text' && part.parentToolCallId !== undefined) {
        subAgentText.set(part.parentToolCallId, (subAgentText.get(part.parentToolCallId) ?? '') + part.text);
      }
    }
    for (const part of message.parts) {
      if (part.type === 'text' && part.parentToolCallId !== undefined) continue;
      if (part.type === 'text') {
        bubble.push(
          <MarkdownView
            key={part.id}
            text={part.text}
            done={part.done || !message.streaming}
            rewrites={part.rewrites}
            images={images}
            imageLabel={t.imageLabel}
            live={live && ((painter) => live.listen(message.id, part.id, painter))}
          />,
        );
      } else if (part.type === 'reasoning') {
        bubble.push(
          <details class="wmc-reasoning" key={part.id}>
            <summary>{part.done ? t.reasoning : t.thinking}</summary>
            <div dir="auto" style="white-space:pre-wrap">
              {part.text}
            </div>
          </details>,
        );
      } else {
        flush();
        const call = toolCalls[part.toolCallId];
        if (call) out.push(<ToolCard key={part.toolCallId} call={call} t={t} subAgentText={subAgentText.get(call.id)} />);
      }
    }
    // Nothing yet: the transcript's typing indicator stands for it.
    flush();
    return <>{out}</>;
  }
}
