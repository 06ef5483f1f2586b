import type { Signal } from '@preact/signals-core';
import { useRef, useLayoutEffect } from 'preact/hooks';
import { Composer } from './composer.js';
import { useSignalValue } from './use-signal.js';
import { ErrorBanner } from './error-banner.js';
import { Header, TITLE_ID } from './header.js';
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
  const state = useSignalValue(session.state);
  const isOpen = useSignalValue(open);
  const input = useRef<HTMLTextAreaElement>(null);
  const busy =
    state.status === 'connecting' ||
    state.status === 'streaming' ||
    state.status === 'running-tools' ||
    state.status === 'awaiting-approval';

  useLayoutEffect(() => {
    if (isOpen) input.current?.focus();
  }, [isOpen]);

  return (
    <div
      class="wmc-panel"
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
        t={t}
        welcome={options.welcomeMessage ?? state.welcomeMessage}
        images={options.allowImages}
        onDecide={(id, decision) => session.approve(id, decision)}
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
        onSend={(text) => void session.send(text)}
        onStop={() => void session.cancel()}
      />
    </div>
  );
}
