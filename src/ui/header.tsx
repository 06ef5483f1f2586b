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
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      )}
    </div>
  );
}
