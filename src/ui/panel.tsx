import type { Signal } from '@preact/signals-core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Composer } from './composer.js';
import { useSignalValue } from './use-signal.js';
import { ErrorBanner } from './error-banner.js';
import { Header, TITLE_ID } from './header.js';
import { liveText } from './live-text.js';
import type { Strings } from './strings.js';
import { Transcript } from './transcript.js';
import type { PanelOptions, PanelSession } from './types.js';

interface Props {
  session: PanelSession;
  options: PanelOptions;
  t: Strings;
  open: Signal<boolean>;
  onClose(): void;
}

export function Panel({ session, options, t, open, onClose }: Props) {
  const [live] = useState(liveText);
  const state = useSignalValue(session.state, live.painted);
  const isOpen = useSignalValue(open);
  const input = useRef<HTMLTextAreaElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  /** The approval just decided: once its card is gone, focus moves on (never to <body>, where Escape stops working). */
  const decided = useRef<string | null>(null);
  const [draftShown, setDraftShown] = useState(false);
  // Between sending and the end of the answer (tools and approvals included).
  const busy = state.status !== 'idle' && state.status !== 'error';

  useLayoutEffect(() => {
    if (isOpen) input.current?.focus();
  }, [isOpen]);

  useLayoutEffect(() => {
    const id = decided.current;
    if (id === null || state.pendingApprovals.some((request) => request.toolCallId === id)) return;
    decided.current = null;
    // The next card waiting for the person, else the message box.
    (panel.current?.querySelector<HTMLElement>('.wmc-approval .wmc-primary') ?? input.current)?.focus();
  });

  return (
    <div
      class="wmc-panel"
      ref={panel}
      role="dialog"
      aria-modal="false"
      aria-labelledby={TITLE_ID}
      hidden={!isOpen}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !options.inline) {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <Header title={options.title ?? t.title} t={t} onClose={options.inline ? undefined : onClose} />
      <Transcript
        state={state}
        live={live}
        t={t}
        welcome={options.welcomeMessage ?? state.welcomeMessage}
        images={options.allowImages}
        approvalSummary={options.approvalSummary}
        alwaysAllowConsequential={options.alwaysAllowConsequential}
        hideFailed={draftShown}
        onDecide={(id, decision) => {
          decided.current = id;
          session.approve(id, decision);
        }}
      />
      {state.error && (
        <ErrorBanner
          error={state.error}
          t={t}
          onRetry={() => {
            // Retry sends the failed message itself: the copy put back in the composer is not left there to be sent twice.
            if (input.current && state.draft !== null && input.current.value === state.draft) input.current.value = '';
            void session.retry();
          }}
        />
      )}
      <Composer
        t={t}
        inputRef={input}
        placeholder={options.placeholder ?? state.placeholder ?? t.placeholder}
        busy={busy}
        draft={state.draft}
        onSend={(text) =>
          Promise.resolve(session.send(text)).catch((error: unknown) => {
            // Refused before it left (another tab took the conversation meanwhile, the chat was closed): the words go back, not lost.
            if (input.current && input.current.value === '') input.current.value = text;
            console.warn('webmcp-chat: the message was not sent:', error);
          })
        }
        onStop={() => void session.cancel()}
        onDraftShown={setDraftShown}
      />
    </div>
  );
}
