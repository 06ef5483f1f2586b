/** Everything a route handler needs, built once per API instance. */
import type { Agent } from './agents/types.js';
import type { ServerConfig, TokenConfig } from './config.js';
import { CorsPolicy } from './cors.js';
import type { EngineOptions } from './engine.js';
import { ExecutionStore } from './executions.js';
import { SessionStore } from './sessions.js';
import type { TestHooks } from './test-hooks.js';

export interface ApiOptions {
  /** The agent for a new execution; the scripted agent when absent. */
  agent?: (token: TokenConfig) => Agent;
  /** Mounts `/__test/*` and records requests; never on in production. */
  testHooks?: boolean;
  /** A clock for expiry and rate limits; tests move it instead of waiting. */
  now?: () => number;
}

/** The agent for a new execution of this token and session. */
export type AgentFactory = (token: TokenConfig, sessionId: string) => Agent;

export interface FeedbackRecord {
  feedbackId: string;
  token: string;
  sessionId: string;
  type: string;
  messageId?: string | undefined;
  rating?: number | undefined;
  comment?: string | undefined;
  receivedAt: string;
}

export interface ApiContext {
  config: ServerConfig;
  tokens: Map<string, TokenConfig>;
  cors: CorsPolicy;
  sessions: SessionStore;
  executions: ExecutionStore;
  engine: EngineOptions;
  agentFor: AgentFactory;
  feedback: FeedbackRecord[];
  hooks: TestHooks | undefined;
  now: () => number;
}

/** Feedback is kept only so tests and the demo can look at it; old entries go first. */
export const MAX_FEEDBACK = 1_000;

export function createContext(config: ServerConfig, options: ApiOptions, agentFor: AgentFactory, hooks: TestHooks | undefined): ApiContext {
  const now = options.now ?? Date.now;
  return {
    config,
    tokens: new Map(config.tokens.map((token) => [token.token, token])),
    cors: new CorsPolicy(config),
    sessions: new SessionStore({
      ttlMs: config.sessionTtlSeconds * 1000,
      maxSessions: config.maxSessions,
      now,
      rateLimit: config.rateLimit,
    }),
    executions: new ExecutionStore(config.maxExecutions),
    engine: { streamDelayMs: config.streamDelayMs },
    agentFor,
    feedback: [],
    hooks,
    now,
  };
}
