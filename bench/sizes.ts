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
import { build, parseAst } from 'vite';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromLoader } from '../vite.config.js';

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

/** The size goals of issue 15, in gzip bytes. */
export const SIZE_BUDGET = { total: 30 * 1024, beforeFirstOpen: 3 * 1024 };

/** `code` with every string literal emptied and every template's text taken out (its `${}` parts kept). */
export function withoutText(code: string): string {
  // A parser, not a regular expression: templates nest, and regular expression literals hold quotes.
  const spans: [number, number, string][] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { type, start, end, value } = node as { type?: string; start: number; end: number; value?: unknown };
    if (type === 'Literal' && typeof value === 'string') spans.push([start, end, '""']);
    else if (type === 'TemplateElement') spans.push([start, end, '']);
    else for (const child of Object.values(node)) visit(child);
  };
  visit(parseAst(code));
  let out = code;
  for (const [start, end, text] of spans.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
  return out;
}

/**
 * The script tag's figures with every string literal in its files emptied:
 * what no shortening of text (messages, the stylesheet, attribute and
 * property names written as strings) could go below, so how much of each
 * size is code.
 */
export function codeAlone(): { beforeFirstOpen: number; total: number } {
  const gzip = (file: string) => gzipSync(withoutText(readFileSync(join(root, 'dist', file), 'utf8')), { level: 9 }).length;
  const loader = gzip('webmcp-chat.js');
  return { beforeFirstOpen: loader, total: loader + gzip('webmcp-chat-panel.js') };
}

export interface ModuleShare {
  module: string;
  /** Bytes of minified code this module contributes to the panel file. */
  minBytes: number;
  /** Its share of the panel's gzip size (gzip bytes × its share of the minified bytes). */
  gzipBytes: number;
}

/** Folds a module path into the name a reader knows it by: a package, or src/<dir>/<file>. */
function moduleName(id: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/hooks)?/.exec(id);
  if (pkg) return pkg[1]! + (pkg[2] ?? '');
  return id
    .replace(`${root}/`, '')
    .replace(/^src\//, '')
    .replace(/\.tsx?$/, '');
}

/**
 * Where a shipped file's bytes go: its entry bundled and minified as the build
 * does, each module's minified code measured on its own; gzip attributed in
 * proportion (gzip works across module boundaries, so no module has a gzip
 * size of its own).
 */
async function breakdown(
  entry: string,
  format: 'es' | 'iife',
  shippedFile: string,
): Promise<{ gzipBytes: number; modules: ModuleShare[] }> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    // The panel as built: what the loader hands it is not in it.
    plugins: shippedFile === 'webmcp-chat-panel.js' ? [fromLoader(root)] : [],
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      lib: { entry, formats: [format], name: 'Measured', fileName: () => 'measured.js' },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as {
    output: { code: string; modules: Record<string, { code: string | null }> }[];
  };
  const chunk = output.output[0]!;
  // Attribute the shipped file's gzip size when it is built (the panel has one more minify pass).
  const shipped = join(root, 'dist', shippedFile);
  const gzipBytes = gzipSync(existsSync(shipped) ? readFileSync(shipped) : chunk.code, { level: 9 }).length;
  const { minify } = await import('vite');
  const shares = new Map<string, number>();
  for (const [id, mod] of Object.entries(chunk.modules)) {
    if (!mod.code) continue;
    // Whitespace and comments only: compressing a module alone would drop what only other modules use.
    const min = await minify('m.js', mod.code, { compress: false, mangle: false });
    const name = moduleName(id);
    shares.set(name, (shares.get(name) ?? 0) + (min.errors?.length ? mod.code.length : min.code.length));
  }
  const all = [...shares.values()].reduce((a, b) => a + b, 0);
  const modules = [...shares.entries()]
    .map(([module, minBytes]) => ({ module, minBytes, gzipBytes: Math.round((gzipBytes * minBytes) / all) }))
    .sort((a, b) => b.minBytes - a.minBytes);
  return { gzipBytes, modules };
}

/** Where the panel's bytes go (`dist/webmcp-chat-panel.js`). */
export function panelBreakdown(): Promise<{ gzipBytes: number; modules: ModuleShare[] }> {
  return breakdown('src/embed/panel-entry.ts', 'es', 'webmcp-chat-panel.js');
}

/** Where the loader's bytes go (`dist/webmcp-chat.js`, all of "before first open"). */
export function loaderBreakdown(): Promise<{ gzipBytes: number; modules: ModuleShare[] }> {
  return breakdown('src/embed/script-tag.ts', 'iife', 'webmcp-chat.js');
}

/** The script tag's two figures beside their goals, one line each. */
export function budgetLines(rows: readonly SizeRow[]): string[] {
  const ours = (what: string) => rows.find((row) => row.widget === 'ours' && row.what === what)?.gzipBytes ?? Number.NaN;
  const line = (label: string, bytes: number, goal: number) =>
    `${label}: ${bytes} B gzip, goal ≤ ${goal} B (${bytes <= goal ? 'met' : `${bytes - goal} B over`})`;
  return [
    line('before first open (loader)', ours('script tag: before first open'), SIZE_BUDGET.beforeFirstOpen),
    line('widget total (loader + panel)', ours('script tag: total'), SIZE_BUDGET.total),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchSizes();
  console.table(rows);
  for (const line of budgetLines(rows)) console.log(line);
  for (const [name, measured] of [
    ['loader', await loaderBreakdown()],
    ['panel', await panelBreakdown()],
  ] as const) {
    console.log(`${name} ${measured.gzipBytes} B gzip; by module:`);
    console.table(measured.modules.slice(0, 25));
  }
}
