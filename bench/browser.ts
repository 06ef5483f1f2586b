/**
 * What the side-by-side browser benchmarks share: one reference API (test
 * hooks on, no stream delay) with a token per widget, a page server per widget
 * (ours: the built dist/ through the integration harness's `startSite`;
 * Persona: its dist/ through `servePersonaPage`), and Chromium from
 * /usr/bin/chromium with the bench flags. Everything listens on 127.0.0.1.
 *
 * Both pages mount the chat inline in the same 420×600 box, with conversation
 * storage kept in memory where the widget lets us choose, and the same page
 * script before the widget (`head`), so whatever a benchmark installs to
 * measure runs identically in both.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer } from '../src/server/index.js';
import { startSite, type Site } from '../test/integration/support.js';
import { CHROMIUM_ARGS, servePersonaPage } from './persona-smoke.js';
import { startBenchServer } from './server.js';

export type Widget = 'ours' | 'persona';
export const WIDGETS: readonly Widget[] = ['ours', 'persona'];
/**
 * The floor: a bare page on our site that reads the same chat stream and appends
 * its text to one element once per animation frame, the least any widget can do.
 */
export type Contender = Widget | 'floor';
export const TOKENS: Record<Contender, string> = { ours: 'ct_bench_ours', persona: 'ct_bench_persona', floor: 'ct_bench_ours' };

export interface PageOptions {
  /** Page script run before the widget loads (measurement hooks, page tools). */
  head?: string;
  /**
   * Install the widget's own WebMCP polyfill in the page: ours dist/webmcp-polyfill.js; Persona the
   * `@mcp-b/webmcp-polyfill` chunk it ships (dist/webmcp-polyfill.js), which its bridge would otherwise
   * only load on its first turn ("producer pages should still install the polyfill themselves").
   */
  polyfill?: boolean;
  /** Persona: turn on its WebMCP bridge, approving every call without a bubble. */
  webmcp?: boolean;
  /** Ours: where the conversation is kept (default memory, as Persona's page does). */
  storage?: 'memory' | 'indexeddb';
  /** Floor only: show the answer as the DOM ours ended with (a markdown floor) instead of as plain text. */
  markdown?: MarkdownFloor;
}

/** A conversation log as a widget left it: its HTML and the stylesheet it was shown with. */
export interface FinalDom {
  html: string;
  css: string;
}

/**
 * A floor that shows the answer as markdown without parsing any: the page
 * holds `dom`, the conversation log ours ended with. `at the end`: nothing on
 * screen while the stream runs, then that log once. `as it streams`: the
 * log's user message and an empty answer at Enter, then, once per frame, the
 * answer's next top-level blocks whose text has arrived (counted generously:
 * markdown source characters against shown text). A widget that shows the
 * same answer at the stream's pace does this work and parses the markdown too.
 */
export interface MarkdownFloor {
  dom: FinalDom;
  shown: 'at the end' | 'as it streams';
}

export interface Rig {
  api: RunningServer;
  browser: Browser;
  /** A fresh context and page with the widget mounted and its composer ready. */
  open(widget: Contender, options?: PageOptions): Promise<{ context: BrowserContext; page: Page; origin: string }>;
  /** Queues one scripted run for the widget's token (POST /__test/script). */
  script(widget: Contender, turns: unknown[]): Promise<void>;
  close(): Promise<void>;
}

function oursPage(apiUrl: string, options: PageOptions): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<script>${options.head ?? ''}</script>
${options.polyfill ? '<script src="/webmcp-polyfill.js"></script>' : ''}
</head><body>
<div id="chat" style="height: 600px; width: 420px"><webmcp-chat inline client-token="${TOKENS.ours}" api-url="${apiUrl}" storage="${options.storage ?? 'memory'}"></webmcp-chat></div>
<script src="/webmcp-chat.js"></script>
</body></html>`;
}

function personaPage(apiUrl: string, options: PageOptions): string {
  const config = {
    apiUrl,
    clientToken: TOKENS.persona,
    launcher: { enabled: false },
    ...(options.webmcp && { webmcp: { enabled: true } }),
  };
  // autoApprove is a function, so it is spliced in after JSON.stringify.
  const configJs = options.webmcp
    ? JSON.stringify(config).replace(/"webmcp":\{"enabled":true\}/, '"webmcp":{"enabled":true,"autoApprove":()=>true}')
    : JSON.stringify(config);
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<script>${options.head ?? ''}</script>
${options.polyfill ? `<script type="module">import { initializeWebMCPPolyfill } from '/persona/webmcp-polyfill.js'; initializeWebMCPPolyfill();</script>` : ''}
<link rel="stylesheet" href="/persona/widget.css">
<script src="/persona/index.global.js"></script>
</head><body>
<div id="chat" style="height: 600px; width: 420px"></div>
<script>window.personaController = AgentWidget.createAgentExperience(document.getElementById('chat'), ${configJs});</script>
</body></html>`;
}

/** A string as a JavaScript literal that cannot end the <script> element it sits in. */
const scriptString = (text: string) => JSON.stringify(text).replaceAll('<', '\\u003c');

function floorPage(apiUrl: string, options: PageOptions): string {
  const markdown = options.markdown;
  // Plain: the text appended to one element once per frame. Markdown: the final log parsed with
  // DOMParser (this page is the bench's own, not a widget's way in) and moved into place.
  const show = markdown
    ? `const stylesheet = document.head.appendChild(document.createElement('style'));
stylesheet.textContent = ${scriptString(markdown.dom.css)};
const log = document.getElementById('out');
const streamed = ${markdown.shown === 'as it streams'};
const parse = () => new DOMParser().parseFromString(${scriptString(markdown.dom.html)}, 'text/html').body.firstElementChild;
let answer;
let blocks = [];
let received = 0;
let shown = 0;
let scheduled = false;
const reveal = (all) => {
  scheduled = false;
  while (blocks.length && (all || shown + blocks[0].textContent.length <= received)) {
    shown += blocks[0].textContent.length;
    answer.append(blocks.shift());
  }
  log.scrollTop = log.scrollHeight;
};
const onStart = () => {
  if (!streamed) return;
  const parsed = parse();
  answer = [...parsed.querySelectorAll('.wmc-md')].at(-1);
  blocks = [...answer.children];
  answer.replaceChildren();
  log.append(...parsed.childNodes);
};
const onDelta = (delta) => {
  received += delta.length;
  if (streamed && !scheduled) { scheduled = true; requestAnimationFrame(() => reveal(false)); }
};
const onEnd = () => {
  if (streamed) return reveal(true);
  log.append(...parse().childNodes);
  log.scrollTop = log.scrollHeight;
};`
    : `const text = document.getElementById('out').appendChild(document.createTextNode(''));
let pending = '';
let scheduled = false;
const paint = () => { scheduled = false; text.appendData(pending); pending = ''; };
const onStart = () => {};
const onDelta = (delta) => { pending += delta; if (!scheduled) { scheduled = true; requestAnimationFrame(paint); } };
const onEnd = () => {};`;
  const box = markdown
    ? '<div id="chat" class="wmc-root wmc-inline" style="height: 600px; width: 420px; display: flex; flex-direction: column"><div id="out" class="wmc-log"></div>'
    : `<div id="chat" style="height: 600px; width: 420px; display: flex; flex-direction: column">
<div style="flex: 1; overflow-y: auto; white-space: pre-wrap; overflow-wrap: anywhere; font: 15px/1.45 system-ui"><div id="out"></div></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench floor</title>
<script>${options.head ?? ''}</script>
</head><body>
${box}
<textarea></textarea></div>
<script>
const api = ${JSON.stringify(apiUrl)};
const post = (path, body) => fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const session = post('/v1/client/init', { token: ${JSON.stringify(TOKENS.floor)} }).then((r) => r.json());
${show}
document.querySelector('textarea').addEventListener('keydown', async (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  onStart();
  const { sessionId } = await session;
  const response = await post('/v1/client/chat', { sessionId, messages: [{ role: 'user', content: event.target.value }] });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let at = buffer.indexOf('\\n\\n'); at >= 0; at = buffer.indexOf('\\n\\n')) {
      const data = buffer.slice(0, at).split('\\n').find((line) => line.startsWith('data:'));
      buffer = buffer.slice(at + 2);
      if (!data) continue;
      const event = JSON.parse(data.slice(5));
      if (event.type === 'text_delta') onDelta(event.delta);
    }
  }
  onEnd();
});
</script>
</body></html>`;
}

/** The element whose text shows the conversation (ours lives in a shadow root). */
export const TEXT_ROOT_JS = `(() => { const host = document.querySelector('webmcp-chat'); return host ? host.shadowRoot : document.getElementById('chat'); })`;

/** `streamDelayMs`: the server's pause between frames (0: a firehose; 10: about 100 tokens/s). */
export async function startRig({ native = false, streamDelayMs = 0 } = {}): Promise<Rig> {
  const oursPages: Record<string, string> = {};
  const site: Site = await startSite(oursPages);
  let personaHtml = '';
  const persona = await servePersonaPage(() => personaHtml);
  const api = await startBenchServer(
    {
      streamDelayMs,
      maxBodyBytes: 8 * 1024 * 1024,
      tokens: [
        { token: TOKENS.ours, allowedOrigins: [site.origin], surface: { webmcp: { enabled: true } } },
        { token: TOKENS.persona, allowedOrigins: [persona.origin], surface: { webmcp: { enabled: true } } },
      ],
    },
    { testHooks: true },
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(native ? ['--enable-features=WebMCP'] : [])],
  });

  return {
    api,
    browser,
    async open(widget, options = {}) {
      const context = await browser.newContext({ viewport: { width: 800, height: 700 } });
      const page = await context.newPage();
      let origin = site.origin;
      let path = '/';
      if (widget === 'ours') oursPages['/'] = oursPage(api.url, options);
      else if (widget === 'floor') {
        path = '/floor';
        oursPages[path] = floorPage(api.url, options);
      } else {
        personaHtml = personaPage(api.url, options);
        origin = persona.origin;
      }
      // networkidle: Persona's lazy markdown chunk (and polyfill) have arrived before we measure.
      await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      await page.locator('textarea').first().waitFor();
      return { context, page, origin };
    },
    async script(widget, turns) {
      const response = await fetch(`${api.url}/__test/script`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: TOKENS[widget], turns }),
      });
      if (response.status !== 200) throw new Error(`/__test/script answered ${response.status}: ${await response.text()}`);
    },
    async close() {
      await browser.close();
      await api.close();
      await site.close();
      await new Promise<void>((done) => persona.server.close(() => done()));
    },
  };
}

/** Types into the widget's composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.locator('textarea').first();
  await input.fill(text);
  await input.press('Enter');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
