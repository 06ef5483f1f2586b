/**
 * The build, as Vite sees it. Each artifact is a Vite mode:
 *
 *   npx vite build                  the npm package: dist/esm/{index,core,polyfill}.js and one file per module, dependencies external
 *   npx vite build --mode loader    dist/webmcp-chat.js, the script tag's IIFE (launcher and loader only)
 *   npx vite build --mode panel     dist/webmcp-chat-panel.js, the panel it loads on first open (one ES file)
 *   npx vite build --mode polyfill  dist/webmcp-polyfill.js, document.modelContext where the browser has none
 *   npx vite build --mode polyfill-extras  dist/webmcp-polyfill-extras.js, the polyfill's part loaded on first need
 *
 * `npm run build` (scripts/build.mjs) runs every mode with this file, then
 * minifies the panel and writes the type declarations.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { HANDED_OVER, HANDOVER } from './src/embed/handover.js';

/** What the npm package leaves to the installing app's bundler (its `dependencies`). */
const PACKAGE_DEPENDENCIES = ['preact', '@preact/signals-core', 'idb-keyval', '@standard-schema/spec'];

type LibraryOptions = NonNullable<NonNullable<UserConfig['build']>['lib']>;

function library(lib: LibraryOptions, options: { outDir?: string; external?: string[]; perModule?: boolean } = {}): UserConfig['build'] {
  const external = options.external ?? [];
  return {
    outDir: options.outDir ?? 'dist',
    // Several modes write into dist/: the build script empties it once, before the first.
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib,
    rolldownOptions: {
      external: (id) => external.some((dependency) => id === dependency || id.startsWith(`${dependency}/`)),
      output: options.perModule ? { preserveModules: true, preserveModulesRoot: 'src' } : { codeSplitting: false },
    },
  };
}

const ARTIFACTS: Record<string, UserConfig['build']> = {
  loader: library({ entry: 'src/embed/script-tag.ts', formats: ['iife'], fileName: () => 'webmcp-chat.js', name: 'WebMCPChatLoader' }),
  panel: library({ entry: 'src/embed/panel-entry.ts', formats: ['es'], fileName: () => 'webmcp-chat-panel.js' }),
  polyfill: library({ entry: 'src/polyfill-script.ts', formats: ['iife'], fileName: () => 'webmcp-polyfill.js', name: 'WebMCPPolyfill' }),
  // What the polyfill imports on first need (iframes, form tools, origin lists, the navigator shape), beside it.
  'polyfill-extras': library({ entry: 'src/bridge/polyfill-extras.ts', formats: ['es'], fileName: () => 'webmcp-polyfill-extras.js' }),
  npm: library(
    {
      entry: { index: 'src/index.ts', core: 'src/core.ts', polyfill: 'src/polyfill.ts' },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    // One file per source module: the app's bundler then splits at module
    // boundaries, so what only the panel uses (the bridge, the client) stays
    // in the chunk it loads on first open, not in the app's entry.
    { outDir: 'dist/esm', external: PACKAGE_DEPENDENCIES, perModule: true },
  ),
};

const FROM_LOADER = '\0from-loader:';

/**
 * The global the loader's list goes under, named after the handed modules'
 * source: a loader and a panel from different builds (one of them cached)
 * then find nothing, and the panel fails to load with a clear error, instead
 * of taking one function for another.
 */
export function handoverKey(root = import.meta.dirname): string {
  const hash = createHash('sha256');
  for (const [file, name] of HANDED_OVER) hash.update(`${file}\0${name}\0${readFileSync(resolve(root, file), 'utf8')}\0`);
  return `${HANDOVER}:${hash.digest('hex').slice(0, 12)}`;
}

/**
 * The panel's build: the modules the loader hands over (src/embed/handover.ts)
 * become views of the loader's list, so the panel file does not carry them
 * again. Only for `webmcp-chat-panel.js`, which only the loader imports.
 */
export function fromLoader(root = import.meta.dirname): Plugin {
  const exportsOf = new Map<string, string[]>();
  HANDED_OVER.forEach(([file, name], index) => {
    const path = resolve(root, file);
    exportsOf.set(path, [...(exportsOf.get(path) ?? []), `${name} = handed[${index}]`]);
  });
  return {
    name: 'from-loader',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source === FROM_LOADER) return source;
      if (!importer || importer.startsWith(FROM_LOADER)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && exportsOf.has(resolved.id) ? FROM_LOADER + resolved.id : null;
    },
    load(id) {
      if (id === FROM_LOADER) {
        return `const handed = globalThis[Symbol.for(${JSON.stringify(handoverKey(root))})];
if (!handed) throw new Error('webmcp-chat-panel.js runs only when loaded by the webmcp-chat.js of its own build: serve both files from one versioned path');
export default handed;`;
      }
      const exported = id.startsWith(FROM_LOADER) && exportsOf.get(id.slice(FROM_LOADER.length));
      return exported ? `import handed from ${JSON.stringify(FROM_LOADER)};\nexport const ${exported.join(', ')};` : null;
    },
  };
}

export default defineConfig(({ mode }) => {
  const build = ARTIFACTS[mode === 'production' ? 'npm' : mode];
  if (!build) throw new Error(`vite.config.ts: no artifact "${mode}"; use one of ${Object.keys(ARTIFACTS).join(', ')}`);
  return {
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    define: { 'process.env.NODE_ENV': '"production"', __HANDOVER_KEY__: JSON.stringify(handoverKey()) },
    build,
    plugins: mode === 'panel' ? [fromLoader()] : [],
  };
});
