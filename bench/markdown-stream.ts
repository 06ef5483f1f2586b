/**
 * A 20,000-token markdown answer streamed into each widget in Chromium, from
 * the same reference API and the same scripted turn (20,000 `text_delta`
 * frames, no delay between them), one fresh browser context per run, and
 * into three bare pages that mark what showing it costs at least (the floors, see
 * `FirehoseContender`).
 *
 * Per run, between the Enter that sends the message and the paint that shows
 * the answer's last token:
 * - mainThreadMs: the renderer main thread's busy time (CDP
 *   `Performance.getMetrics` TaskDuration, after minus before);
 * - longestTaskMs: the longest top-level task on the page's renderer main
 *   thread (a Chromium trace, category `toplevel`, over the same window);
 * - cpuMs: the same tasks' thread CPU time, summed: unlike mainThreadMs it
 *   does not grow while a loaded machine keeps the thread waiting for a core;
 * - lastFrameToPaintMs: from the moment the last byte of the chat stream
 *   reached the browser (the chat fetch's Resource Timing `responseEnd`) to the
 *   end of the first frame whose DOM holds the last token (a rAF that sees the
 *   text, then a message-channel task after that frame's rendering);
 * - streamWallMs / toPaintMs: Enter → `responseEnd`, Enter → that paint.
 * The in-page probe is identical for both widgets and costs nothing while the
 * stream runs: each frame it only asks Resource Timing whether the chat
 * response has ended, and reads the conversation's text only after it has.
 */
import { pathToFileURL } from 'node:url';
import { median, round, send, startRig, TEXT_ROOT_JS, type Contender, type FinalDom, type PageOptions, type Rig } from './browser.js';

const MARKER = 'ZQXENDMARK';

/** A markdown document cut into `tokens` model-sized deltas; the last is the marker. */
export function markdownDeltas(tokens = 20_000): string[] {
  const words = [
    'the',
    'widget',
    'renders',
    'streamed',
    'markdown',
    'while',
    'tokens',
    'arrive',
    'quickly',
    'and',
    'paints',
    'each',
    'frame',
  ];
  const word = (i: number) => words[(i * 7) % words.length]!;
  const blocks: string[] = [];
  for (let section = 0; blocks.join('').length < tokens * 6; section++) {
    blocks.push(`## Section ${section + 1}: streaming notes\n\n`);
    blocks.push(
      `${Array.from({ length: 40 }, (_, i) => (i % 9 === 3 ? `**${word(i + section)}**` : i % 11 === 5 ? `\`${word(i)}()\`` : i % 13 === 7 ? `[${word(i)}](https://example.com/${section}/${i})` : i % 5 === 1 ? `*${word(i)}*` : word(i + section))).join(' ')}.\n\n`,
    );
    blocks.push(`${Array.from({ length: 5 }, (_, i) => `- item ${i + 1}: ${word(i)} ${word(i + 1)} **${word(i + 2)}**\n`).join('')}\n`);
    blocks.push(`${Array.from({ length: 3 }, (_, i) => `${i + 1}. step ${word(i + section)} with \`code_${i}\`\n`).join('')}\n`);
    if (section % 3 === 0)
      blocks.push('```ts\nconst total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log(total);\n```\n\n');
    if (section % 4 === 1) blocks.push('| name | price |\n|---|---|\n| lamp | 12 |\n| desk | 90 |\n\n');
    blocks.push(`> ${word(section)} ${word(section + 1)} ${word(section + 2)} quoted.\n\n`);
  }
  // Model-like tokens: a word with its leading space, markup split off, long words in 4-char pieces.
  const pieces = blocks.join('').match(/\s*[A-Za-z0-9_]{1,4}|\s*[^A-Za-z0-9_\s]|\s+/g)!;
  const deltas = pieces.slice(0, tokens - 1);
  deltas.push(` ${MARKER}`);
  return deltas;
}

/** Installed before the widget: marks Enter, then watches frames for the end of the stream and its paint. */
const PROBE = `
window.__bench = { sentAt: undefined, chatEnd: undefined, paintAt: undefined };
addEventListener('keydown', (event) => {
  const b = window.__bench;
  if (event.key !== 'Enter' || b.sentAt !== undefined) return;
  b.sentAt = performance.now();
  const root = ${TEXT_ROOT_JS};
  const frame = () => {
    if (b.chatEnd === undefined) {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/v1/client/chat') && e.startTime >= b.sentAt - 50);
      if (entry && entry.responseEnd > 0) b.chatEnd = entry.responseEnd;
    }
    if (b.chatEnd !== undefined && root().textContent.includes('${MARKER}')) {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { b.paintAt = performance.now(); window.__benchDone(); };
      channel.port2.postMessage(0);
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}, true);
`;

export interface StreamRun {
  mainThreadMs: number;
  scriptMs: number;
  longestTaskMs: number;
  cpuMs: number;
  lastFrameToPaintMs: number;
  streamWallMs: number;
  toPaintMs: number;
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string; data?: { frames?: { processId: number; url: string }[] } };
}

/** Longest top-level task on the page's renderer main thread, and the CPU time of all of them, in ms. */
function mainThreadTasks(trace: Buffer, origin: string): { longestTaskMs: number; cpuMs: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const pids = new Set<number>();
  for (const event of events) {
    for (const frame of event.args?.data?.frames ?? []) if (frame.url.startsWith(origin)) pids.add(frame.processId);
  }
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && (pids.size === 0 || pids.has(e.pid)))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let longest = 0;
  let cpu = 0;
  for (const event of events) {
    if (event.ph !== 'X' || !event.cat.includes('toplevel') || !mains.has(`${event.pid}:${event.tid}`)) continue;
    longest = Math.max(longest, (event.dur ?? 0) / 1000);
    cpu += (event.tdur ?? 0) / 1000;
  }
  return { longestTaskMs: longest, cpuMs: cpu };
}

/** Ours' conversation log as the stream left it, with the stylesheets of its shadow root. */
const FINAL_DOM_JS = `(() => {
  const root = (${TEXT_ROOT_JS})();
  const css = root.adoptedStyleSheets.map((sheet) => [...sheet.cssRules].map((rule) => rule.cssText).join('\\n')).join('\\n');
  return { html: root.querySelector('.wmc-log').outerHTML, css };
})()`;

interface RunOptions {
  /** Throw unless the answer shows as markdown (strong, li, table elements). */
  markdown?: boolean;
  page?: PageOptions;
  /** Ours: handed the final conversation log once the last token has painted. */
  keepDom?: (dom: FinalDom) => void;
}

async function runOnce(
  rig: Rig,
  widget: Contender,
  deltas: string[],
  { markdown = true, page: pageOptions, keepDom }: RunOptions = {},
): Promise<StreamRun> {
  const { context, page, origin } = await rig.open(widget, { ...pageOptions, head: PROBE });
  try {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await page.exposeFunction('__benchDone', () => done());
    await rig.script(widget, [[{ text: deltas }]]);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () =>
      Object.fromEntries(
        ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [
          m.name,
          m.value,
        ]),
      );
    await rig.browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', '__metadata'] });
    const before = await metrics();
    await send(page, 'write the long answer');
    await Promise.race([
      finished,
      page.waitForTimeout(90_000).then(() => Promise.reject(new Error(`${widget}: the last token never painted`))),
    ]);
    const after = await metrics();
    const trace = await rig.browser.stopTracing();
    const probe = (await page.evaluate('window.__bench')) as { sentAt: number; chatEnd: number; paintAt: number };
    // Rendered as markdown, not as escaped text: the answer has bold words, list items and a table.
    const elements = (await page.evaluate(`(${TEXT_ROOT_JS})().querySelectorAll('strong, li, table').length`)) as number;
    if (markdown && elements < 10)
      throw new Error(`${widget}: the answer was not rendered as markdown (${elements} strong/li/table elements)`);
    if (keepDom) keepDom((await page.evaluate(FINAL_DOM_JS)) as FinalDom);
    return {
      mainThreadMs: (after.TaskDuration! - before.TaskDuration!) * 1000,
      scriptMs: (after.ScriptDuration! - before.ScriptDuration!) * 1000,
      ...mainThreadTasks(trace, origin),
      lastFrameToPaintMs: probe.paintAt - probe.chatEnd,
      streamWallMs: probe.chatEnd - probe.sentAt,
      toPaintMs: probe.paintAt - probe.sentAt,
    };
  } finally {
    await context.close();
  }
}

/**
 * Beside the widgets, three floors read the same stream on a bare page the
 * simplest way (browser.ts):
 * - floor: appends the answer's text to one element once per frame (what the
 *   paced benchmarks call the floor);
 * - markdownOnce: nothing on screen while the stream runs, then the
 *   conversation log ours ended with (its HTML and stylesheet), once;
 * - markdownStreamed: that log's blocks put on screen once per frame as their
 *   text arrives, at the stream's pace. Neither parses any markdown: a
 *   widget that shows this answer the same way does their work and more.
 */
type FirehoseContender = 'ours' | 'persona' | 'floor' | 'markdownOnce' | 'markdownStreamed';

export interface MarkdownStreamResult {
  tokens: number;
  runs: number;
  /** Medians per contender. */
  ours: StreamRun;
  persona: StreamRun;
  floor: StreamRun;
  markdownOnce: StreamRun;
  markdownStreamed: StreamRun;
  all: Record<FirehoseContender, StreamRun[]>;
}

export async function benchMarkdownStream({ tokens = 20_000, runs = 3 } = {}): Promise<MarkdownStreamResult> {
  const deltas = markdownDeltas(tokens);
  const rig = await startRig();
  const all: Record<FirehoseContender, StreamRun[]> = { ours: [], persona: [], floor: [], markdownOnce: [], markdownStreamed: [] };
  try {
    await runOnce(rig, 'ours', deltas.slice(0, 500).concat(deltas.at(-1)!)); // warm the browser and server once
    for (let i = 0; i < runs; i++) {
      let finalDom: FinalDom | undefined;
      all.ours.push(await runOnce(rig, 'ours', deltas, { keepDom: (dom) => (finalDom = dom) }));
      all.persona.push(await runOnce(rig, 'persona', deltas));
      all.floor.push(await runOnce(rig, 'floor', deltas, { markdown: false }));
      if (!finalDom) throw new Error('ours: no conversation log to hand the markdown floors');
      const dom = finalDom;
      all.markdownOnce.push(await runOnce(rig, 'floor', deltas, { page: { markdown: { dom, shown: 'at the end' } } }));
      all.markdownStreamed.push(await runOnce(rig, 'floor', deltas, { page: { markdown: { dom, shown: 'as it streams' } } }));
    }
  } finally {
    await rig.close();
  }
  const medians = (list: StreamRun[]): StreamRun =>
    Object.fromEntries(
      Object.keys(list[0]!).map((key) => [key, round(median(list.map((run) => run[key as keyof StreamRun])))]),
    ) as unknown as StreamRun;
  return {
    tokens,
    runs,
    ours: medians(all.ours),
    persona: medians(all.persona),
    floor: medians(all.floor),
    markdownOnce: medians(all.markdownOnce),
    markdownStreamed: medians(all.markdownStreamed),
    all,
  };
}

/** Pathological answers, each one line, streamed in 64-character deltas (the last is the end marker). */
export const PATHOLOGICAL: Record<string, (bytes: number) => string> = {
  'one line of <img> markup': (bytes) =>
    '<img src="https://shop.example/p.png" alt="a product" onerror="x()"> '.repeat(Math.ceil(bytes / 70)).slice(0, bytes),
  'one line of plain text': (bytes) => 'x'.repeat(bytes),
};

export interface PathologicalRun {
  answer: string;
  kib: number;
  longestTaskMs: number;
  mainThreadMs: number;
  toPaintMs: number;
}

/** Ours only (Persona's figures for these are not in the issue): one run per answer and size. */
export async function benchPathological(
  cases: [string, number][] = [
    ['one line of <img> markup', 128],
    ['one line of <img> markup', 256],
    ['one line of <img> markup', 1024],
    ['one line of plain text', 1024],
  ],
): Promise<PathologicalRun[]> {
  const rig = await startRig();
  const rows: PathologicalRun[] = [];
  try {
    for (const [answer, kib] of cases) {
      const text = PATHOLOGICAL[answer]!(kib * 1024);
      const deltas = text.match(/[\s\S]{1,64}/g)!;
      deltas.push(` ${MARKER}`);
      const run = await runOnce(rig, 'ours', deltas, { markdown: false });
      rows.push({
        answer,
        kib,
        longestTaskMs: round(run.longestTaskMs),
        mainThreadMs: round(run.mainThreadMs),
        toPaintMs: round(run.toPaintMs),
      });
    }
  } finally {
    await rig.close();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'pathological') {
  console.table(await benchPathological());
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2]) || 3;
  const result = await benchMarkdownStream({ runs });
  console.table({
    ours: result.ours,
    persona: result.persona,
    floor: result.floor,
    markdownOnce: result.markdownOnce,
    markdownStreamed: result.markdownStreamed,
  });
}
