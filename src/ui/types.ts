import type { ReadonlySignal } from '@preact/signals-core';
import type { ApprovalDecision, ApprovalRequest } from '../bridge/types.js';
import type { ChatState } from '../client/state.js';
import type { ThemeOptions } from './theme.js';

/** What the panel needs of a ChatSession (client/session.ts); a fake with plain signals works too. */
export interface PanelSession {
  readonly state: ReadonlySignal<ChatState>;
  send(text: string): unknown;
  cancel(): unknown;
  retry(): unknown;
  approve(toolCallId: string, decision: ApprovalDecision): unknown;
}

/** The panel's options: a subset of the widget's (embed/options.ts), same names. */
export interface PanelOptions extends ThemeOptions {
  title?: string;
  welcomeMessage?: string;
  placeholder?: string;
  strings?: Partial<Record<string, string>>;
  /** Let model markdown load images: `true` for any https image, or a list of allowed origins. */
  allowImages?: boolean | readonly string[];
  /** Rendered in the page's flow (mount option): no floating, no Escape-to-close. */
  inline?: boolean;
  /** The page's one-line summary of a call for the person ("Pay $12.90 to Northbound Coffee"), shown on its approval card. */
  approvalSummary?: (request: ApprovalRequest) => string | undefined;
  /** Offer "Always allow" for consequential and destructive tools too. Default false: they ask every time. */
  alwaysAllowConsequential?: boolean;
}
