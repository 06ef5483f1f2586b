/** Everything a route handler needs, built once per API instance. */
import type { Agent } from './agents/types.js';
import type { ServerConfig, TokenConfig } from './config.js';
import { CorsPolicy } from './cors.js';
import type { EngineOptions } from './engine.js';
import { ExecutionStore } from './executions.js';
import { FeedbackStore } from './feedback.js';
import { MemoryBudget } from './memory.js';
import { TokenBuckets } from './rate-limit.js';
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

export interface ApiContext {
  config: ServerConfig;
  tokens: Map<string, TokenConfig>;
  cors: CorsPolicy;
  budget: MemoryBudget;
  sessions: SessionStore;
  executions: ExecutionStore;
  feedback: FeedbackStore;
  /** Requests per client (address) and per token. */
  limits: { client: TokenBuckets; token: TokenBuckets };
  engine: EngineOptions;
  agentFor: AgentFactory;
  hooks: TestHooks | undefined;
  now: () => number;
}

export function createContext(config: ServerConfig, options: ApiOptions, agentFor: AgentFactory, hooks: TestHooks | undefined): ApiContext {
  const now = options.now ?? Date.now;
  const budget = new MemoryBudget(config.memoryBudgetBytes);
  // Reclaimers run in creation order: feedback first, then finished runs, then idle sessions.
  const feedback = new FeedbackStore(budget);
  const executions = new ExecutionStore(config.maxExecutions, budget);
  const sessions = new SessionStore({
    ttlMs: config.sessionTtlSeconds * 1000,
    maxSessions: config.maxSessions,
    now,
    rateLimit: config.rateLimit,
    budget,
    hasLive: (sessionId) => executions.hasLive(sessionId),
    forgotten: (sessionId) => executions.dropSession(sessionId),
  });
  return {
    config,
    tokens: new Map(config.tokens.map((token) => [token.token, token])),
    cors: new CorsPolicy(config),
    budget,
    sessions,
    executions,
    feedback,
    limits: { client: new TokenBuckets(config.clientLimit), token: new TokenBuckets(config.tokenLimit) },
    engine: { streamDelayMs: config.streamDelayMs, remember: (execution, message) => executions.addMessage(execution, message) },
    agentFor,
    hooks,
    now,
  };
}
