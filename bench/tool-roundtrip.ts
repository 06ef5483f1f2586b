/**
 * await → resume overhead with 50 page tools registered, ours and Persona's,
 * in Chromium against the reference API. Each turn the scripted model calls
 * one of the 50 tools (`tool_25`, trivial body); the widget snapshots the
 * page's tools, runs the call and posts the result to /v1/client/resume.
 *
 * Measured in the page, from Resource Timing, identically for both widgets:
 * - awaitToResumeMs: the chat stream's `responseEnd` (its last frame is the
 *   `await`; the server closes the stream right after it) to the resume
 *   fetch's `startTime` (the moment the widget called fetch);
 * - awaitToExecuteMs: the same start to the tool's `execute` being entered;
 * - ownPathMs (ours): from the moment the page decoded the chunk holding the
 *   `await` frame (TextDecoder.decode, watched from the page) to `execute`:
 *   the widget's own work, without the wait for the network and the event loop.
 * Turn 1 (first snapshot, Persona's lazy polyfill already loaded) is reported
 * apart; the figure is the median of the turns after it.
 *
 * Tools come from the page's `document.modelContext`: ours with our polyfill
 * (dist/webmcp-polyfill.js), Persona with the polyfill it installs itself
 * (`webmcp: { enabled: true, autoApprove: () => true }`, so no approval
 * bubble), or native WebMCP for both with `native: true`.
 */
import { pathToFileURL } from 'node:url';
import { median, round, send, startRig, WIDGETS, type Rig, type Widget } from './browser.js';

export const TOOL_COUNT = 50;

/** Registers 50 tools as soon as document.modelContext exists (Persona installs its polyfill after load). */
export function toolsScript(count = TOOL_COUNT): string {
  return `
window.__calls = [];
window.__awaitReads = [];
(function watchDecode() {
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (...args) {
    const text = decode.apply(this, args);
    if (text.includes('event: await')) window.__awaitReads.push(performance.now());
    return text;
  };
})();
(function register() {
  if (!document.modelContext) return void setTimeout(register, 5);
  for (let i = 0; i < ${count}; i++) {
    document.modelContext.registerTool({
      name: 'tool_' + i,
      description: 'Bench tool number ' + i + ': looks up products by keyword and returns a short list',
      inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1 } }, required: ['query'] },
      // A lookup says so: on native these register before our script can watch, and an unseen tool that does not say it is read-only waits for approval.
      annotations: { readOnlyHint: true },
      execute: async (args) => { window.__calls.push(performance.now()); return { ok: true, tool: i, args }; },
    });
  }
  window.__toolsReady = true;
})();`;
}

interface Turn {
  awaitToResumeMs: number;
  awaitToExecuteMs: number;
  ownPathMs?: number;
}

export interface RoundtripResult {
  widget: Widget;
  storage: 'memory' | 'indexeddb';
  ok: boolean;
  error?: string;
  turns: number;
  firstTurn?: Turn;
  /** Medians of turns 2..n. */
  median?: Turn;
}

async function measure(rig: Rig, widget: Widget, turns: number, storage: 'memory' | 'indexeddb'): Promise<RoundtripResult> {
  const { context, page } = await rig.open(widget, { head: toolsScript(), polyfill: true, webmcp: true, storage });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.waitForFunction('window.__toolsReady === true', null, { timeout: 10_000 });
    const results: Turn[] = [];
    for (let turn = 1; turn <= turns; turn++) {
      await rig.script(widget, [[{ toolCall: { name: 'tool_25', arguments: { query: `lamp ${turn}`, limit: 3 } } }], `Found it ${turn}.`]);
      await send(page, `find lamp ${turn}`);
      try {
        await page.waitForFunction(
          (n) =>
            performance
              .getEntriesByType('resource')
              .filter((e) => e.name.endsWith('/v1/client/resume') && (e as PerformanceResourceTiming).responseEnd > 0).length >= n,
          turn,
          { timeout: 10_000 },
        );
      } catch {
        const log = (await (await fetch(`${rig.api.url}/__test/log`)).json()) as { requests: { endpoint: string; status: number }[] };
        const shown = (await page.locator('#chat').innerText()).slice(-300).replace(/\s+/g, ' ');
        throw new Error(
          `no resume after the await (turn ${turn}); server saw ${log.requests.map((r) => `${r.endpoint} ${r.status}`).join(', ')}; page errors: ${errors.join(' | ') || 'none'}; the panel shows: "${shown}"`,
        );
      }
      await page.locator('#chat').getByText(`Found it ${turn}.`).first().waitFor({ timeout: 15_000 });
      const timing = await page.evaluate((n) => {
        const chats = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.endsWith('/v1/client/chat')) as PerformanceResourceTiming[];
        const resumes = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/v1/client/resume'));
        const chatEnd = chats[n - 1]!.responseEnd;
        const { __calls: calls, __awaitReads: reads } = window as unknown as { __calls: number[]; __awaitReads: number[] };
        // Only where the widget decodes with TextDecoder.decode (ours); another may decode elsewhere.
        const read = reads.length === n ? reads[n - 1] : undefined;
        return {
          awaitToResumeMs: resumes[n - 1]!.startTime - chatEnd,
          awaitToExecuteMs: calls[n - 1]! - chatEnd,
          ...(read !== undefined && { ownPathMs: calls[n - 1]! - read }),
        };
      }, turn);
      results.push(timing);
    }
    const [first, ...rest] = results;
    const med = (key: keyof Turn) => round(median(rest.map((r) => r[key] ?? Number.NaN)), 2);
    const own = rest.every((r) => r.ownPathMs !== undefined);
    return {
      widget,
      storage,
      ok: true,
      turns,
      firstTurn: {
        awaitToResumeMs: round(first!.awaitToResumeMs, 2),
        awaitToExecuteMs: round(first!.awaitToExecuteMs, 2),
        ...(first!.ownPathMs !== undefined && { ownPathMs: round(first!.ownPathMs, 2) }),
      },
      median: {
        awaitToResumeMs: med('awaitToResumeMs'),
        awaitToExecuteMs: med('awaitToExecuteMs'),
        ...(own && { ownPathMs: med('ownPathMs') }),
      },
    };
  } catch (error) {
    return { widget, storage, ok: false, turns, error: (error as Error).message };
  } finally {
    await context.close();
  }
}

/** Ours with both storages (the goal is set with IndexedDB), Persona as it comes. */
export async function benchToolRoundtrip({ turns = 9, native = false, widgets = WIDGETS } = {}): Promise<RoundtripResult[]> {
  const rig = await startRig({ native });
  try {
    const results: RoundtripResult[] = [];
    for (const widget of widgets) {
      for (const storage of widget === 'ours' ? (['memory', 'indexeddb'] as const) : (['memory'] as const)) {
        await fetch(`${rig.api.url}/__test/reset`, { method: 'POST' });
        results.push(await measure(rig, widget, turns, storage));
      }
    }
    return results;
  } finally {
    await rig.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const native = process.argv.includes('--native');
  const widgets: readonly Widget[] = process.argv.includes('--ours') ? ['ours'] : WIDGETS;
  for (const result of await benchToolRoundtrip({ native, widgets, turns: 15 })) console.log(JSON.stringify(result));
}
