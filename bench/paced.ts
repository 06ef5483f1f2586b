/**
 * Paced streams: a markdown answer arriving at a model's pace (the server
 * pauses between frames), into ours, Persona and the floor (a bare page that
 * appends the same text to one element once per animation frame).
 *
 * Per contender, between the Enter that sends the message and the paint that
 * shows the answer's last token:
 * - busyFraction: the renderer main thread's busy time (CDP TaskDuration) ÷
 *   wall time;
 * - firstTenthMsPerFrame / lastTenthMsPerFrame: main-thread time per animation
 *   frame over the first and the last tenth of that window (TaskDuration and
 *   an in-page rAF counter, sampled every 250 ms), so growth with the answer
 *   shows as last ÷ first.
 *
 * The long scenario (10,000 tokens at 20/s is over eight minutes) streams into
 * the three pages side by side, so it costs its own length once, not thrice;
 * the short one runs them one after another.
 */
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { round, send, startRig, TEXT_ROOT_JS, type Contender, type Rig } from './browser.js';
import { markdownDeltas } from './markdown-stream.js';

export const CONTENDERS: readonly Contender[] = ['ours', 'persona', 'floor'];
const MARKER = 'ZQXENDMARK';

/**
 * Marks Enter, counts animation frames from then on, notes when the chat
 * response's last byte arrived (Resource Timing, cheap to ask each frame) and
 * then the first frame that shows the last token (reading the text only after
 * the network end, so the probe does not grow with the answer).
 */
const PROBE = `
window.__paced = { sentAt: undefined, chatEnd: undefined, paintAt: undefined, frames: 0 };
addEventListener('keydown', (event) => {
  const b = window.__paced;
  if (event.key !== 'Enter' || b.sentAt !== undefined) return;
  b.sentAt = performance.now();
  const root = ${TEXT_ROOT_JS};
  const frame = () => {
    b.frames++;
    if (b.chatEnd === undefined) {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/v1/client/chat') && e.startTime >= b.sentAt - 50);
      if (entry && entry.responseEnd > 0) b.chatEnd = entry.responseEnd;
    } else if (b.paintAt === undefined && root().textContent.includes('${MARKER}')) b.paintAt = performance.now();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}, true);
`;

export interface PacedRun {
  tokens: number;
  wallMs: number;
  busyFraction: number;
  firstTenthMsPerFrame: number;
  lastTenthMsPerFrame: number;
  growth: number;
}

interface Probe {
  now: number;
  sentAt: number;
  chatEnd?: number;
  paintAt?: number;
  frames: number;
}

interface Sample {
  /** Page clock. */
  at: number;
  busyMs: number;
  frames: number;
}

async function sampleOf(
  page: Page,
  cdp: { send(method: 'Performance.getMetrics'): Promise<unknown> },
): Promise<{ sample: Sample; probe: Probe }> {
  const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const busy = metrics.metrics.find((m) => m.name === 'TaskDuration')!.value * 1000;
  const probe = (await page.evaluate('({ now: performance.now(), ...window.__paced })')) as Probe;
  return { sample: { at: probe.now, busyMs: busy, frames: probe.frames }, probe };
}

/** The sample nearest page time `t`. */
function nearest(samples: Sample[], t: number): Sample {
  return samples.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best));
}

/** Main-thread ms per frame between the samples nearest `from` and `to`. */
function perFrame(samples: Sample[], from: number, to: number): number {
  const a = nearest(samples, from);
  const b = nearest(samples, to);
  return b.frames > a.frames ? (b.busyMs - a.busyMs) / (b.frames - a.frames) : 0;
}

/** Streams `deltas` into one contender's page at the rig's pace and measures it. */
async function pacedRun(rig: Rig, who: Contender, deltas: string[], timeoutMs: number): Promise<PacedRun> {
  const { context, page } = await rig.open(who, { head: PROBE });
  try {
    await rig.script(who, [[{ text: deltas }]]);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await send(page, 'write the long answer');
    const samples: Sample[] = [];
    const deadline = performance.now() + timeoutMs;
    let probe: Probe;
    for (;;) {
      const next = await sampleOf(page, cdp);
      samples.push(next.sample);
      probe = next.probe;
      if (probe.paintAt !== undefined) break;
      if (performance.now() > deadline) throw new Error(`${who}: the last token never painted`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Tenths of the stream (Enter → network end); busy over Enter → the paint of the last token.
    const { sentAt, chatEnd = probe.paintAt!, paintAt } = probe as Required<Probe>;
    const span = chatEnd - sentAt;
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const firstTenth = perFrame(samples, sentAt, sentAt + span / 10);
    const lastTenth = perFrame(samples, chatEnd - span / 10, chatEnd);
    return {
      tokens: deltas.length,
      wallMs: round(paintAt - sentAt),
      busyFraction: round((last.busyMs - first.busyMs) / (last.at - first.at), 3),
      firstTenthMsPerFrame: round(firstTenth, 2),
      lastTenthMsPerFrame: round(lastTenth, 2),
      growth: round(lastTenth / firstTenth, 2),
    };
  } finally {
    await context.close();
  }
}

export type PacedResult = Record<Contender, PacedRun | { error: string }>;

/**
 * `tokens` at `perSecond`; `together`: the three pages stream at once (for the long scenario).
 */
export async function benchPaced({
  tokens,
  perSecond,
  together = false,
  only = CONTENDERS,
}: {
  tokens: number;
  perSecond: number;
  together?: boolean;
  /** A subset, for a quick look at one page. */
  only?: readonly Contender[];
}): Promise<Partial<PacedResult>> {
  const deltas = markdownDeltas(tokens);
  const rig = await startRig({ streamDelayMs: Math.round(1000 / perSecond) });
  // The stream's own length, plus room for a slow page to catch up.
  const timeoutMs = (tokens / perSecond) * 1000 * 1.5 + 60_000;
  const result: Partial<PacedResult> = {};
  const one = async (who: Contender) => {
    try {
      result[who] = await pacedRun(rig, who, deltas, timeoutMs);
    } catch (error) {
      result[who] = { error: error instanceof Error ? error.message : String(error) };
    }
  };
  try {
    if (together) await Promise.all(only.map(one));
    else for (const who of only) await one(who);
  } finally {
    await rig.close();
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tokens = Number(process.argv[2]) || 2000;
  const perSecond = Number(process.argv[3]) || 100;
  // npx tsx bench/paced.ts [tokens] [per second] [together|apart] [ours,persona,floor]
  const only = process.argv[5]?.split(',') as Contender[] | undefined;
  console.table(await benchPaced({ tokens, perSecond, together: process.argv[4] === 'together', ...(only && { only }) }));
}
