/**
 * Real-browser harness for the built widget: Debian's Chromium driven by
 * playwright-core, a page server whose headers (CSP) the test chooses, the
 * built `dist/` files, and the reference API on another origin.
 */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.mjs';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { resolveConfig, startServer, type RunningServer } from '../../src/server/index.js';
import type { FaultRule } from '../../src/server/faults.js';

const root = resolve(import.meta.dirname, '../..');

/** Builds dist/ once per run when it is missing (npm test builds first anyway). */
export function ensureBuilt(): void {
  if (!existsSync(join(root, 'dist/webmcp-chat.js')) || !existsSync(join(root, 'dist/webmcp-chat-panel.js'))) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  }
}

/**
 * The README's CSP recipe for a storefront: everything from the page's own
 * origin, the agent API for fetches, and Trusted Types enforced. Stricter
 * than the issue's `script-src 'self'; style-src 'self'; require-trusted-types-for 'script'`.
 */
export function strictCsp(apiUrl: string): string {
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${new URL(apiUrl).origin}; require-trusted-types-for 'script'`;
}

export interface Site {
  origin: string;
  /** Paths the browser asked this server for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `pages` (path → HTML or JS) and everything in dist/ at the root,
 * with `headers` on every answer, on a free port of localhost. Both maps are
 * read at request time, so a test may change them after the start.
 */
export async function startSite(pages: Record<string, string>, headers: Record<string, string> = {}): Promise<Site> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push(path);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const page = pages[path];
    const file = join(root, 'dist', path);
    if (page !== undefined) {
      response.setHeader('content-type', path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8');
      response.end(page);
    } else if (path.endsWith('.js') && !path.includes('..') && existsSync(file)) {
      response.setHeader('content-type', 'text/javascript');
      response.end(readFileSync(file));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://localhost:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The reference API with test hooks, allowing the given page origins; `config` overrides server settings (e.g. `rateLimit`). */
export function startApi(
  origins: string[],
  surface: Record<string, unknown> = { webmcp: { enabled: true } },
  config: Record<string, unknown> = {},
): Promise<RunningServer> {
  const resolved = resolveConfig({
    // Every test page connects from 127.0.0.1: one client to the server, so its per-client limit is lifted.
    clientLimit: { requests: 100_000, perSeconds: 60 },
    ...config,
    sessionTtlSeconds: 3600,
    tokens: [{ token: 'ct_test_widget', allowedOrigins: origins, surface: { welcomeMessage: 'Hello from the test shop', ...surface } }],
  });
  return startServer({ port: 0, host: '127.0.0.1', config: resolved, testHooks: true });
}

/** Playwright gives each launch a fresh temporary profile of its own; `flags` add to ours (`--enable-features=WebMCP`). */
export async function launchChromium(flags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...flags],
  });
}

/** Collects `securitypolicyviolation` events and uncaught page errors from the first script on. */
export async function watchPage(page: Page): Promise<{ violations: string[]; errors: string[] }> {
  const seen = { violations: [] as string[], errors: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  await page.exposeFunction('__reportViolation', (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation(text: string): void }).__reportViolation(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return seen;
}

/** A page script registering shop tools through the standard WebMCP API (polyfill loaded first). */
export const SHOP_TOOLS = `
const cart = [];
document.modelContext.registerTool({
  name: 'add_to_cart', description: 'Add a product to the shopping cart',
  inputSchema: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } }, required: ['sku'] },
  execute: async ({ sku, quantity = 1 }) => { cart.push({ sku, quantity }); document.getElementById('badge').textContent = String(cart.length); return { ok: true, items: cart.length }; },
});
document.modelContext.registerTool({
  name: 'get_cart', description: 'Get the shopping cart contents',
  execute: async () => ({ items: cart }),
});
`;

/** What `/__test/log` recorded of one request. */
export interface LoggedRequest {
  at: string;
  endpoint: string;
  status: number;
  sessionId?: string;
  executionId?: string;
  /** The request body as the server got it (the fields these suites read). */
  body?: {
    sessionId?: string;
    messages?: { role: string; content: unknown }[];
    clientTools?: { name: string }[];
    clientToolsFingerprint?: string;
    toolOutputs?: Record<string, unknown>;
  };
  toolOutputs?: Record<string, unknown>;
  replayed?: boolean;
  fault?: string;
}

export interface HookLog {
  requests: LoggedRequest[];
  /** How many times the server accepted each toolCallId's output. */
  acceptedToolOutputs: Record<string, number>;
}

/** The reference API's `/__test/*` hooks: script the model, inject faults, read what the server received. */
export function testHooks(api: RunningServer) {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  };
  return {
    script: (turns: unknown[]) => post('/__test/script', { token: 'ct_test_widget', turns }),
    fault: (rule: FaultRule) => post('/__test/fault', rule),
    reset: () => post('/__test/reset', {}),
    async log(endpoint?: string): Promise<HookLog> {
      const response = await fetch(`${api.url}/__test/log${endpoint ? `?endpoint=${endpoint}` : ''}`);
      return (await response.json()) as HookLog;
    },
  };
}

/**
 * A storefront page with the script-tag widget, open from the start (the
 * panel loads at once), the polyfill and the page's own `scripts`.
 */
export function widgetPage(apiUrl: string, { attributes = '', scripts = ['/tools.js'], body = '<span id="badge">0</span>' } = {}): string {
  return `<!doctype html><html><head><title>Shop</title></head><body>${body}
<script src="/webmcp-polyfill.js"></script>${scripts.map((src) => `<script src="${src}"></script>`).join('')}
<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${apiUrl}" data-open ${attributes}></script>
</body></html>`;
}

/** The open panel as a person uses it; every locator pierces the widget's shadow root. */
export interface OpenChat {
  page: Page;
  seen: { violations: string[]; errors: string[] };
  dialog: Locator;
  /** The transcript (the hidden live region repeats finished answers, so text queries belong here). */
  transcript: Locator;
  composer: Locator;
  /** The error banner (`role="alert"`). */
  alert: Locator;
  /** Types `text` and presses Enter. */
  send(text: string): Promise<void>;
  /** The last assistant bubble's text, once its answer is finished and the composer can send again. */
  finishedAnswer(): Promise<string>;
}

/**
 * Runs in the page: the session is idle with a finished answer last, and the
 * panel has painted it (it renders at most once a frame, so it can lag the
 * state): no banner, the log not busy, an assistant bubble after the last question.
 */
export function answerFinished(): boolean {
  type Message = { role: string; streaming?: boolean };
  const element = document.querySelector('webmcp-chat') as
    | (Element & { session?: { state: { value: { status: string; messages: Message[] } } } })
    | null;
  const state = element?.session?.state.value;
  const last = state?.messages.at(-1);
  if (state?.status !== 'idle' || last?.role !== 'assistant' || last.streaming) return false;
  const root = element!.shadowRoot!;
  const log = root.querySelector('[role=log]')!;
  const question = [...log.querySelectorAll('.wmc-user')].at(-1);
  // The panel paints at most once a frame, so the state can be idle while the typing indicator still shows.
  if (log.querySelector('.wmc-typing')) return false;
  // A long answer is painted over several tasks; it is busy until all of it is shown.
  if (log.querySelector('.wmc-md[aria-busy=true]')) return false;
  const answer = [...log.querySelectorAll('.wmc-assistant:not(.wmc-welcome)')].at(-1);
  const after = !!answer && (!question || !!(question.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING));
  return after && !!answer.textContent?.trim() && log.getAttribute('aria-busy') === 'false' && !root.querySelector('[role=alert]');
}

/** Opens `url` (a `widgetPage`) in a fresh context and waits for the open panel. `beforeLoad` runs before navigation (e.g. to install a fake clock). */
export async function openChat(browser: Browser, url: string, beforeLoad?: (page: Page) => Promise<void>): Promise<OpenChat> {
  const page = await browser.newPage();
  const seen = await watchPage(page);
  await beforeLoad?.(page);
  await page.goto(url);
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const transcript = page.getByRole('log');
  const composer = page.getByRole('textbox');
  const userBubbles = transcript.locator('.wmc-user');
  return {
    page,
    seen,
    dialog,
    transcript,
    composer,
    alert: page.getByRole('alert'),
    async send(text) {
      const before = await userBubbles.count();
      await composer.fill(text);
      await composer.press('Enter');
      // The question is in the transcript, or (a send that failed at once) back in the composer, shown once:
      // from here the turn's status is no longer the one before it.
      await expect.poll(async () => (await userBubbles.count()) === before + 1 || (await composer.inputValue()) === text).toBe(true);
    },
    async finishedAnswer() {
      await expect.poll(() => page.evaluate(answerFinished), { timeout: 15_000 }).toBe(true);
      return (await transcript.locator('.wmc-assistant:not(.wmc-welcome)').last().textContent()) ?? '';
    },
  };
}

/** Everything a browser suite of the built widget runs against. */
export interface Stack {
  browser: Browser;
  api: RunningServer;
  /** The storefront: serves `pages` and dist/ with `headers`, both read at request time. */
  site: Site;
  pages: Record<string, string>;
  headers: Record<string, string>;
  hooks: ReturnType<typeof testHooks>;
  close(): Promise<void>;
}

/** Builds if needed, then starts the storefront, the reference API (`config` overrides its settings) and Chromium. */
export async function startStack(config: Record<string, unknown> = {}): Promise<Stack> {
  ensureBuilt();
  const pages: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const site = await startSite(pages, headers);
  const api = await startApi([site.origin], undefined, config);
  const browser = await launchChromium();
  return {
    browser,
    api,
    site,
    pages,
    headers,
    hooks: testHooks(api),
    async close() {
      await browser.close();
      await api.close();
      await site.close();
    },
  };
}

/** A suite's storefront and the reference API that allows it. */
export interface Storefront {
  site: Site;
  api: RunningServer;
  hooks: ReturnType<typeof testHooks>;
  /** Served by `site`, read at request time. */
  pages: Record<string, string>;
}

/**
 * Starts a storefront and the reference API for the calling suite (before it;
 * closed after it), resets the API's scripts, faults and log before each test,
 * and lets `fill` add the suite's pages once both are up.
 */
export function useStorefront(fill: (shop: Storefront) => void): Storefront {
  const shop = { pages: {} } as Storefront;
  beforeAll(async () => {
    ensureBuilt();
    shop.site = await startSite(shop.pages);
    shop.api = await startApi([shop.site.origin]);
    shop.hooks = testHooks(shop.api);
    fill(shop);
  });
  afterAll(async () => {
    await shop.api?.close();
    await shop.site?.close();
  });
  beforeEach(() => shop.hooks.reset());
  return shop;
}
