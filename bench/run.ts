/**
 * `npm run bench`: builds dist/, runs every benchmark once, prints a table per
 * benchmark and a summary of ratios (ours ÷ Persona, our reader ÷ bare
 * eventsource-parser), and writes bench/results/latest.json.
 * Everything runs on 127.0.0.1; Chromium is /usr/bin/chromium (CHROMIUM_PATH).
 *
 *   npm run bench                 # all of it (about 20 minutes on 2 cores: the 10,000-token paced stream alone is 8+)
 *   BENCH_LONG_TOKENS=2000 npm run bench   # a shorter long paced stream, for a quick look
 *   BENCH_RUNS=5 npm run bench    # more markdown-stream runs per widget (default 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchLoad } from './load.js';
import { benchMarkdownStream, benchPathological } from './markdown-stream.js';
import { benchPaced, type PacedRun } from './paced.js';
import { benchReader } from './reader.js';
import { benchServer } from './server.js';
import { benchSizes, codeAlone, panelBreakdown, SIZE_BUDGET } from './sizes.js';
import { benchSnapshot } from './snapshot.js';
import { benchSoak } from './soak.js';
import { benchToolRoundtrip } from './tool-roundtrip.js';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : Math.round((a / b) * 1000) / 1000;

function heading(title: string): void {
  console.log(`\n## ${title}  (${elapsed()})`);
}

console.log('building dist/ …');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });

heading('Bundle sizes (bytes; gzip -9 per file)');
const sizes = await benchSizes();
const sizeTable: Record<string, Record<string, number | undefined>> = {};
for (const row of sizes) {
  const entry = sizeTable[row.what] ?? {};
  sizeTable[row.what] = entry;
  entry[`${row.widget} raw`] = row.rawBytes;
  entry[`${row.widget} gzip`] = row.gzipBytes;
}
for (const entry of Object.values(sizeTable)) entry['gzip ours/persona'] = ratio(entry['ours gzip'], entry['persona gzip']);
console.table(sizeTable);
const breakdown = await panelBreakdown();
const sizesCodeAlone = codeAlone();
console.log(
  `budget: widget total ${sizeTable['script tag: total']?.['ours gzip']} of ${SIZE_BUDGET.total} B gzip; ` +
    `before first open ${sizeTable['script tag: before first open']?.['ours gzip']} of ${SIZE_BUDGET.beforeFirstOpen} B gzip`,
);
console.log(`the panel (${breakdown.gzipBytes} B gzip) by module, gzip attributed by share of minified bytes:`);
console.table(breakdown.modules.filter((m) => m.gzipBytes >= 100));

heading('Stream reader vs bare eventsource-parser (20,000 text_delta frames, Node; ratios: median of 15 paired rounds)');
const reader = await benchReader();
console.table(reader);

const runs = Number(process.env.BENCH_RUNS) || 3;
heading(`20,000-token markdown stream in Chromium (median of ${runs} runs; ms)`);
const stream = await benchMarkdownStream({ runs });
console.table({
  ours: stream.ours,
  persona: stream.persona,
  floor: stream.floor,
  markdownOnce: stream.markdownOnce,
  markdownStreamed: stream.markdownStreamed,
});

heading('Paced: 2,000 tokens at 100/s, one page after another (busy = main-thread time ÷ wall time; ms per frame)');
const pacedShort = await benchPaced({ tokens: 2000, perSecond: 100 });
console.table(pacedShort);

heading('Paced: 10,000 tokens at 20/s, the three pages side by side (over eight minutes)');
const pacedLong = await benchPaced({ tokens: Number(process.env.BENCH_LONG_TOKENS) || 10_000, perSecond: 20, together: true });
console.table(pacedLong);

heading('Pathological one-line answers in Chromium (ours; 64-char deltas, no delay)');
const pathological = await benchPathological();
console.table(pathological);

heading('await → resume with 50 page tools, polyfill (ms; median of turns 2–9)');
const roundtrip = await benchToolRoundtrip();
heading('await → resume with 50 page tools, native WebMCP (ms; median of turns 2–9)');
const roundtripNative = await benchToolRoundtrip({ native: true });
const roundtripTable = (rows: typeof roundtrip) =>
  Object.fromEntries(
    rows.map((r) => [
      `${r.widget} (${r.storage})`,
      r.ok
        ? {
            'await→resume': r.median!.awaitToResumeMs,
            'await→execute': r.median!.awaitToExecuteMs,
            'own path (await read→execute)': r.median!.ownPathMs ?? '—',
            'turn 1 await→resume': r.firstTurn!.awaitToResumeMs,
          }
        : { error: r.error!.slice(0, 160) },
    ]),
  );
console.log('polyfill:');
console.table(roundtripTable(roundtrip));
console.log('native:');
console.table(roundtripTable(roundtripNative));

heading('bridge.snapshot() with 50 tools in Chromium (µs per snapshot)');
const snapshot = await benchSnapshot();
console.table(snapshot);

heading('Reference API: 4,000 turns (after 1,000 unmeasured), 16 sessions, loopback HTTP');
const server = await benchServer();
console.table(server);

heading('Reference API under load: 50 sessions, 10,000 turns, bounded to 60 s');
const load = await benchLoad({ sessions: 50, turns: 10_000, maxSeconds: 60 });
console.table(load);

heading('Reference API soak: 16 good sessions beside one hostile client, 15 s quiet + 60 s attack');
const soak = await benchSoak();
console.table(soak);

const size = (what: string, widget: 'ours' | 'persona') => sizes.find((r) => r.what === what && r.widget === widget)?.gzipBytes;
const ok = (rows: typeof roundtrip, widget: string) => rows.find((r) => r.widget === widget && r.ok)?.median?.awaitToResumeMs;
const summary: Record<string, number | string | undefined> = {
  'size, script tag before first open (gzip)': ratio(
    size('script tag: before first open', 'ours'),
    size('script tag: before first open', 'persona'),
  ),
  'size, script tag total (gzip)': ratio(size('script tag: total', 'ours'), size('script tag: total', 'persona')),
  'size, SPA before first open (gzip)': ratio(
    size('SPA (npm, bundled): before first open', 'ours'),
    size('SPA (npm, bundled): before first open', 'persona'),
  ),
  'size, SPA total (gzip)': ratio(size('SPA (npm, bundled): total', 'ours'), size('SPA (npm, bundled): total', 'persona')),
  'size, WebMCP polyfill (gzip)': ratio(size('WebMCP polyfill', 'ours'), size('WebMCP polyfill', 'persona')),
  'markdown stream, main-thread time': ratio(stream.ours.mainThreadMs, stream.persona.mainThreadMs),
  'markdown stream, longest task': ratio(stream.ours.longestTaskMs, stream.persona.longestTaskMs),
  'markdown stream, main-thread CPU time': ratio(stream.ours.cpuMs, stream.persona.cpuMs),
  'markdown stream, last frame → paint': ratio(stream.ours.lastFrameToPaintMs, stream.persona.lastFrameToPaintMs),
  'markdown stream, Enter → last token painted': ratio(stream.ours.toPaintMs, stream.persona.toPaintMs),
  'await→resume, polyfill': ratio(ok(roundtrip, 'ours'), ok(roundtrip, 'persona')) ?? 'Persona failed',
  'await→resume, native': ratio(ok(roundtripNative, 'ours'), ok(roundtripNative, 'persona')) ?? 'Persona failed (see above)',
  'reader ÷ bare eventsource-parser': reader.ratioToBare,
  'reader ÷ eventsource-parser + JSON.parse': reader.ratioToBareWithJson,
};
heading('Summary: ratios (ours ÷ Persona; below 1 means ours is smaller or faster)');
console.table(summary);

// Every figure of issue 15 that this run measures, beside its goal.
const paced = (r: typeof pacedShort, who: 'ours' | 'persona' | 'floor') =>
  r[who] && 'busyFraction' in r[who]! ? (r[who] as PacedRun) : undefined;
const pct = (n: number | undefined) => (n === undefined ? '—' : `${(n * 100).toFixed(1)} %`);
const perFrame = (r: PacedRun | undefined) => (r ? `${pct(r.busyFraction)}; ${r.firstTenthMsPerFrame} → ${r.lastTenthMsPerFrame} ms` : '—');
const longest = (answer: string, kib: number) => pathological.find((p) => p.answer === answer && p.kib === kib)?.longestTaskMs;
const roundtripFigure = (widget: string, storage: string, key: 'ownPathMs' | 'awaitToExecuteMs') =>
  roundtrip.find((r) => r.widget === widget && r.storage === storage)?.median?.[key] ?? '—';
const figures = [
  {
    figure: 'one line of <img> markup: 128 KiB / 256 KiB / 1 MiB, longest task',
    goal: 'linear; no task > 200 ms at 1 MiB',
    ours: [128, 256, 1024].map((k) => `${longest('one line of <img> markup', k)} ms`).join(' / '),
    persona: '—',
    floor: '—',
  },
  {
    figure: '1 MiB single line of plain text, longest task',
    goal: 'no task > 200 ms',
    ours: `${longest('one line of plain text', 1024)} ms`,
    persona: '—',
    floor: '—',
  },
  {
    figure: 'paced 2,000 tokens at 100/s: main thread busy',
    goal: '≤ 1.2 × floor',
    ours: pct(paced(pacedShort, 'ours')?.busyFraction),
    persona: pct(paced(pacedShort, 'persona')?.busyFraction),
    floor: pct(paced(pacedShort, 'floor')?.busyFraction),
  },
  {
    figure: 'paced 10,000 tokens at 20/s: busy; ms per frame first → last tenth',
    goal: '≤ 1.2 × floor; growth no worse than the floor',
    ours: perFrame(paced(pacedLong, 'ours')),
    persona: perFrame(paced(pacedLong, 'persona')),
    floor: perFrame(paced(pacedLong, 'floor')),
  },
  {
    figure: '20k-token firehose: main-thread time; longest task',
    goal: '≤ 0.2 × Persona; < 50 ms',
    ours: `${ratio(stream.ours.mainThreadMs, stream.persona.mainThreadMs)} × Persona; ${stream.ours.longestTaskMs} ms`,
    persona: `1.0; ${stream.persona.longestTaskMs} ms`,
    // Three floors (markdown-stream.ts): the text appended per frame; our final DOM once; its blocks as their text arrives.
    floor: `text ${ratio(stream.floor.mainThreadMs, stream.persona.mainThreadMs)} ×; markdown once ${ratio(stream.markdownOnce.mainThreadMs, stream.persona.mainThreadMs)} ×; markdown as it streams ${ratio(stream.markdownStreamed.mainThreadMs, stream.persona.mainThreadMs)} ×`,
  },
  {
    figure: 'widget total, gzip (launcher + panel)',
    goal: `≤ ${SIZE_BUDGET.total} B`,
    ours: `${size('script tag: total', 'ours')} B`,
    persona: `${size('script tag: total', 'persona')} B`,
    floor: `code alone (every string literal emptied) ${sizesCodeAlone.total} B`,
  },
  {
    figure: 'before first open, gzip',
    goal: `≤ ${SIZE_BUDGET.beforeFirstOpen} B`,
    ours: `${size('script tag: before first open', 'ours')} B`,
    persona: `${size('script tag: before first open', 'persona')} B`,
    floor: `code alone ${sizesCodeAlone.beforeFirstOpen} B`,
  },
  {
    // The goal is our own path with IndexedDB: from reading the `await` frame to `execute()`.
    figure: '`await` frame read → execute(), 50 tools (polyfill): IndexedDB; memory',
    goal: '≤ 1 ms with IndexedDB',
    ours: `${roundtripFigure('ours', 'indexeddb', 'ownPathMs')} ms; ${roundtripFigure('ours', 'memory', 'ownPathMs')} ms`,
    persona: '—',
    floor: '—',
  },
  {
    // From the chat response's network end, so the wait for a main thread still busy with the page counts too.
    figure: '`await` frame network end → execute(), 50 tools (polyfill): IndexedDB; memory',
    goal: 'as small as the platform allows',
    ours: `${roundtripFigure('ours', 'indexeddb', 'awaitToExecuteMs')} ms; ${roundtripFigure('ours', 'memory', 'awaitToExecuteMs')} ms`,
    persona: `—; ${roundtripFigure('persona', 'memory', 'awaitToExecuteMs')} ms`,
    floor: '—',
  },
  {
    figure: 'chat response network end → last token painted (firehose)',
    goal: 'as small as the platform allows',
    ours: `${stream.ours.lastFrameToPaintMs} ms`,
    persona: `${stream.persona.lastFrameToPaintMs} ms`,
    floor: '—',
  },
  {
    figure: 'SSE reader ÷ eventsource-parser + JSON.parse',
    goal: '≤ 1.1 ×',
    ours: `${reader.ratioToBareWithJson} ×`,
    persona: '—',
    floor: '—',
  },
  {
    figure: 'reference API, 16 sessions',
    goal: '≥ 1,000 turns/s',
    ours: `${server.turnsPerSecond ?? '—'} turns/s by the clock; ${server.turnsPerServerCoreSecond ?? '—'} per core of server CPU`,
    persona: '—',
    floor: '—',
  },
];
heading('Issue 15 figures: goal, ours, Persona and the floor, from this run');
console.table(figures);

const results = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  seconds: Math.round((performance.now() - started) / 1000),
  sizes,
  sizesCodeAlone,
  reader,
  markdownStream: stream,
  paced: { '2000 at 100/s': pacedShort, '10000 at 20/s': pacedLong },
  pathological,
  panelBreakdown: breakdown,
  figures,
  toolRoundtrip: { polyfill: roundtrip, native: roundtripNative },
  snapshot,
  server,
  load,
  soak,
  summary,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json (${elapsed()})`);
