/** Every string a person sees or hears. Any of them can be overridden by key. */
export const DEFAULT_STRINGS = {
  launcherLabel: 'Open chat',
  title: 'Chat',
  close: 'Close chat',
  transcriptLabel: 'Conversation',
  placeholder: 'Type a message…',
  inputLabel: 'Message',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  dismiss: 'Dismiss',
  errorTitle: 'Something went wrong',
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking…',
  reasoning: 'Reasoning',
  imageLabel: 'Image',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  toolError: 'Error',
  toolFrom: 'from',
  untrusted: 'Untrusted content',
  untrustedHint: 'This result comes from content the site does not vouch for. Treat it with care.',
  truncated: 'Result shortened',
  status_pending: 'Waiting',
  'status_awaiting-approval': 'Needs your approval',
  status_running: 'Running',
  status_done: 'Done',
  status_failed: 'Failed',
  status_declined: 'Declined',
  'status_timed-out': 'Timed out',
  status_cancelled: 'Cancelled',
  status_interrupted: 'Interrupted',
  approvalOn: 'Site:',
  approvalNeeded: 'Needs your approval:',
  typing: 'The assistant is typing',
  errorUnavailable: 'The chat is not available on this page right now.',
  allowOnce: 'Allow once',
  alwaysAllow: 'Always allow on this site',
  decline: 'Decline',
  reason_consequential: 'This action changes something on this site.',
  reason_destructive: 'This action may delete or undo something.',
  reason_policy: 'This site asks you to confirm this action.',
  reason_unverified: 'This site did not say whether this action changes anything.',
} as const;

export type StringKey = keyof typeof DEFAULT_STRINGS;
export type Strings = Record<StringKey, string>;

export function resolveStrings(overrides?: Partial<Record<string, string>>): Strings {
  const out: Record<string, string> = { ...DEFAULT_STRINGS };
  if (overrides) for (const key in overrides) if (key in out && typeof overrides[key] === 'string') out[key] = overrides[key]!;
  return out as Strings;
}
