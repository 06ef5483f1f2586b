#!/usr/bin/env node
// `npm run build`: every artifact, each a separate Vite library build.
//   dist/webmcp-chat.js        IIFE for the script tag: launcher + loader only
//   dist/webmcp-chat-panel.js  ESM, one file: the panel it loads on first open
//   dist/webmcp-polyfill.js    IIFE: document.modelContext where the browser has none
//   dist/webmcp-polyfill-extras.js  ESM: the part of it that loads on first need
//   dist/esm/*                 the npm package (index, core, polyfill), deps external
import { build, minify } from 'vite';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const common = {
  root,
  configFile: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: { 'process.env.NODE_ENV': '"production"' },
};

const browserDeps = [
  'preact',
  'preact/hooks',
  'preact/jsx-runtime',
  '@preact/signals-core',
  'zod',
  'zod/mini',
  'idb-keyval',
  'eventsource-parser',
];

async function library({ entry, formats, fileName, outDir = 'dist', name, external = [], emptyOutDir = false, inline = true }) {
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib: { entry, formats, fileName, name },
      rolldownOptions: {
        external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
        output: inline ? { codeSplitting: false } : {},
      },
    },
  });
}

async function minifyFile(file) {
  const path = `${root}${file}`;
  const result = await minify(file, readFileSync(path, 'utf8'), { compress: true, mangle: true, module: true });
  if (result.errors?.length) throw new Error(`minify ${file}: ${result.errors.map((e) => e.message).join('; ')}`);
  writeFileSync(path, result.code);
}

rmSync(`${root}dist`, { recursive: true, force: true });

await library({ entry: 'src/embed/script-tag.ts', formats: ['iife'], fileName: () => 'webmcp-chat.js', name: 'WebMCPChatLoader' });
await library({ entry: 'src/embed/panel-entry.ts', formats: ['es'], fileName: () => 'webmcp-chat-panel.js' });
// Vite leaves ES library output unminified by design; this file is served to browsers as is.
await minifyFile('dist/webmcp-chat-panel.js');
await library({ entry: 'src/polyfill-script.ts', formats: ['iife'], fileName: () => 'webmcp-polyfill.js', name: 'WebMCPPolyfill' });
// What the polyfill imports on first need (iframes, form tools, origin lists, the navigator shape), beside it.
await library({ entry: 'src/bridge/polyfill-extras.ts', formats: ['es'], fileName: () => 'webmcp-polyfill-extras.js' });
await minifyFile('dist/webmcp-polyfill-extras.js');
await library({
  entry: { index: 'src/index.ts', core: 'src/core.ts', polyfill: 'src/polyfill.ts' },
  formats: ['es'],
  fileName: (_format, entryName) => `${entryName}.js`,
  outDir: 'dist/esm',
  external: browserDeps,
  inline: false,
});
// Type declarations for npm users (the package's public API is part of the product).
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
console.log('built dist/webmcp-chat.js, dist/webmcp-chat-panel.js, dist/webmcp-polyfill.js, dist/esm/, dist/types/');
