/**
 * A long run of turns leaves the reference API's stores bounded: past its
 * caps it forgets the oldest finished executions and sessions instead of
 * growing. A correctness check on the server's own counts, not a timing one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { driveTurns, startBenchServer } from '../../../bench/server.js';
import type { RunningServer } from '../../../src/server/index.js';

const MAX_EXECUTIONS = 50;
const MAX_SESSIONS = 40;
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.close();
});

async function stats(): Promise<{ sessions: number; executions: number }> {
  return (await fetch(`${server!.url}/__test/stats`)).json() as Promise<{ sessions: number; executions: number }>;
}

describe('the reference API under a long run', () => {
  it('1,000 turns from 100 sessions: executions and sessions stay at their caps, every turn still answered', async () => {
    server = await startBenchServer({ maxExecutions: MAX_EXECUTIONS, maxSessions: MAX_SESSIONS }, { testHooks: true });
    let turns = 0;
    for (let round = 0; round < 5; round++) {
      const run = await driveTurns(server.url, { turns: 200, concurrency: 20 });
      turns += run.turns;
      // Half the turns call a tool and are resumed: 300 streams per round, all read to the end.
      expect(run.streamedRequests).toBe(300);
      expect(await stats()).toEqual({ sessions: Math.min(MAX_SESSIONS, 20 * (round + 1)), executions: MAX_EXECUTIONS });
    }
    expect(turns).toBe(1_000);
  });
});
