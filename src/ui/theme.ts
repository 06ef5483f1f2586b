/**
 * Theming: CSS custom properties on the panel root. Options set a few of
 * them (accent, scheme, corner); `theme` may set any `--wmc-*` property.
 */
export type ColorScheme = 'light' | 'dark' | 'auto';
export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

export interface ThemeOptions {
  colorScheme?: ColorScheme;
  accentColor?: string;
  corner?: Corner;
  /** e.g. `{ '--wmc-radius': '4px', '--wmc-font': 'Georgia, serif' }`; other keys are ignored. */
  theme?: Record<string, string>;
}

/** The properties a host may set (documented; all have defaults in styles.ts). */
export const THEME_PROPERTIES = [
  '--wmc-accent',
  '--wmc-on-accent',
  '--wmc-bg',
  '--wmc-fg',
  '--wmc-muted',
  '--wmc-surface',
  '--wmc-border',
  '--wmc-danger',
  '--wmc-warn',
  '--wmc-radius',
  '--wmc-font',
  '--wmc-font-size',
  '--wmc-width',
  '--wmc-height',
  '--wmc-z',
] as const;

export function applyTheme(el: HTMLElement, options: ThemeOptions): void {
  el.setAttribute('data-scheme', options.colorScheme ?? 'auto');
  el.setAttribute('data-corner', options.corner ?? 'bottom-right');
  if (options.accentColor) el.style.setProperty('--wmc-accent', options.accentColor);
  for (const [name, value] of Object.entries(options.theme ?? {})) {
    // setProperty parses the value as one property value: it cannot add rules.
    if (name.startsWith('--wmc-') && typeof value === 'string') el.style.setProperty(name, value);
  }
}
