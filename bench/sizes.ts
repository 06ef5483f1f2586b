/**
 * Bundle sizes, raw and gzip, of what a shopper downloads:
 * - script tag: `webmcp-chat.js` before first open; plus the panel in total.
 * - SPA: an app that imports `createChat` from the npm build, bundled with its
 *   dependencies the way an SPA's bundler would; the entry chunk is what loads
 *   before first open, all chunks together the total.
 * Needs `npm run build` first (bench/run.ts does it).
 */
import { build } from 'vite';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SizeRow {
  what: string;
  rawBytes: number;
  gzipBytes: number;
}

const root = resolve(import.meta.dirname, '..');

function measure(what: string, files: string[]): SizeRow {
  const bytes = files.map((file) => readFileSync(file));
  return {
    what,
    rawBytes: bytes.reduce((sum, b) => sum + b.length, 0),
    // Each file travels compressed on its own, so gzip each and add up.
    gzipBytes: bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
  };
}

async function spaChunks(): Promise<{ entry: string; all: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wmc-spa-'));
  writeFileSync(
    join(dir, 'main.js'),
    `import { createChat } from ${JSON.stringify(join(root, 'dist/esm/index.js'))};\ncreateChat({ clientToken: 'ct_test_demo' });\n`,
  );
  const outDir = join(dir, 'out');
  await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    resolve: { alias: [] },
    build: {
      outDir,
      minify: true,
      target: 'es2022',
      rolldownOptions: { input: join(dir, 'main.js'), output: { entryFileNames: 'entry.js', chunkFileNames: '[name]-[hash].js' } },
    },
  });
  const files = readdirSync(outDir).filter((f) => f.endsWith('.js')).map((f) => join(outDir, f));
  return { entry: join(outDir, 'entry.js'), all: files };
}

export async function benchSizes(): Promise<SizeRow[]> {
  const dist = (file: string) => join(root, 'dist', file);
  const spa = await spaChunks();
  return [
    measure('script tag: before first open (webmcp-chat.js)', [dist('webmcp-chat.js')]),
    measure('script tag: panel (webmcp-chat-panel.js)', [dist('webmcp-chat-panel.js')]),
    measure('script tag: total', [dist('webmcp-chat.js'), dist('webmcp-chat-panel.js')]),
    measure('SPA (npm ESM, bundled): before first open', [spa.entry]),
    measure('SPA (npm ESM, bundled): total', spa.all),
    measure('polyfill script (webmcp-polyfill.js)', [dist('webmcp-polyfill.js')]),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchSizes());
}
