/** What a handler learned about a request, for the test-hook record and faults. */
import type { FaultEndpoint, StreamFault } from '../faults.js';

export interface RequestMeta {
  endpoint: FaultEndpoint | 'other';
  body?: unknown;
  sessionId?: string | undefined;
  executionId?: string | undefined;
  replayed?: boolean;
  fault?: StreamFault | undefined;
}
