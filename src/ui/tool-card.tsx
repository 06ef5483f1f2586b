import { useEffect, useState } from 'preact/hooks';
import { isToolCallFinished, type ToolCallState } from '../client/state.js';
import { formatElapsed } from '../shared/duration.js';
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

export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(id);
  }, []);
  return <span class="wmc-elapsed">{formatElapsed(now - since)}</span>;
}

export function Collapsed({ label, value }: { label: string; value: unknown }) {
  return (
    <details>
      <summary>{label}</summary>
      <pre dir="auto">{show(value)}</pre>
    </details>
  );
}

/** `add_to_cart` → "Add to cart": a tool's `title`, else its name made readable. */
export function readableTitle(title: string | undefined, name: string): string {
  if (title?.trim()) return title;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `https://shop.example:8443` → `shop.example:8443`; undefined for anything that is not a URL. */
export function hostOf(origin: string | undefined): string | undefined {
  try {
    return origin ? new URL(origin).host : undefined;
  } catch {
    return undefined;
  }
}

/** Arguments as a person reads them: one labelled value per field, nested values as short JSON. */
export function ValueList({ value }: { value: unknown }) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return <p dir="auto">{show(value).slice(0, 500)}</p>;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
  if (entries.length === 0) return null;
  return (
    <dl class="wmc-values">
      {entries.map(([key, field]) => (
        <div key={key}>
          <dt>{readableTitle(undefined, key)}</dt>
          <dd dir="auto">{typeof field === 'string' ? field : JSON.stringify(field).slice(0, 200)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** `subAgentText`: what a sub-agent inside this call streamed (plain text, never markdown: it is not the answer). */
export function ToolCard({ call, t, subAgentText }: { call: ToolCallState; t: Strings; subAgentText?: string | undefined }) {
  // While it waits for the person, the approval card is this call's one card.
  if (call.status === 'awaiting-approval') return null;
  const finished = isToolCallFinished(call.status);
  // The page's own tools need no origin; a tool from another site (a frame) says whose it is.
  const host = hostOf(call.pageOrigin);
  const title = readableTitle(call.title, call.name);
  return (
    <fieldset class="wmc-card" aria-label={title} data-status={call.status}>
      <div class="wmc-card-head">
        <span class="wmc-card-name" dir="auto">
          {title}
        </span>
        {host && host !== location.host && <span class="wmc-card-origin">{`${t.toolFrom} ${host}`}</span>}
        <span class="wmc-status" data-status={call.status}>
          {t[`status_${call.status}`]}
        </span>
        {!finished && call.startedAt !== undefined && <Elapsed since={call.startedAt} />}
        {finished && call.durationMs !== undefined && <span class="wmc-elapsed">{formatElapsed(call.durationMs)}</span>}
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
    </fieldset>
  );
}
