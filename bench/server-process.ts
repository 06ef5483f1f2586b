/**
 * The reference API in a process of its own, for benches whose figures are the
 * server's alone (its heap) while the load comes from the parent process.
 * Parent → child: the config input; child → parent: the URL, then on `stop`
 * the heap peaks and what the memory budget holds. Two peaks: what is live
 * after each major collection (what the server keeps), and heapUsed sampled
 * every 20 ms (garbage not yet collected included).
 */
import { fork } from 'node:child_process';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolveConfig, startServer } from '../src/server/index.js';

export interface ServerStats {
  heapPeakBytes: number;
  heapAfterMajorGcPeakBytes: number;
  budgetUsedBytes: number;
  sessions: number;
  executions: number;
}

export interface ServerProcess {
  url: string;
  /** Stops the server and returns what it measured. */
  stop(): Promise<ServerStats>;
}

/** `heapLimitMiB` caps V8's heap (`--max-old-space-size`), as an operator of a small VM would. */
export function startServerProcess(config: Record<string, unknown>, heapLimitMiB?: number): Promise<ServerProcess> {
  const execArgv = ['--import', 'tsx', ...(heapLimitMiB ? [`--max-old-space-size=${heapLimitMiB}`] : [])];
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            child.once('message', (stats) => done(stats as ServerStats));
            child.send('stop');
          }),
      });
    });
    child.send(config);
  });
}

if (process.argv.includes('--serve') && process.send) {
  process.once('message', async (input) => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: resolveConfig(input) });
    let heapPeakBytes = 0;
    let heapAfterMajorGcPeakBytes = 0;
    const sampler = setInterval(() => {
      heapPeakBytes = Math.max(heapPeakBytes, process.memoryUsage().heapUsed);
    }, 20);
    const majorGc = new PerformanceObserver((list) => {
      const major = list
        .getEntries()
        .some((entry) => (entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      if (major) heapAfterMajorGcPeakBytes = Math.max(heapAfterMajorGcPeakBytes, process.memoryUsage().heapUsed);
    });
    majorGc.observe({ entryTypes: ['gc'] });
    process.once('message', async () => {
      clearInterval(sampler);
      majorGc.disconnect();
      const { context } = server.api;
      const stats: ServerStats = {
        heapPeakBytes,
        heapAfterMajorGcPeakBytes,
        budgetUsedBytes: context.budget.used,
        sessions: context.sessions.size,
        executions: context.executions.size,
      };
      await server.close();
      process.send!(stats, () => process.exit(0));
    });
    process.send!({ url: server.url });
  });
}
