/** Error values that become `{ error, hint, … }` JSON bodies (docs/protocol.md "Error bodies"). */
import type { ServerErrorCode } from '../protocol/index.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
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

/** Random bytes for ids, drawn from the system's CSPRNG 256 ids at a time: a draw per id cost more than the rest of making one. */
const idBytes = new Uint8Array(4096);
let idBytesAt = idBytes.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** `prefix_` and 128 random bits in hex. Session ids are bearer secrets, so every bit comes from the CSPRNG. */
export function newId(prefix: string): string {
  if (idBytesAt + 16 > idBytes.length) {
    crypto.getRandomValues(idBytes);
    idBytesAt = 0;
  }
  let id = `${prefix}_`;
  for (const byte of idBytes.subarray(idBytesAt, idBytesAt + 16)) id += HEX[byte];
  idBytesAt += 16;
  return id;
}
