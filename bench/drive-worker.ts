/**
 * driveTurns in its own process, so the load generator and the server each
 * get a core, as they would on separate machines, and the server process's
 * CPU time is the server's own. The child reports its own CPU time too: on
 * a machine with few cores the load generator's share decides what the
 * wall-clock rate can show.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { driveTurns, type DriveOptions, type DriveResult } from './server.js';

/** Runs driveTurns in a child process; options must be plain data (no `headersOf`). */
export function driveTurnsInProcess(url: string, options: Omit<DriveOptions, 'headersOf'>): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--drive'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    child.once('message', (result) => {
      resolve(result as DriveResult);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`the load process exited with ${code}`)));
    child.send({ url, options });
  });
}

if (process.argv.includes('--drive') && process.send) {
  process.once('message', async (message) => {
    const { url, options } = message as { url: string; options: DriveOptions };
    const cpuBefore = process.cpuUsage();
    const result = await driveTurns(url, options);
    const cpu = process.cpuUsage(cpuBefore);
    process.send!({ ...result, loadCpuMs: (cpu.user + cpu.system) / 1000 } satisfies DriveResult);
  });
}
