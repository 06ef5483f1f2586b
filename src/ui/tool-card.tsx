import { useEffect, useState } from 'preact/hooks';
import { isToolCallFinished, type ToolCallState } from '../client/state.js';
import type { Strings } from './strings.js';

/** JSON for people: pretty, bounded, never throws. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text;
}

export function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(id);
  }, []);
  return <span class="wmc-elapsed">{seconds(now - since)}</span>;
}

export function Collapsed({ label, value }: { label: string; value: unknown }) {
  return (
    <details>
      <summary>{label}</summary>
      <pre dir="auto">{show(value)}</pre>
    </details>
  );
}

/** `subAgentText`: what a sub-agent inside this call streamed (plain text, never markdown: it is not the answer). */
export function ToolCard({ call, t, subAgentText }: { call: ToolCallState; t: Strings; subAgentText?: string | undefined }) {
  const finished = isToolCallFinished(call.status);
  const origin = call.pageOrigin ?? call.origin;
  return (
    <div class="wmc-card" role="group" aria-label={call.title ?? call.name} data-status={call.status}>
      <div class="wmc-card-head">
        <span class="wmc-card-name" dir="auto">
          {call.title ?? call.name}
        </span>
        {origin && <span class="wmc-card-origin">{`${t.toolFrom} ${origin}`}</span>}
        <span class="wmc-status" data-status={call.status}>
          {t[`status_${call.status}`]}
        </span>
        {!finished && call.startedAt !== undefined && <Elapsed since={call.startedAt} />}
        {finished && call.durationMs !== undefined && <span class="wmc-elapsed">{seconds(call.durationMs)}</span>}
      </div>
      {call.arguments !== undefined && <Collapsed label={t.toolArguments} value={call.arguments} />}
      {subAgentText && (
        <p class="wmc-card-sub" dir="auto">
          {subAgentText}
        </p>
      )}
      {call.untrusted && <span class="wmc-untrusted" title={t.untrustedHint}>{`⚠ ${t.untrusted}`}</span>}
      {call.error !== undefined ? (
        <Collapsed label={t.toolError} value={call.error} />
      ) : (
        call.result !== undefined && (
          <Collapsed label={call.truncated ? `${t.toolResult} (${t.truncated})` : t.toolResult} value={call.result} />
        )
      )}
    </div>
  );
}
