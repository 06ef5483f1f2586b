#!/usr/bin/env node
// `npm run build`: every artifact, each a mode of vite.config.ts (the artifacts are listed there).
//   dist/webmcp-chat.js        IIFE for the script tag: launcher + loader only
//   dist/webmcp-chat-panel.js  ESM, one file: the panel it loads on first open
//   dist/webmcp-polyfill.js    IIFE: document.modelContext where the browser has none
//   dist/webmcp-polyfill-extras.js  ESM: the part of it that loads on first need
//   dist/esm/*                 the npm package (index, core, polyfill; one file per module), deps external
//   dist/types/*               its type declarations
import { build, minify } from 'vite';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const configFile = `${root}vite.config.ts`;

async function minifyFile(file) {
  const path = `${root}${file}`;
  const result = await minify(file, readFileSync(path, 'utf8'), { compress: true, mangle: true, module: true });
  if (result.errors?.length) throw new Error(`minify ${file}: ${result.errors.map((e) => e.message).join('; ')}`);
  writeFileSync(path, result.code);
}

rmSync(`${root}dist`, { recursive: true, force: true });

for (const mode of ['loader', 'panel', 'polyfill', 'polyfill-extras', 'npm']) await build({ root, configFile, mode });
// Vite leaves ES library output unminified by design; this file is served to browsers as is.
await minifyFile('dist/webmcp-chat-panel.js');
await minifyFile('dist/webmcp-polyfill-extras.js');
// Type declarations for npm users (the package's public API is part of the product).
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
console.log('built dist/webmcp-chat.js, dist/webmcp-chat-panel.js, dist/webmcp-polyfill.js, dist/esm/, dist/types/');
