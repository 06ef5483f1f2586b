/**
 * What one `bridge.snapshot()` costs with 50 page tools registered, in
 * Chromium: on our polyfill, and on native WebMCP (`--enable-features=WebMCP`).
 * The page is a small esbuild bundle of src/bridge (createBridge +
 * installPolyfill); each snapshot lists the tools, checks and converts their
 * schemas, and fingerprints them. After 100 warm-up snapshots, 25 batches of
 * 40 are timed in the page with performance.now() (coarsened to 100 µs outside
 * cross-origin isolation, hence batches); median and p90 of the per-snapshot
 * mean of each batch, in µs.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './persona-smoke.js';
import { TOOL_COUNT } from './tool-roundtrip.js';

const root = resolve(import.meta.dirname, '..');

const ENTRY = `
import { createBridge, installPolyfill } from './src/bridge/index.js';
window.runSnapshotBench = async ({ usePolyfill, tools, warmup, rounds, batch }) => {
  if (usePolyfill) installPolyfill();
  const context = document.modelContext;
  if (!context) throw new Error('no document.modelContext');
  for (let i = 0; i < tools; i++) {
    context.registerTool({
      name: 'tool_' + i,
      description: 'Bench tool number ' + i + ': looks up products by keyword and returns a short list',
      inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1 } }, required: ['query'] },
      execute: async () => ({ ok: true }),
    });
  }
  const bridge = createBridge();
  let last;
  for (let i = 0; i < warmup; i++) last = await bridge.snapshot();
  // performance.now() is coarsened (100 µs) outside cross-origin isolation: time batches, not single calls.
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    for (let j = 0; j < batch; j++) last = await bridge.snapshot();
    times.push((performance.now() - start) / batch);
  }
  return { kind: bridge.kind, tools: last.tools.length, dropped: last.dropped.length, times };
};`;

export interface SnapshotRow {
  mode: 'polyfill' | 'native';
  ok: boolean;
  error?: string;
  backend?: string;
  tools?: number;
  medianMicros?: number;
  p90Micros?: number;
}

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export async function benchSnapshot({ tools = TOOL_COUNT, warmup = 100, rounds = 25, batch = 40 } = {}): Promise<SnapshotRow[]> {
  const script = await bundle();
  const server = createServer((request, response) => {
    if (request.url === '/bridge.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>snapshot</title><script src="/bridge.js"></script>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: SnapshotRow[] = [];
  try {
    for (const mode of ['polyfill', 'native'] as const) {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [...CHROMIUM_ARGS, ...(mode === 'native' ? ['--enable-features=WebMCP'] : [])],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${origin}/`);
        const result = (await page.evaluate(
          `window.runSnapshotBench(${JSON.stringify({ usePolyfill: mode === 'polyfill', tools, warmup, rounds, batch })})`,
        )) as {
          kind: string;
          tools: number;
          times: number[];
        };
        if (result.kind !== mode) throw new Error(`expected the ${mode} backend, the bridge found ${result.kind}`);
        const sorted = result.times.sort((a, b) => a - b);
        const at = (q: number) => Math.round(sorted[Math.floor(q * sorted.length)]! * 1000);
        rows.push({ mode, ok: true, backend: result.kind, tools: result.tools, medianMicros: at(0.5), p90Micros: at(0.9) });
      } catch (error) {
        rows.push({ mode, ok: false, error: (error as Error).message.split('\n')[0] });
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.table(await benchSnapshot());
