/**
 * Reads a JSON request body under a byte limit. Content-Length is checked first
 * (cheap refusal), then the bytes actually read, because a chunked body or a
 * lying header carries no trustworthy length.
 */
import { SERVER_ERROR } from '../protocol/index.js';
import { HttpError } from './http.js';
import { nestsDeeperThan } from './json-depth.js';

/** Shared by every request: a fatal decoder keeps no state between whole-buffer decodes. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
}

/** Reads and parses a JSON body, refusing (413, 400) before anything else sees it. */
export async function readJsonBody(request: Request, { maxBodyBytes: limit, maxJsonDepth }: BodyLimits): Promise<unknown> {
  const tooLarge = () =>
    new HttpError(
      413,
      SERVER_ERROR.payloadTooLarge,
      `Send a body of at most ${limit} bytes (maxBodyBytes); trim the transcript or the tool list.`,
      { limit, max: limit },
    );
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  const bytes = declared !== null ? new Uint8Array(await request.arrayBuffer()) : await readCounted(request, limit, tooLarge);
  if (bytes.byteLength === 0) throw badJson('The request has no body; send a JSON object.');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badJson('The body is not valid UTF-8.');
  }
  if (nestsDeeperThan(text, maxJsonDepth)) {
    throw new HttpError(
      400,
      SERVER_ERROR.jsonTooDeep,
      `The body nests arrays and objects more than ${maxJsonDepth} levels deep (maxJsonDepth); send flatter JSON.`,
      { limit: 'maxJsonDepth', max: maxJsonDepth },
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badJson('The body is not valid JSON; send a JSON object with Content-Type: application/json.');
  }
}

/**
 * A body without Content-Length (chunked): read chunk by chunk, refusing as
 * soon as it passes the limit. With a declared length the host has already
 * held the body to it, and the cheaper whole-body read is used instead.
 */
async function readCounted(request: Request, limit: number, tooLarge: () => HttpError): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function badJson(hint: string): HttpError {
  return new HttpError(400, SERVER_ERROR.badRequest, hint);
}

/** Names the first schema problem in words a developer can act on. */
export function describeIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return 'The body does not match the request shape.';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
