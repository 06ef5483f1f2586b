/**
 * The reference API under attack, on loopback only and bounded in time and
 * requests: 16 well-behaved sessions (each its own client, paced like a busy
 * person) talk quietly first, then go on while one hostile client sends
 * maximal-size resumes and feedback as fast as its limit lets it.
 *
 * Reports the server's heap peak (it runs in its own process) against the
 * memory budget, the good sessions' turns/s and time to first frame (p99)
 * quiet and under attack, and their lost runs. Clients are told apart by a
 * trusted proxy header, since every socket here comes from 127.0.0.1; the
 * server's defaults stand for every other limit but the per-session turns,
 * raised so a good session may take two turns a second.
 *
 *   node --expose-gc --import tsx bench/soak.ts [attackSeconds]
 */
import { pathToFileURL } from 'node:url';
import { DEFAULTS, parseConfig } from '../src/server/index.js';
import { startServerProcess } from './server-process.js';
import { BENCH_TOKEN, driveTurns, quantile } from './server.js';

const ORIGIN = 'http://localhost:5173';
const CLIENT_HEADER = 'x-bench-client';
const GET_CART = {
  name: 'get_cart',
  description: 'Get the contents of the shopping cart',
  parametersSchema: { type: 'object', properties: {} },
  origin: 'webmcp',
};

export interface SoakOptions {
  /** Length of the attack phase (the quiet phase is a quarter of it). */
  attackSeconds?: number;
  goodSessions?: number;
  /** Each good session starts a turn at most this often. */
  goodPaceMs?: number;
  /** Parallel connections of the hostile client (one identity). */
  hostileConnections?: number;
  /** A hard bound on the hostile client's requests. */
  maxHostileRequests?: number;
}

export interface SoakResult {
  memoryBudgetMiB: number;
  /** The server's V8 heap cap in this run: the budget's headroom doubled, as a small VM would set it. */
  heapLimitMiB: number;
  /** Peak of what was live after a major collection: what the server kept. */
  heapKeptPeakMiB: number;
  heapKeptPeakOverBudget: number;
  /** Peak heapUsed, garbage not yet collected included. */
  heapPeakMiB: number;
  /** What the stores held at the end, by the budget's own count. */
  budgetUsedAtEndMiB: number;
  quietTurnsPerSecond: number;
  attackTurnsPerSecond: number;
  turnsRatio: number;
  quietTtffP99Ms: number;
  attackTtffP99Ms: number;
  goodRunsLost: number;
  goodChatsRefused: number;
  hostileRequests: number;
  hostileBytesSentMiB: number;
  hostileAnswers: Record<string, number>;
}

export async function benchSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const attackMs = (options.attackSeconds ?? 60) * 1000;
  const quietMs = attackMs / 4;
  const goodSessions = options.goodSessions ?? 16;
  const paceMs = options.goodPaceMs ?? 500;
  const maxHostile = options.maxHostileRequests ?? 20_000;
  const input = {
    sessionTtlSeconds: 600,
    trustProxyHeader: CLIENT_HEADER,
    // A good session takes a turn every 500 ms, half of them resumed: about 180 turns a minute.
    rateLimit: { turns: 240, perSeconds: 60 },
    // All good sessions share the bench token, as a storefront's visitors do; the token limit is not under test.
    tokenLimit: { requests: 1_000_000, perSeconds: 60 },
    tokens: [{ token: BENCH_TOKEN, allowedOrigins: [ORIGIN], surface: { webmcp: { enabled: true } } }],
  };
  const parsed = parseConfig(input);
  if (!parsed.ok) throw new Error(parsed.message);
  const config = parsed.config;
  const heapLimitMiB = 2 * (config.memoryBudgetBytes / 2 ** 20);
  const server = await startServerProcess(input, heapLimitMiB);
  const good = (maxMs: number) =>
    driveTurns(server.url, {
      turns: 1_000_000,
      concurrency: goodSessions,
      maxMs,
      paceMs,
      tolerant: true,
      headersOf: (worker) => ({ [CLIENT_HEADER]: `good-${worker}` }),
    });

  try {
    const quiet = await good(quietMs);
    const attack = hostile(server.url, attackMs, options.hostileConnections ?? 4, maxHostile, config.maxBodyBytes);
    const underAttack = await good(attackMs);
    const hostileResult = await attack;
    const stats = await server.stop();
    const heapPeak = stats.heapPeakBytes;
    const quietRate = quiet.turns / quiet.seconds;
    const attackRate = underAttack.turns / underAttack.seconds;
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return {
      memoryBudgetMiB: mib(config.memoryBudgetBytes),
      heapLimitMiB,
      heapKeptPeakMiB: mib(stats.heapAfterMajorGcPeakBytes),
      heapKeptPeakOverBudget: Math.round((stats.heapAfterMajorGcPeakBytes / config.memoryBudgetBytes) * 100) / 100,
      heapPeakMiB: mib(heapPeak),
      budgetUsedAtEndMiB: mib(stats.budgetUsedBytes),
      quietTurnsPerSecond: Math.round(quietRate),
      attackTurnsPerSecond: Math.round(attackRate),
      turnsRatio: Math.round((attackRate / quietRate) * 100) / 100,
      quietTtffP99Ms: Number(quantile(quiet.ttffs, 0.99).toFixed(1)),
      attackTtffP99Ms: Number(quantile(underAttack.ttffs, 0.99).toFixed(1)),
      goodRunsLost: quiet.lost + underAttack.lost,
      goodChatsRefused: quiet.refused + underAttack.refused,
      hostileRequests: hostileResult.requests,
      hostileBytesSentMiB: mib(hostileResult.bytes),
      hostileAnswers: hostileResult.answers,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * One client, several connections, no pause: each loop starts a run that
 * pauses on a tool, answers it with an output just under maxBodyBytes, and
 * sends feedback padded to the same size. Refusals (429) are ignored and the
 * next request goes straight out, as an attacker's would.
 */
async function hostile(url: string, ms: number, connections: number, maxRequests: number, maxBodyBytes: number) {
  const headers = { 'content-type': 'application/json', origin: ORIGIN, [CLIENT_HEADER]: 'hostile' };
  const answers: Record<string, number> = {};
  let requests = 0;
  let bytes = 0;
  const deadline = performance.now() + ms;
  // Just under maxBodyBytes once the rest of the body (ids, a 4,000-character comment) is added.
  const padding = 'x'.repeat(maxBodyBytes - 8_192);
  const post = async (path: string, body: unknown) => {
    const text = JSON.stringify(body);
    requests += 1;
    bytes += text.length;
    const count = (answer: string | number) => {
      const key = `${path.split('/').at(-1)} ${answer}`;
      answers[key] = (answers[key] ?? 0) + 1;
    };
    try {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: text });
      const reply = await response.text();
      count(response.status);
      return { status: response.status, text: reply };
    } catch {
      // A refusal sent before the body was read may reset the connection under the sender.
      count('reset');
      return { status: 0, text: '' };
    }
  };
  const more = () => performance.now() < deadline && requests < maxRequests;
  async function loop(): Promise<void> {
    let sessionId: string | undefined;
    while (more()) {
      if (!sessionId) {
        const init = await post('/v1/client/init', { token: BENCH_TOKEN });
        if (init.status === 200) sessionId = (JSON.parse(init.text) as { sessionId: string }).sessionId;
        continue;
      }
      const chat = await post('/v1/client/chat', {
        sessionId,
        messages: [{ role: 'user', content: 'show my cart' }],
        clientTools: [GET_CART],
      });
      const executionId = /"executionId":"([^"]+)"/.exec(chat.text)?.[1];
      const toolCallId = /"event":"await"|event: await/.test(chat.text) ? /"toolCallId":"([^"]+)"/.exec(chat.text)?.[1] : undefined;
      if (executionId && toolCallId && more()) {
        await post('/v1/client/resume', {
          sessionId,
          executionId,
          toolOutputs: { [toolCallId]: { result: padding } },
          streamResponse: true,
        });
      }
      if (!more()) break;
      await post('/v1/client/feedback', {
        token: BENCH_TOKEN,
        sessionId,
        type: 'downvote',
        messageId: 'msg_1',
        comment: 'y'.repeat(4_000),
        metadata: { padding },
      });
    }
  }
  await Promise.all(Array.from({ length: connections }, loop));
  return { requests, bytes, answers };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [attackSeconds] = process.argv.slice(2).map(Number);
  const result = await benchSoak({ attackSeconds: attackSeconds || undefined });
  console.log(
    `reference API soak: 16 good sessions, one hostile client (memory budget default ${DEFAULTS.memoryBudgetBytes / 2 ** 20} MiB)`,
  );
  for (const [name, value] of Object.entries(result))
    console.log(`  ${name.padEnd(22)} ${typeof value === 'object' ? JSON.stringify(value) : value}`);
}
