/**
 * The numbers of the contract (docs/protocol.md "Limits"). Browser and server read
 * the same constants so a tool the bridge sends is never one the server refuses.
 */
export const LIMITS = {
  maxClientTools: 50,
  /** Serialized `clientTools` JSON, in bytes of UTF-8. */
  maxClientToolsBytes: 64 * 1024,
  maxToolNameLength: 128,
  maxDescriptionLength: 1024,
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
