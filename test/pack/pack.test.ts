/**
 * The package as a new user gets it: `npm pack`, the tarball installed into a
 * fresh Vite + TypeScript app in a temp dir (offline: the package's own
 * dependencies are packed from this repo's node_modules, and nothing else is
 * installed, so a declaration that needs anything more fails the type check),
 * a usage file of both entry points type-checked with `skipLibCheck: false`,
 * built with Vite, and a turn run in Chromium against the reference API.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, startServer, type RunningServer } from '../../src/server/index.js';
import { ensureBuilt, launchChromium } from '../integration/support.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
const TOKEN = 'ct_test_pack';

let work: string;
let app: string;
let packed: { files: { path: string }[] };

function npm(args: string[], cwd: string): string {
  // --ignore-scripts: no lifecycle script of ours or of a dependency runs; --offline: no registry.
  return execFileSync('npm', [...args, '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
  });
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'webmcp-chat-pack-'));
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  // The package's dependencies as the registry would give them, from what this repo installed.
  for (const dependency of Object.keys(pkg.dependencies)) npm(['pack', '--pack-destination', work], join(root, 'node_modules', dependency));
  app = join(work, 'app');
  cpSync(join(root, 'test/pack/app'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  const tarballs = readdirSync(work).filter((file) => file.endsWith('.tgz'));
  npm(['install', ...tarballs.map((file) => join(work, file))], app);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package, installed into a fresh app', () => {
  it('ships the license, changelog, protocol and types, and no sources or tests', () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'README.md', 'docs/protocol.md', 'widget.d.ts', 'package.json']),
    );
    expect(files).toEqual(
      expect.arrayContaining(['dist/esm/index.js', 'dist/esm/core.js', 'dist/types/index.d.ts', 'dist/types/core.d.ts']),
    );
    expect(files.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/webmcp-chat/package.json'), 'utf8'));
    expect(installed.engines?.node).toBeDefined();
    expect(installed.license).toBe('MIT');
  });

  it('resolves webmcp-chat from the tarball, with only its declared dependencies beside it', () => {
    const modules = readdirSync(join(app, 'node_modules')).flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(app, 'node_modules', name)).map((scoped) => `${name}/${scoped}`) : [name],
    );
    expect(modules.filter((name) => !name.startsWith('.')).sort()).toEqual([...Object.keys(pkg.dependencies), pkg.name].sort());
    expect(existsSync(join(app, 'node_modules/zod'))).toBe(false);
  });

  it('type-checks a usage file of both entry points with skipLibCheck off', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], {
        cwd: app,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000);

  describe('built with Vite and run in Chromium', () => {
    let api: RunningServer;
    let site: Server;
    let origin: string;
    let browser: Browser;

    beforeAll(async () => {
      await build({ root: app, configFile: false, logLevel: 'error', build: { outDir: join(app, 'dist'), target: 'es2022' } });
      site = createServer((request, response) => {
        const path = (request.url ?? '/').split('?')[0]!;
        if (path === '/favicon.ico') return void response.writeHead(204).end(); // the browser asks; the app has none
        const file = join(app, 'dist', path === '/' ? 'index.html' : path);
        if (path.includes('..') || !existsSync(file)) {
          response.statusCode = 404;
          response.end();
          return;
        }
        response.setHeader('content-type', extname(file) === '.html' ? 'text/html; charset=utf-8' : 'text/javascript');
        response.setHeader(
          'content-security-policy',
          `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${api.url}`,
        );
        response.end(readFileSync(file));
      });
      await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
      origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
      api = await startServer({
        port: 0,
        host: '127.0.0.1',
        testHooks: true,
        config: resolveConfig({
          streamDelayMs: 0,
          tokens: [{ token: TOKEN, allowedOrigins: [origin], surface: { webmcp: { enabled: true } } }],
        }),
      });
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await api?.close();
      await new Promise((done) => site?.close(done));
    });

    it('runs a turn: the agent calls the page tool, the answer appears in the panel', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      await page.goto(`${origin}/?api=${encodeURIComponent(api.url)}&token=${TOKEN}`);

      await fetch(`${api.url}/__test/script`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({
          token: TOKEN,
          turns: [[{ toolCall: { name: 'add_to_cart', arguments: { sku: 'mug-1' } } }], 'Added mug-1 to your cart.'],
        }),
      });
      await page.getByRole('button', { name: 'Open chat' }).click();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('add mug-1 to my cart');
      await input.press('Enter');
      await page.getByRole('log').getByText('Added mug-1 to your cart.').waitFor();

      const shop = await page.evaluate(() => {
        const { cart, events, answer } = (window as unknown as { shop: { cart: string[]; events: string[]; answer?: string } }).shop;
        return { cart, events, answer };
      });
      expect(shop.cart).toEqual(['mug-1']);
      expect(shop.answer).toBe('Added mug-1 to your cart.');
      expect(shop.events).toEqual(['message:user', 'toolresult:add_to_cart:done', 'message:assistant']);
      const chats = (
        (await (await fetch(`${api.url}/__test/log?endpoint=chat`, { headers: { origin } })).json()) as {
          requests: { body: { metadata?: unknown } }[];
        }
      ).requests;
      expect(chats.map((request) => request.body.metadata)).toEqual([{ app: 'pack-test' }]);
      expect(problems).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
