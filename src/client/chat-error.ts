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

  constructor(init: ChatErrorInit) {
    super(init.message ?? init.hint, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ChatError';
    this.code = init.code;
    this.hint = init.hint;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.serverCode = init.serverCode;
    this.retryAfterMs = init.retryAfterMs;
  }
}
