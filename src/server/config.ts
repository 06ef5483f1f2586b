/**
 * The reference API's configuration: which tokens exist, which origins each
 * may be used from, and the surface (welcome text, WebMCP policy) behind it.
 */
import { readFile } from 'node:fs/promises';
import { z } from '../protocol/zod.js';
import type { SurfaceConfig, WebMcpPolicy } from '../protocol/index.js';

const AllowlistRuleSchema = z.object({ origin: z.string(), tools: z.array(z.string()) });
const WebMcpPolicySchema = z.object({ enabled: z.boolean(), allowlist: z.optional(z.array(AllowlistRuleSchema)) });

const SurfaceSchema = z.looseObject({
  welcomeMessage: z.optional(z.string()),
  placeholder: z.optional(z.string()),
  theme: z.optional(z.unknown()),
  webmcp: z.optional(WebMcpPolicySchema),
  // The hosted API nests the policy under `behavior`; accept both spellings.
  behavior: z.optional(z.looseObject({ webmcp: z.optional(WebMcpPolicySchema) })),
});

const TokenSchema = z.object({
  token: z.string().check(z.minLength(1)),
  allowedOrigins: z.array(z.string()),
  revoked: z.optional(z.boolean()),
  surface: z.optional(SurfaceSchema),
});

const ConfigSchema = z.object({
  sessionTtlSeconds: z.optional(z.number().check(z.positive())),
  tokens: z.array(TokenSchema),
  rateLimit: z.optional(z.object({ turns: z.number().check(z.positive()), perSeconds: z.number().check(z.positive()) })),
  /** Pause between streamed deltas, so a demo visibly streams; 0 in tests and benches. */
  streamDelayMs: z.optional(z.number().check(z.nonnegative())),
  maxBodyBytes: z.optional(z.number().check(z.positive())),
  maxSessions: z.optional(z.number().check(z.positive())),
  maxExecutions: z.optional(z.number().check(z.positive())),
});

export type TokenConfig = z.infer<typeof TokenSchema>;
export type ServerConfigInput = z.infer<typeof ConfigSchema>;

export interface ServerConfig {
  sessionTtlSeconds: number;
  tokens: TokenConfig[];
  rateLimit: { turns: number; perSeconds: number } | undefined;
  streamDelayMs: number;
  maxBodyBytes: number;
  maxSessions: number;
  maxExecutions: number;
}

export const DEFAULTS = {
  sessionTtlSeconds: 3600,
  rateLimit: { turns: 60, perSeconds: 60 },
  streamDelayMs: 0,
  maxBodyBytes: 1024 * 1024,
  maxSessions: 10_000,
  maxExecutions: 2_000,
} as const;

const DEMO_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:5174', 'http://127.0.0.1:5174'];

/**
 * What `npm run serve` uses without `--config`: the demo's origins, a token
 * whose policy admits every page tool, a strict one that admits only some
 * (so a curl walk-through shows a tool being dropped), and a narrow one whose
 * origins leave out :5174 (so the demo can show a 403).
 */
export const DEV_CONFIG: ServerConfigInput = {
  sessionTtlSeconds: 3600,
  rateLimit: { turns: 30, perSeconds: 60 },
  streamDelayMs: 15,
  tokens: [
    {
      token: 'ct_test_demo',
      allowedOrigins: DEMO_ORIGINS,
      surface: {
        welcomeMessage: 'Hi! I can search the catalog, look at your cart and check out.',
        placeholder: 'Ask about products…',
        webmcp: {
          enabled: true,
          allowlist: [{ origin: '*', tools: ['search_*', 'get_*', 'add_to_cart', 'remove_from_cart', 'apply_coupon', 'checkout'] }],
        },
      },
    },
    {
      token: 'ct_test_strict',
      allowedOrigins: DEMO_ORIGINS,
      surface: {
        welcomeMessage: 'Hi! I can only search and read your cart.',
        webmcp: { enabled: true, allowlist: [{ origin: '*', tools: ['search_*', 'get_cart'] }] },
      },
    },
    {
      token: 'ct_test_narrow',
      allowedOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      surface: { welcomeMessage: 'This token only works on :5173.', webmcp: { enabled: true } },
    },
  ],
};

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; message: string };

export function parseConfig(input: unknown): ConfigResult {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `config ${issue?.path.join('.') || ''}: ${issue?.message ?? 'is invalid'}` };
  }
  const raw = parsed.data;
  return {
    ok: true,
    config: {
      sessionTtlSeconds: raw.sessionTtlSeconds ?? DEFAULTS.sessionTtlSeconds,
      tokens: raw.tokens,
      rateLimit: raw.rateLimit ?? DEFAULTS.rateLimit,
      streamDelayMs: raw.streamDelayMs ?? DEFAULTS.streamDelayMs,
      maxBodyBytes: raw.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
      maxSessions: raw.maxSessions ?? DEFAULTS.maxSessions,
      maxExecutions: raw.maxExecutions ?? DEFAULTS.maxExecutions,
    },
  };
}

/** Throws with a readable message, since a bad config file should stop the CLI. */
export function resolveConfig(input: unknown): ServerConfig {
  const result = parseConfig(input);
  if (!result.ok) throw new Error(result.message);
  return result.config;
}

export async function loadConfigFile(path: string): Promise<ServerConfig> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return resolveConfig(json);
}

export function policyOf(token: TokenConfig): WebMcpPolicy | undefined {
  return token.surface?.webmcp ?? token.surface?.behavior?.webmcp;
}

export function surfaceConfigOf(token: TokenConfig): SurfaceConfig {
  const surface = token.surface;
  const config: SurfaceConfig = {};
  if (surface?.welcomeMessage !== undefined) config.welcomeMessage = surface.welcomeMessage;
  if (surface?.placeholder !== undefined) config.placeholder = surface.placeholder;
  if (surface?.theme !== undefined) config.theme = surface.theme;
  return config;
}
