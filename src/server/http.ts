/** Error values that become `{ error, hint, … }` JSON bodies (docs/protocol.md "Error bodies"). */
import type { ServerErrorCode } from '../protocol/index.js';

/**
 * Refusals of the reference API's abuse limits, beside the protocol's codes:
 * a body nested past `maxJsonDepth` (400), and a full memory budget or entry
 * cap (503 with Retry-After; the widget retries it).
 */
export const LIMIT_ERROR = {
  tooDeep: 'json_too_deep',
  serverBusy: 'server_busy',
} as const;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode | string,
    readonly hint: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${hint}`);
  }

  toResponse(): Response {
    return jsonResponse(this.status, { error: this.code, hint: this.hint, ...this.extra }, this.headers);
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
}
