// Starts the reference API as its own process (`npm run serve`'s entry) on a
// free loopback port and resolves with its URL, for browser and e2e tests that
// must reach it over real HTTP from another origin.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function startReferenceServer({ config, extraArgs = [] } = {}) {
  const args = ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--host', '127.0.0.1', ...extraArgs];
  if (config) args.push('--config', config);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`reference server did not start in 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /(http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ url: match[1].replace(/\/$/, ''), stop: () => child.kill() });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference server exited with ${code}:\n${output}`));
    });
  });
}
