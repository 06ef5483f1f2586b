/**
 * Groundwork for the side-by-side benchmarks: mounts @runtypelabs/persona
 * (its IIFE build, `window.AgentWidget`) in a page on one loopback origin,
 * pointed at our reference API on another with a client token, and completes
 * one plain text turn in Chromium (/usr/bin/chromium, never a downloaded one).
 * Prints what the server received, so the protocol fit is visible.
 *
 *   npx tsx bench/persona-smoke.ts
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { resolveConfig, startServer } from '../src/server/index.js';

const PERSONA_DIST = resolve(import.meta.dirname, '../node_modules/@runtypelabs/persona/dist');
export const PERSONA_TOKEN = 'ct_bench_persona';
/** The flags every bench launch uses (add `--enable-features=WebMCP` for native WebMCP). */
import { CHROMIUM_ARGS } from '../test/support/chromium.mjs';

export { CHROMIUM_ARGS };

/** The page: Persona's CSS and IIFE, mounted inline with the API URL and client token. */
export function personaPage(apiUrl: string, clientToken: string): string {
  const config = { apiUrl, clientToken, launcher: { enabled: false } };
  return `<!doctype html>
<html>
  <head>
    <meta charset="utf-8">
    <link rel="stylesheet" href="/persona/widget.css">
    <script src="/persona/index.global.js"></script>
  </head>
  <body>
    <div id="chat" style="height: 600px; width: 420px"></div>
    <script>
      window.personaController = AgentWidget.createAgentExperience(document.getElementById('chat'), ${JSON.stringify(config)});
    </script>
  </body>
</html>`;
}

/** Serves the page and Persona's dist/ on 127.0.0.1. */
export async function servePersonaPage(page: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
      return;
    }
    const file = path.startsWith('/persona/') ? join(PERSONA_DIST, path.slice('/persona/'.length)) : undefined;
    if (!file?.startsWith(PERSONA_DIST)) return void response.writeHead(404).end();
    try {
      const body = await readFile(file);
      const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface PersonaSmokeResult {
  answered: boolean;
  shownText: string;
  requests: { method: string; endpoint: string; status: number; headers?: string }[];
  chatBodyKeys: string[];
  /** Request headers the page sent to the API (what CORS must allow). */
  headersSent: string[];
}

export async function personaSmoke(reply = 'Hello from the reference API.'): Promise<PersonaSmokeResult> {
  let apiUrl = '';
  const page = await servePersonaPage(() => personaPage(apiUrl, PERSONA_TOKEN));
  const api = await startServer({
    port: 0,
    host: '127.0.0.1',
    testHooks: true,
    config: resolveConfig({
      streamDelayMs: 0,
      tokens: [{ token: PERSONA_TOKEN, allowedOrigins: [page.origin], surface: { webmcp: { enabled: true } } }],
    }),
  });
  apiUrl = api.url;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Playwright gives each launch a fresh temporary profile of its own.
    args: [...CHROMIUM_ARGS],
  });
  try {
    await fetch(`${apiUrl}/__test/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: PERSONA_TOKEN, turns: [[{ text: reply.split(/(?<= )/) }]] }),
    });
    const tab = await browser.newPage();
    const sentHeaders = new Set<string>();
    tab.on('request', (request) => {
      if (request.url().startsWith(apiUrl)) for (const name of Object.keys(request.headers())) sentHeaders.add(name);
    });
    await tab.goto(`${page.origin}/`);
    const input = tab.locator('textarea').first();
    await input.fill('hello');
    await input.press('Enter');
    let answered = true;
    await tab
      .getByText(reply)
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => (answered = false));
    const shownText = (await tab.locator('#chat').innerText()).slice(0, 2000);
    const log = (await (await fetch(`${apiUrl}/__test/log`)).json()) as {
      requests: { method: string; endpoint: string; status: number; body?: Record<string, unknown> }[];
    };
    const chat = log.requests.find((request) => request.endpoint === 'chat');
    return {
      answered,
      shownText,
      requests: log.requests.map(({ method, endpoint, status }) => ({ method, endpoint, status })),
      chatBodyKeys: Object.keys(chat?.body ?? {}),
      headersSent: [...sentHeaders].sort(),
    };
  } finally {
    await browser.close();
    await api.close();
    page.server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await personaSmoke();
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.answered ? 0 : 1);
}
