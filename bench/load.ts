/**
 * The reference API under sustained load: N sessions talking at once over
 * loopback (127.0.0.1 only), bounded in turns and in time, stopping by itself.
 * Reports turns per second, time to first frame (p50/p99), heap per live
 * session, and whether the heap grows between 2,000 and 10,000 turns (it must
 * not: executions and sessions are capped, so memory levels off).
 *
 *   node --expose-gc --import tsx bench/load.ts [sessions] [turns] [maxSeconds]
 *
 * Heap figures need `--expose-gc` (a forced collection before each reading);
 * without it they are left out rather than guessed.
 */
import { pathToFileURL } from 'node:url';
import { driveTurns, quantile, startBenchServer } from './server.js';

export interface LoadOptions {
  /** Sessions talking at once. */
  sessions?: number;
  /** Chat turns in all (every other one calls a tool and is resumed). */
  turns?: number;
  /** Where the first heap reading is taken. */
  warmTurns?: number;
  /** A hard bound on the whole run. */
  maxSeconds?: number;
  /** Sessions opened (one turn each) to measure heap per session. */
  probeSessions?: number;
  /** The server's caps; its defaults (2,000 executions, 10,000 sessions) when absent. */
  maxExecutions?: number;
  maxSessions?: number;
}

export interface LoadResult {
  sessions: number;
  turns: number;
  streamedRequests: number;
  turnsPerSecond: number;
  ttffP50Ms: number;
  ttffP99Ms: number;
  /** Heap growth per live session with one finished turn, in KiB (needs --expose-gc). */
  heapPerSessionKiB?: number;
  heapAtWarmMiB?: number;
  heapAtEndMiB?: number;
  /** (end − warm) / warm; a few percent is noise, a steady leak shows as tens. */
  heapGrowth?: number;
  executionsKept: number;
  sessionsKept: number;
  stoppedByTimeLimit: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in bytes after full collections, or undefined without --expose-gc. */
async function settledHeap(): Promise<number | undefined> {
  if (!gc) return undefined;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function benchLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const sessions = options.sessions ?? 50;
  const turns = options.turns ?? 10_000;
  const warmTurns = Math.min(options.warmTurns ?? 2_000, turns);
  const probeSessions = options.probeSessions ?? 500;
  const maxMs = (options.maxSeconds ?? 180) * 1000;
  const started = performance.now();
  const left = () => Math.max(0, maxMs - (performance.now() - started));

  const server = await startBenchServer({
    ...(options.maxExecutions !== undefined && { maxExecutions: options.maxExecutions }),
    ...(options.maxSessions !== undefined && { maxSessions: options.maxSessions }),
  });
  try {
    // Heap per session: one turn each for `probeSessions` fresh sessions.
    const before = await settledHeap();
    await driveTurns(server.url, { turns: probeSessions, concurrency: probeSessions, maxMs: left() });
    const after = await settledHeap();
    const perSession = before !== undefined && after !== undefined ? (after - before) / probeSessions / 1024 : undefined;

    const warm = await driveTurns(server.url, { turns: warmTurns, concurrency: sessions, maxMs: left() });
    const heapWarm = await settledHeap();
    const rest = await driveTurns(server.url, { turns: turns - warm.turns, concurrency: sessions, maxMs: left() });
    const heapEnd = await settledHeap();

    const ttffs = [...warm.ttffs, ...rest.ttffs].sort((a, b) => a - b);
    const streamed = warm.streamedRequests + rest.streamedRequests;
    const seconds = warm.seconds + rest.seconds;
    const done = warm.turns + rest.turns;
    return {
      sessions,
      turns: done,
      streamedRequests: streamed,
      turnsPerSecond: Math.round(done / seconds),
      ttffP50Ms: Number(quantile(ttffs, 0.5).toFixed(2)),
      ttffP99Ms: Number(quantile(ttffs, 0.99).toFixed(2)),
      ...(perSession !== undefined && { heapPerSessionKiB: Math.round(perSession * 10) / 10 }),
      ...(heapWarm !== undefined && { heapAtWarmMiB: mib(heapWarm) }),
      ...(heapEnd !== undefined && { heapAtEndMiB: mib(heapEnd) }),
      ...(heapWarm !== undefined && heapEnd !== undefined && { heapGrowth: Math.round(((heapEnd - heapWarm) / heapWarm) * 1000) / 1000 }),
      executionsKept: server.api.context.executions.size,
      sessionsKept: server.api.context.sessions.size,
      stoppedByTimeLimit: done < turns,
    };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [sessions, turns, maxSeconds] = process.argv.slice(2).map(Number);
  if (!gc) console.log('(run with node --expose-gc for the heap figures)');
  const result = await benchLoad({ sessions: sessions || undefined, turns: turns || undefined, maxSeconds: maxSeconds || undefined });
  console.log(`reference API under load (${result.sessions} sessions, ${result.turns} turns, loopback HTTP)`);
  for (const [name, value] of Object.entries(result)) console.log(`  ${name.padEnd(20)} ${value}`);
}
