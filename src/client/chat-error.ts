/**
 * The error class itself, apart from errors.ts's hints and mapping: the small
 * loader reports a panel that could not load with it, and hands it to the
 * panel, so one class serves both (and `instanceof` holds across them).
 */
import type { ChatErrorCode, ChatErrorInit } from './errors.js';

export class ChatError extends Error {
  // Declared, not initialised: the constructor sets each once.
  declare readonly code: ChatErrorCode;
  declare readonly hint: string;
  declare readonly status: number | undefined;
  declare readonly retryable: boolean;
  declare readonly serverCode: string | undefined;
  declare readonly retryAfterMs: number | undefined;

  constructor({ message, cause, ...fields }: ChatErrorInit) {
    super(message ?? fields.hint, cause === undefined ? undefined : { cause });
    // Every field set, `undefined` when not given: one shape for every ChatError.
    Object.assign(this, { status: undefined, serverCode: undefined, retryAfterMs: undefined }, fields, {
      name: 'ChatError',
      retryable: fields.retryable ?? false,
    });
  }
}
