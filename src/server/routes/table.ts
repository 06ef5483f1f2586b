/**
 * The route table: every `/v1/client/*` endpoint written once. The app mounts
 * it, the index page lists it, and the test layers key faults and records by
 * its `endpoint` names.
 */
import type { ApiContext } from '../context.js';
import { handleChat } from './chat.js';
import type { RequestMeta } from './meta.js';
import { handleEvents, handleResume } from './resume.js';
import { handleFeedback, handleInit } from './session.js';

export type Endpoint = 'init' | 'chat' | 'resume' | 'feedback' | 'events';

export type Handler = (
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  params: Record<string, string>,
) => Promise<Response> | Response;

export interface Route {
  endpoint: Endpoint;
  method: 'GET' | 'POST';
  /** In Hono's syntax: `:name` is a path parameter. */
  path: string;
  handle: Handler;
}

export const ROUTES: readonly Route[] = [
  { endpoint: 'init', method: 'POST', path: '/v1/client/init', handle: handleInit },
  { endpoint: 'chat', method: 'POST', path: '/v1/client/chat', handle: handleChat },
  { endpoint: 'resume', method: 'POST', path: '/v1/client/resume', handle: handleResume },
  { endpoint: 'feedback', method: 'POST', path: '/v1/client/feedback', handle: handleFeedback },
  { endpoint: 'events', method: 'GET', path: '/v1/client/executions/:executionId/events', handle: handleEvents },
];

/** The path as protocol.md writes it: `{executionId}` for a parameter. */
export function shownPath(route: Route): string {
  return route.path.replace(/:(\w+)/g, '{$1}');
}
