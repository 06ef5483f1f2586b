/**
 * The reference API's configuration: which tokens exist, which origins each
 * may be used from, and the surface (welcome text, WebMCP policy) behind it.
 */
import { readFile } from 'node:fs/promises';
import { z } from '../protocol/zod.js';
import type { SurfaceConfig, WebMcpPolicy } from '../protocol/index.js';

// Strict objects everywhere: a key the server does not know is refused by
// name, never stripped (a typo `allowList` must not admit every page tool).
const AllowlistRuleSchema = z.strictObject({ origin: z.string(), tools: z.array(z.string()) });
const WebMcpPolicySchema = z.strictObject({ enabled: z.boolean(), allowlist: z.optional(z.array(AllowlistRuleSchema)) });

const SurfaceSchema = z.strictObject({
  welcomeMessage: z.optional(z.string()),
  placeholder: z.optional(z.string()),
  theme: z.optional(z.unknown()),
  webmcp: z.optional(WebMcpPolicySchema),
  // The hosted API nests the policy under `behavior`; accept both spellings.
  behavior: z.optional(z.strictObject({ webmcp: z.optional(WebMcpPolicySchema) })),
});

const TokenSchema = z.strictObject({
  token: z.string().check(z.minLength(1)),
  allowedOrigins: z.array(z.string()),
  revoked: z.optional(z.boolean()),
  surface: z.optional(SurfaceSchema),
});

/** A whole number from `min` to `max`: every numeric setting has both bounds. */
const bounded = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const Window = z.strictObject({ requests: bounded(1, 1_000_000), perSeconds: bounded(1, 86_400) });

const MiB = 2 ** 20;

const ConfigSchema = z.strictObject({
  sessionTtlSeconds: z.optional(bounded(1, 30 * 86_400)),
  tokens: z.array(TokenSchema),
  /** Turns (chat and resume) one session may take per window. */
  rateLimit: z.optional(z.strictObject({ turns: bounded(1, 1_000_000), perSeconds: bounded(1, 86_400) })),
  /** Requests one client (an address) may make per window, session creation and feedback included. */
  clientLimit: z.optional(Window),
  /** Requests all clients of one token may make per window. */
  tokenLimit: z.optional(Window),
  /**
   * A request header that names the client behind a reverse proxy, such as
   * `x-forwarded-for` (its first address is used). Only set it when a proxy
   * you run overwrites that header: otherwise any caller can claim any identity.
   */
  trustProxyHeader: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/))),
  /** Pause between streamed deltas, so a demo visibly streams; 0 in tests and benches. */
  streamDelayMs: z.optional(bounded(0, 10_000)),
  maxBodyBytes: z.optional(bounded(1_024, 64 * MiB)),
  /** How deeply a request body may nest arrays and objects. */
  maxJsonDepth: z.optional(bounded(8, 1_000)),
  maxSessions: z.optional(bounded(1, 10_000_000)),
  maxExecutions: z.optional(bounded(1, 10_000_000)),
  /** The one total, in bytes, that sessions, executions with their event logs, and feedback share. */
  memoryBudgetBytes: z.optional(bounded(4 * MiB, 64 * 1024 * MiB)),
});

export type TokenConfig = z.infer<typeof TokenSchema>;
export type ServerConfigInput = z.infer<typeof ConfigSchema>;

export interface RateWindow {
  requests: number;
  perSeconds: number;
}

export interface ServerConfig {
  sessionTtlSeconds: number;
  tokens: TokenConfig[];
  rateLimit: { turns: number; perSeconds: number } | undefined;
  clientLimit: RateWindow;
  tokenLimit: RateWindow;
  trustProxyHeader: string | undefined;
  streamDelayMs: number;
  maxBodyBytes: number;
  maxJsonDepth: number;
  maxSessions: number;
  maxExecutions: number;
  memoryBudgetBytes: number;
}

export const DEFAULTS = {
  sessionTtlSeconds: 3600,
  rateLimit: { turns: 60, perSeconds: 60 },
  // A person with a busy widget makes a few requests a minute; ten a second is far above that.
  clientLimit: { requests: 600, perSeconds: 60 },
  tokenLimit: { requests: 60_000, perSeconds: 60 },
  streamDelayMs: 0,
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
  maxSessions: 10_000,
  maxExecutions: 2_000,
  // Small enough for a 512 MB VM with Node's own heap beside it.
  memoryBudgetBytes: 128 * MiB,
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

export type ConfigResult = { ok: true; config: ServerConfig; warnings: string[] } | { ok: false; message: string };

export function parseConfig(input: unknown): ConfigResult {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: describeConfigIssue(parsed.error.issues[0]) };
  const raw = parsed.data;
  return {
    ok: true,
    warnings: originWarnings(raw.tokens),
    config: {
      sessionTtlSeconds: raw.sessionTtlSeconds ?? DEFAULTS.sessionTtlSeconds,
      tokens: raw.tokens,
      rateLimit: raw.rateLimit ?? DEFAULTS.rateLimit,
      clientLimit: raw.clientLimit ?? DEFAULTS.clientLimit,
      tokenLimit: raw.tokenLimit ?? DEFAULTS.tokenLimit,
      trustProxyHeader: raw.trustProxyHeader?.toLowerCase(),
      streamDelayMs: raw.streamDelayMs ?? DEFAULTS.streamDelayMs,
      maxBodyBytes: raw.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
      maxJsonDepth: raw.maxJsonDepth ?? DEFAULTS.maxJsonDepth,
      maxSessions: raw.maxSessions ?? DEFAULTS.maxSessions,
      maxExecutions: raw.maxExecutions ?? DEFAULTS.maxExecutions,
      memoryBudgetBytes: raw.memoryBudgetBytes ?? DEFAULTS.memoryBudgetBytes,
    },
  };
}

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] } | undefined;

/** Names the setting at fault; an unknown key also gets the known key it is closest to. */
function describeConfigIssue(issue: Issue): string {
  if (!issue) return 'config is invalid';
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    const known = knownKeysAt(ConfigSchema, issue.path);
    const named = issue.keys.map((key) => {
      const near = closest(key, known);
      return `"${where ? `${where}.` : ''}${key}"${near ? ` (did you mean "${near}"?)` : ''}`;
    });
    return `config: unknown key ${named.join(', ')}; known keys here: ${known.join(', ')}`;
  }
  return `config ${where || '(top level)'}: ${issue.message}`;
}

/** The keys a strict object at `path` accepts, read off the schema itself. */
function knownKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let node = schema as { _zod: { def: Record<string, unknown> } } | undefined;
  const unwrap = () => {
    while (node && node._zod.def.type === 'optional') node = node._zod.def.innerType as typeof node;
  };
  for (const segment of path) {
    unwrap();
    const def = node?._zod.def;
    if (def?.type === 'array') node = def.element as typeof node;
    else if (def?.type === 'object') node = (def.shape as Record<string, typeof node>)[String(segment)];
    else return [];
  }
  unwrap();
  const def = node?._zod.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** The known key within two edits of `key` (case aside), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Origins that are legal but almost never meant: said out loud at start. */
function originWarnings(tokens: readonly TokenConfig[]): string[] {
  const warnings: string[] = [];
  for (const token of tokens) {
    if (token.allowedOrigins.includes('null')) {
      warnings.push(`token ${token.token}: allowedOrigins has "null", which admits every sandboxed iframe and file:// page`);
    }
    if (token.allowedOrigins.includes('*')) {
      warnings.push(
        `token ${token.token}: allowedOrigins has "*", which is matched literally: no browser sends it, so no page is admitted`,
      );
    }
    for (const rule of policyOf(token)?.allowlist ?? []) {
      if (rule.origin === 'null')
        warnings.push(`token ${token.token}: an allowlist rule for origin "null" admits tools of sandboxed pages`);
    }
  }
  return warnings;
}

/** Throws with a readable message, since a bad config file should stop the CLI; prints warnings to stderr. */
export function resolveConfig(input: unknown): ServerConfig {
  const result = parseConfig(input);
  if (!result.ok) throw new Error(result.message);
  for (const warning of result.warnings) console.warn(`reference API config warning: ${warning}`);
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
