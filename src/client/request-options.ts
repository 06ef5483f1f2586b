/**
 * Options that go on the wire as given (`metadata` with every chat request,
 * `flowId` to init). Checked where a host hands them over, so a bad value is
 * a clear error at once, not a refused request later.
 */
import { isObject } from '../protocol/shape.js';

/** Refuses what the protocol cannot carry, by name. */
export function checkRequestOptions({ metadata, flowId }: { metadata?: unknown; flowId?: unknown }): void {
  if (metadata !== undefined) {
    const plain = isObject(metadata);
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
