import type { Strings } from './strings.js';

export const TITLE_ID = 'wmc-title';

export function Header({ title, t, onClose }: { title: string; t: Strings; onClose?: () => void }) {
  return (
    <div class="wmc-header">
      <h2 id={TITLE_ID} dir="auto">
        {title}
      </h2>
      {onClose && (
        <button type="button" class="wmc-icon" aria-label={t.close} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" />
          </svg>
        </button>
      )}
    </div>
  );
}
