/**
 * `npm run demo`: the storefront and the allowlist lab on two origins, with
 * the reference API mounted in the same servers.
 *
 *   tsx demo/serve.ts [--port 5173] [--port2 5174] [--host localhost]
 *   env: DEMO_PORT, DEMO_PORT_2, DEMO_HOST, DEMO_STREAM_DELAY_MS, DEMO_DIST_DIR (default dist/),
 *        WEBMCP_OPENAI_BASE_URL / WEBMCP_OPENAI_API_KEY / WEBMCP_OPENAI_MODEL (a real model)
 *
 * One Vite instance in middleware mode serves `demo/` behind two Node HTTP
 * servers (two origins, one shared API state, so a policy changed in the lab
 * applies on both). Each request goes, in order, through:
 *   1. security headers, the CSP included (`script-src 'self'; style-src 'self'`),
 *   2. the reference API (`/v1/*`) and the dev-only admin (`/__dev/*`),
 *   3. the built widget from `dist/` at the site root (`/webmcp-chat.js`, …),
 *   4. Vite (pages, TS modules, CSS).
 * Prints both URLs and the time from process start to listening.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { agentFromEnv } from '../src/server/agents/openai-compatible.js';
import { plannerAgent } from '../src/server/agents/planner.js';
import { createReferenceApi } from '../src/server/app.js';
import { DEV_CONFIG, resolveConfig, type ServerConfigInput } from '../src/server/config.js';
import { createDevAdmin } from '../src/server/dev-admin.js';

// performance.now() counts from process start, so the times printed include loading tsx and Vite.
const started = 0;
const repo = new URL('..', import.meta.url).pathname;
/** Where the built widget is read from; the e2e runner points it at a snapshot so a rebuild mid-run cannot break it. */
const distDir = process.env.DEMO_DIST_DIR || `${repo}dist`;
const DIST_FILE = /^\/(webmcp-chat\.js|webmcp-chat-panel\.js|webmcp-polyfill\.js)(?:\?.*)?$/;
/**
 * The demo runs without HMR (one Vite behind two origins, under a CSP whose
 * connect-src is 'self'), so Vite's client is replaced by a module with the
 * same exports that does nothing: no websocket, no CSP report. Reload to see
 * an edit.
 */
const VITE_CLIENT_STUB = [
  'export function createHotContext() { return { accept() {}, acceptExports() {}, dispose() {}, prune() {}, invalidate() {}, on() {}, off() {}, send() {}, data: {} }; }',
  'export function updateStyle() {}',
  'export function removeStyle() {}',
  'export function injectQuery(url) { return url; }',
  'export class ErrorOverlay {}',
].join('\n');

export interface DemoOptions {
  ports?: [number, number];
  host?: string;
  streamDelayMs?: number;
  /** Silence Vite's own logging (tests). */
  quiet?: boolean;
}

export interface RunningDemo {
  urls: [string, string];
  agentName: string;
  close(): Promise<void>;
}

/** The dev config's tokens, with the demo's real origins in place of :5173 / :5174. */
export function demoConfig(origins: [string[], string[]], streamDelayMs: number): ServerConfigInput {
  const remap = (origin: string) => (origin.endsWith(':5173') ? origins[0] : origin.endsWith(':5174') ? origins[1] : [origin]);
  return {
    ...DEV_CONFIG,
    streamDelayMs,
    // The lab and the e2e test send many turns; keep the limiter out of their way.
    rateLimit: { turns: 120, perSeconds: 60 },
    tokens: DEV_CONFIG.tokens.map((token) => {
      const copy = structuredClone(token);
      copy.allowedOrigins = [...new Set(token.allowedOrigins.flatMap(remap))];
      // The storefront's declarative form tools are part of the demo (order.html's too): admit them.
      if (copy.token === 'ct_test_demo') copy.surface?.webmcp?.allowlist?.[0]?.tools.push('subscribe_newsletter', 'place_order');
      return copy;
    }),
  };
}

function csp(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // 'self' covers the API (same origin) and, in CSP3, Vite's ws:// on the same host and port.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? 'localhost';
  const [port1, port2] = options.ports ?? [5173, 5174];
  const servers = [createHttpServer(), createHttpServer()];
  // Listen first (port 0 → a free one), so the config knows the real origins.
  // `localhost` binds 127.0.0.1 so both spellings of the origin reach it, whatever /etc/hosts lists first.
  const bindHost = host === 'localhost' ? '127.0.0.1' : host;
  const ports = await Promise.all(servers.map((server, index) => listen(server, index === 0 ? port1 : port2, bindHost)));
  const hosts: [string, ...string[]] = host === 'localhost' || host === '127.0.0.1' ? ['localhost', '127.0.0.1'] : [host];
  const origins = ports.map((port) => hosts.map((name) => `http://${name}:${port}`)) as [string[], string[]];
  // Each server's first origin: the one pages are opened at.
  const urls = ports.map((port) => `http://${hosts[0]}:${port}`) as [string, string];

  const config = resolveConfig(demoConfig(origins, options.streamDelayMs ?? Number(process.env.DEMO_STREAM_DELAY_MS ?? 15)));
  // A real model when WEBMCP_OPENAI_MODEL is set; otherwise the offline planner, which converses over the page's tools.
  const model = agentFromEnv();
  const agent = model ?? plannerAgent();
  const api = createReferenceApi(config, { agent: () => agent });
  const agentName = model?.name ?? 'planner (offline, no model; set WEBMCP_OPENAI_MODEL for a real one)';
  const admin = createDevAdmin(config, { origins: origins.flat(), agentName });
  const apiListener = getRequestListener((request) =>
    new URL(request.url).pathname.startsWith('/__dev/') ? admin.fetch(request) : api.fetch(request),
  );

  const vite: ViteDevServer = await createViteServer({
    root: `${repo}demo`,
    configFile: false,
    appType: 'mpa',
    logLevel: options.quiet ? 'silent' : 'info',
    cacheDir: `${repo}node_modules/.vite-demo`,
    server: { middlewareMode: true, hmr: false, ws: false, cors: false, fs: { allow: [repo] } },
    optimizeDeps: { entries: ['index.html', 'lab.html'], include: ['zod/mini'] },
    build: { rolldownOptions: { input: { store: `${repo}demo/index.html`, lab: `${repo}demo/lab.html` } } },
  });

  let firstPage = true;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    res.setHeader('Content-Security-Policy', csp());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (url.startsWith('/v1/') || url.startsWith('/__dev/')) {
      void apiListener(req, res);
      return;
    }
    if (url.startsWith('/@vite/client')) {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(VITE_CLIENT_STUB);
      return;
    }
    const distFile = DIST_FILE.exec(url)?.[1];
    if (distFile) {
      serveDist(distFile, res);
      return;
    }
    if (firstPage && (url === '/' || url.endsWith('.html'))) {
      firstPage = false;
      res.once('finish', () => {
        if (!options.quiet) console.log(`  first page served ${Math.round(performance.now() - started)} ms after start`);
      });
    }
    vite.middlewares(req, res, () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`Not found: ${url}`);
    });
  };
  for (const server of servers) server.on('request', handle);

  return {
    urls,
    agentName,
    close: async () => {
      await vite.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((done) => {
              server.closeAllConnections();
              server.close(() => done());
            }),
        ),
      );
    },
  };
}

/** The built widget, served from dist/ at the site root, as a storefront would host it. */
function serveDist(file: string, res: ServerResponse): void {
  const path = `${distDir}/${file}`;
  if (!existsSync(path)) {
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`dist/${file} is missing: run \`npm run build\` (npm run demo does it first).`);
    return;
  }
  res.setHeader('content-type', 'text/javascript; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.end(readFileSync(path));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is in use: pass --port/--port2 (or DEMO_PORT/DEMO_PORT_2) to pick others`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.DEMO_PORT ?? '5173' },
      port2: { type: 'string', default: process.env.DEMO_PORT_2 ?? '5174' },
      host: { type: 'string', default: process.env.DEMO_HOST ?? 'localhost' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const demo = await startDemo({ ports: [Number(values.port), Number(values.port2)], host: values.host, quiet: values.quiet });
  const [first, second] = demo.urls;
  console.log(`
  webmcp-chat demo (ready in ${Math.round(performance.now() - started)} ms)
    Storefront      ${first}/
    Allowlist lab   ${first}/lab.html
    Second origin   ${second}/  (token ct_test_narrow is refused here: try it in ${second}/lab.html)
    Agent           ${demo.agentName}
    Tokens          ct_test_demo (both origins), ct_test_strict (search_*, get_cart), ct_test_narrow (${first} only)
`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
