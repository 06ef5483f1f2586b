/**
 * What a handler learned about a request. Production code only writes it;
 * the request recorder (test hooks) reads it after the response is made.
 */
import type { Endpoint } from './table.js';

export interface RequestMeta {
  endpoint: Endpoint;
  body?: unknown;
  sessionId?: string | undefined;
  executionId?: string | undefined;
  /** A resume answered from the event log instead of running again. */
  replayed?: boolean;
  /** The calls whose outputs a resume fed to the agent. */
  acceptedToolCallIds?: readonly string[];
}
