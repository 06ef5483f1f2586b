import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Strings } from './strings.js';

interface Props {
  t: Strings;
  placeholder: string;
  busy: boolean;
  /** Text to put back after a failure. */
  draft: string | null;
  onSend(text: string): void;
  onStop(): void;
  /** Whether the composer holds the failed message now (then the transcript does not show it twice). */
  onDraftShown?(shown: boolean): void;
  inputRef?: { current: HTMLTextAreaElement | null };
}

/** Enter sends, Shift+Enter is a new line; Stop while an answer is coming. */
export function Composer({ t, placeholder, busy, draft, onSend, onStop, onDraftShown, inputRef }: Props) {
  const own = useRef<HTMLTextAreaElement>(null);
  const input = inputRef ?? own;
  useLayoutEffect(() => {
    const el = input.current;
    if (el && draft && !el.value) el.value = draft;
    onDraftShown?.(!!draft && el?.value === draft);
  }, [draft]);
  const send = () => {
    const el = input.current!;
    const text = el.value.trim();
    if (!text || busy) return;
    onSend(text);
    el.value = '';
    onDraftShown?.(false);
  };
  return (
    <form
      class="wmc-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        ref={input}
        rows={1}
        dir="auto"
        aria-label={t.inputLabel}
        placeholder={placeholder}
        maxLength={8000}
        onInput={(e) => onDraftShown?.(!!draft && e.currentTarget.value === draft)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      {busy ? (
        <button type="button" onClick={onStop}>
          {t.stop}
        </button>
      ) : (
        <button type="submit" class="wmc-primary">
          {t.send}
        </button>
      )}
    </form>
  );
}
