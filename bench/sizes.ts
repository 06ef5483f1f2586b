/**
 * Bundle sizes, raw and gzip (-9, each file on its own, as each travels), of
 * what a shopper downloads, ours beside @runtypelabs/persona's shipped files
 * (read live from node_modules/@runtypelabs/persona/dist):
 * - script tag, before first open: ours `webmcp-chat.js` (launcher + loader);
 *   Persona `index.global.js` + `widget.css` (both needed to show anything).
 * - script tag, total: plus what a conversation loads: our panel; Persona's
 *   lazy markdown chunk `markdown-parsers.js`.
 * - WebMCP polyfill: ours `webmcp-polyfill.js`; Persona's `webmcp-polyfill.js`
 *   (`@mcp-b/webmcp-polyfill`).
 * - SPA: an app importing the widget from npm, bundled with its dependencies
 *   by Vite (minified); the entry chunk (plus CSS assets) is what loads before
 *   first open, all chunks and assets together the total.
 * Needs `npm run build` first (bench/run.ts does it).
 */
import { build } from 'vite';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SizeRow {
  widget: 'ours' | 'persona';
  what: string;
  rawBytes: number;
  gzipBytes: number;
}

const root = resolve(import.meta.dirname, '..');
const personaDir = join(root, 'node_modules/@runtypelabs/persona');

function measure(widget: SizeRow['widget'], what: string, files: string[]): SizeRow {
  const bytes = files.map((file) => readFileSync(file));
  return {
    widget,
    what,
    rawBytes: bytes.reduce((sum, b) => sum + b.length, 0),
    // Each file travels compressed on its own, so gzip each and add up.
    gzipBytes: bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
  };
}

/** Bundles `source` (an app's main.js) the way an SPA's bundler would. */
async function spaChunks(source: string): Promise<{ entry: string[]; all: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wmc-spa-'));
  writeFileSync(join(dir, 'main.js'), source);
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
      assetsInlineLimit: 0,
      rolldownOptions: {
        input: join(dir, 'main.js'),
        output: { entryFileNames: 'entry.js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
      },
    },
  });
  const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => join(outDir, f));
  return { entry: [join(outDir, 'entry.js'), ...files.filter((f) => f.endsWith('.css'))], all: files };
}

export async function benchSizes(): Promise<SizeRow[]> {
  const dist = (file: string) => join(root, 'dist', file);
  const persona = (file: string) => join(personaDir, 'dist', file);
  const ours = await spaChunks(
    `import { createChat } from ${JSON.stringify(join(root, 'dist/esm/index.js'))};\ncreateChat({ clientToken: 'ct_test_demo' });\n`,
  );
  // Bare specifiers resolve from the temporary folder, so point at the package by path.
  const theirs = await spaChunks(
    `import { createAgentExperience } from ${JSON.stringify(join(personaDir, 'dist/index.js'))};\n` +
      `import ${JSON.stringify(join(personaDir, 'dist/widget.css'))};\n` +
      `createAgentExperience(document.body, { apiUrl: 'https://api.example', clientToken: 'ct_test_demo' });\n`,
  );
  return [
    measure('ours', 'script tag: before first open', [dist('webmcp-chat.js')]),
    measure('persona', 'script tag: before first open', [persona('index.global.js'), persona('widget.css')]),
    measure('ours', 'script tag: total', [dist('webmcp-chat.js'), dist('webmcp-chat-panel.js')]),
    measure('persona', 'script tag: total', [persona('index.global.js'), persona('widget.css'), persona('markdown-parsers.js')]),
    measure('ours', 'WebMCP polyfill', [dist('webmcp-polyfill.js')]),
    measure('persona', 'WebMCP polyfill', [persona('webmcp-polyfill.js')]),
    measure('ours', 'SPA (npm, bundled): before first open', ours.entry),
    measure('persona', 'SPA (npm, bundled): before first open', theirs.entry),
    measure('ours', 'SPA (npm, bundled): total', ours.all),
    measure('persona', 'SPA (npm, bundled): total', theirs.all),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchSizes());
}
