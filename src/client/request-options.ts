/**
 * Options that go on the wire as given (`metadata` with every chat request,
 * `flowId` to init). Checked where a host hands them over, so a bad value is
 * a clear error at once, not a refused request later.
 */
/** Refuses what the protocol cannot carry, by name. */
export function checkRequestOptions({ metadata, flowId }: { metadata?: unknown; flowId?: unknown }): void {
  if (metadata !== undefined) {
    // Spelled out, not protocol/shape.ts's isObject: this runs in the SPA's entry chunk, before first open, and that module would come along.
    const plain = metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata);
    let json = false;
    try {
      json = plain && JSON.stringify(metadata) !== undefined;
    } catch {}
    if (!json) throw new TypeError('webmcp-chat: `metadata` must be a JSON object');
  }
  if (flowId !== undefined && (typeof flowId !== 'string' || flowId === '')) {
    throw new TypeError('webmcp-chat: `flowId` must be a non-empty string');
  }
}
