/**
 * The numbers of the contract (docs/protocol.md "Limits"). Browser and server read
 * the same constants so a tool the bridge sends is never one the server refuses.
 */
// Each number is also its own constant: the bundler writes a constant into the code that reads it
// (and into the messages that quote it), where a field of LIMITS would travel as the object.
export const MAX_CLIENT_TOOLS = 50;
/** Serialized `clientTools` JSON, in bytes of UTF-8. */
export const MAX_CLIENT_TOOLS_BYTES = 64 * 1024;
export const MAX_TOOL_NAME_LENGTH = 128;
export const MAX_DESCRIPTION_LENGTH = 1024;

export const LIMITS = {
  maxClientTools: MAX_CLIENT_TOOLS,
  maxClientToolsBytes: MAX_CLIENT_TOOLS_BYTES,
  maxToolNameLength: MAX_TOOL_NAME_LENGTH,
  maxDescriptionLength: MAX_DESCRIPTION_LENGTH,
  maxFingerprintLength: 128,
} as const;

/** WebMCP's name rule: 1–128 of `[A-Za-z0-9_.-]`. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** The prefix the server owns: page tools reach the model as `webmcp:<name>`. */
export const WEBMCP_PREFIX = 'webmcp:';

/** Strips the server-owned prefix so the widget always works with bare names. */
export function bareToolName(name: string): string {
  return name.startsWith(WEBMCP_PREFIX) ? name.slice(WEBMCP_PREFIX.length) : name;
}

/** UTF-8 byte length without allocating an encoder per call on hot paths. */
const encoder = /* @__PURE__ */ new TextEncoder();
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}
