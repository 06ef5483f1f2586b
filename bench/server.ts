/**
 * The reference API under load over real loopback HTTP: scripted-agent turns
 * per second and time to first frame (p50/p99). Half the turns call a page
 * tool and are resumed, so the await/resume path is measured too.
 *
 *   npx tsx bench/server.ts [turns] [concurrency]
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { resolveConfig, startServer, type RunningServer } from '../src/server/index.js';
import { driveTurnsInProcess } from './drive-worker.js';

const ORIGIN = 'http://localhost:5173';
const TOOLS = [
  {
    name: 'search_products',
    description: 'Search the catalog for products by keyword',
    parametersSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    origin: 'webmcp',
  },
];

export const BENCH_TOKEN = 'ct_bench';

/** The reference API on 127.0.0.1 with a bench token and no practical rate limit (every bench client shares one address). */
export function startBenchServer(overrides: Record<string, unknown> = {}, { testHooks = false } = {}): Promise<RunningServer> {
  const config = resolveConfig({
    sessionTtlSeconds: 600,
    rateLimit: { turns: 1_000_000, perSeconds: 1 },
    clientLimit: { requests: 1_000_000, perSeconds: 1 },
    tokenLimit: { requests: 1_000_000, perSeconds: 1 },
    tokens: [{ token: BENCH_TOKEN, allowedOrigins: [ORIGIN], surface: { webmcp: { enabled: true } } }],
    ...overrides,
  });
  return startServer({ port: 0, host: '127.0.0.1', config, testHooks });
}

export interface DriveOptions {
  /** Chat turns in all (a person's message each); every other one calls a tool and is resumed. */
  turns: number;
  /** Sessions talking at once, each its own worker. */
  concurrency: number;
  /** Stop starting turns after this long (a bound, not a target). */
  maxMs?: number;
  /** Headers for every request of one worker (e.g. the client identity a trusted proxy header carries). */
  headersOf?: (worker: number) => Record<string, string>;
  /** Each worker starts a turn at most this often: a person, not a loop. */
  paceMs?: number;
  /** Count refused and broken turns instead of failing on the first one. */
  tolerant?: boolean;
}

export interface DriveResult {
  turns: number;
  /** Chat and resume streams read to the end. */
  streamedRequests: number;
  /** Time to the first byte of every stream, sorted. */
  ttffs: number[];
  seconds: number;
  /** Chats refused before a run started (429, 503): the person would retry. Only with `tolerant`. */
  refused: number;
  /** Runs started but not completed (a resume refused, a stream without its end, a connection cut). Only with `tolerant`. */
  lost: number;
  /** CPU time (user + system) of the load generator, when it ran in a process of its own. */
  loadCpuMs?: number;
}

/**
 * Drives scripted-agent turns against `url` over real loopback HTTP. The
 * client is node:http on keep-alive sockets rather than fetch: on a machine
 * with two cores the load generator shares the server's CPU, and fetch's
 * web streams cost more per request than the server itself does.
 */
export async function driveTurns(url: string, options: DriveOptions): Promise<DriveResult> {
  // One socket per session, each busy every turn: none sits idle long enough to meet the server's keep-alive timeout mid-reuse.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    return await drive(url, options, agent);
  } finally {
    agent.destroy();
  }
}

async function drive(url: string, options: DriveOptions, agent: http.Agent): Promise<DriveResult> {
  /** Sends one request and reads the answer to its end: status, text, and ms to the first byte of the body. */
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    new Promise<{ status: number; text: string; ttff: number }>((resolve, reject) => {
      const started = performance.now();
      const payload = JSON.stringify(body);
      const request = http.request(
        `${url}${path}`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), origin: ORIGIN, ...headers },
        },
        (response) => {
          let ttff = -1;
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (ttff < 0) ttff = performance.now() - started;
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text, ttff }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });

  /** Reads a stream to its end; returns ms to the first byte and the text, or the refusal's status. */
  async function stream(
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<{ ttff: number; text: string; status: number }> {
    // A connection cut under load is a failed turn for a tolerant run (status 0), as a refusal is.
    const answer = options.tolerant
      ? await post(path, body, headers).catch((error: unknown) => ({ status: 0, text: String(error), ttff: -1 }))
      : await post(path, body, headers);
    if (answer.status !== 200) {
      if (!options.tolerant) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
      return { ttff: -1, text: answer.text, status: answer.status };
    }
    return answer;
  }

  const ttffs: number[] = [];
  let streamed = 0;
  let next = 0;
  let refused = 0;
  let lost = 0;
  const started = performance.now();
  const deadline = started + (options.maxMs ?? Number.POSITIVE_INFINITY);
  async function worker(index: number): Promise<void> {
    const headers = options.headersOf?.(index) ?? {};
    const init = JSON.parse((await post('/v1/client/init', { token: BENCH_TOKEN }, headers)).text) as { sessionId: string };
    let sent = false;
    while (next < options.turns && performance.now() < deadline) {
      const turnStarted = performance.now();
      const turn = next++;
      const withTool = turn % 2 === 1;
      const content = withTool ? 'search products for "lamp"' : 'hello there';
      const chat = await stream(
        '/v1/client/chat',
        {
          sessionId: init.sessionId,
          messages: [{ role: 'user', content }],
          ...(sent ? { clientToolsFingerprint: 'bench' } : { clientTools: TOOLS, clientToolsFingerprint: 'bench' }),
        },
        headers,
      );
      if (chat.status === 0) {
        lost += 1;
      } else if (chat.status !== 200) {
        refused += 1;
      } else {
        sent = true;
        ttffs.push(chat.ttff);
        streamed += 1;
        if (withTool) {
          const executionId = /"executionId":"([^"]+)"/.exec(chat.text)?.[1];
          const toolCallId = /"toolCallId":"([^"]+)"/.exec(chat.text)?.[1];
          const resume = await stream(
            '/v1/client/resume',
            {
              sessionId: init.sessionId,
              executionId,
              toolOutputs: { [toolCallId ?? '']: { result: [{ name: 'Desk lamp' }] } },
              streamResponse: true,
            },
            headers,
          );
          if (resume.status === 200 && resume.text.includes('execution_complete')) {
            ttffs.push(resume.ttff);
            streamed += 1;
          } else if (options.tolerant) lost += 1;
          else throw new Error('a resume did not complete');
        } else if (!chat.text.includes('execution_complete')) {
          if (!options.tolerant) throw new Error('a chat did not complete');
          lost += 1;
        }
      }
      const wait = (options.paceMs ?? 0) - (performance.now() - turnStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  return {
    turns: next,
    streamedRequests: streamed,
    ttffs: ttffs.sort((a, b) => a - b),
    seconds: (performance.now() - started) / 1000,
    refused,
    lost,
  };
}

/** The q-quantile of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Issue 15's goal for the reference API: scripted turns per second with 16 sessions on 2 cores. */
export const TURNS_PER_SECOND_GOAL = 1_000;

/**
 * A turn is one person's message carried to its end: a chat, and for every
 * other turn (a tool call) the resume that answers it, so 2 turns are 3
 * streamed requests. The server's CPU time per turn is the figure a busy
 * machine disturbs least; `turnsPerServerCoreSecond` is what one core of it
 * sustains. The wall-clock rate is honest only on an idle machine, and on a
 * 2-core one the load generator (its CPU shown beside) takes a core itself.
 */
export async function benchServer(turns = 4_000, concurrency = 16, warmTurns = 1_000): Promise<Record<string, number>> {
  const server = await startBenchServer();
  let run: DriveResult;
  let cpu: NodeJS.CpuUsage;
  try {
    // Unmeasured: the server's code gets compiled and its stores fill to their caps, as in a server that has been up a while.
    await driveTurnsInProcess(server.url, { turns: warmTurns, concurrency });
    const cpuBefore = process.cpuUsage();
    // The load comes from another process: this process's CPU time is the server's own.
    run = await driveTurnsInProcess(server.url, { turns, concurrency });
    cpu = process.cpuUsage(cpuBefore);
  } finally {
    await server.close();
  }
  const serverCpuMs = (cpu.user + cpu.system) / 1000;
  const serverCpuMsPerTurn = serverCpuMs / run.turns;
  return {
    turns: run.turns,
    streamedRequests: run.streamedRequests,
    concurrency,
    turnsPerSecond: Math.round(run.turns / run.seconds),
    streamsPerSecond: Math.round(run.streamedRequests / run.seconds),
    ttffP50Ms: Number(quantile(run.ttffs, 0.5).toFixed(2)),
    ttffP99Ms: Number(quantile(run.ttffs, 0.99).toFixed(2)),
    serverCpuMsPerTurn: Number(serverCpuMsPerTurn.toFixed(3)),
    serverCpuMsPerStream: Number((serverCpuMs / run.streamedRequests).toFixed(3)),
    turnsPerServerCoreSecond: Math.round(1000 / serverCpuMsPerTurn),
    loadCpuMsPerTurn: Number(((run.loadCpuMs ?? Number.NaN) / run.turns).toFixed(3)),
    /** The server's busy share of one core over the run: below 1, the server was waiting for the load. */
    serverCoreShare: Number((serverCpuMs / 1000 / run.seconds).toFixed(2)),
    executionsKept: server.api.context.executions.size,
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [turns, concurrency] = process.argv.slice(2).map(Number);
  const result = await benchServer(turns || undefined, concurrency || undefined);
  console.log('reference API (scripted agent, loopback HTTP)');
  for (const [name, value] of Object.entries(result)) console.log(`  ${name.padEnd(24)} ${value}`);
  console.log(
    `goal ≥ ${TURNS_PER_SECOND_GOAL} turns/s: ${result.turnsPerSecond} turns/s by the clock on this machine; ` +
      `${result.turnsPerServerCoreSecond} turns/s per core of server CPU`,
  );
}
