/**
 * Our stream reader (framing + JSON + event validation) against bare
 * eventsource-parser (framing only) on the same bytes: what the contract
 * checks cost per frame. 15 interleaved rounds over a 20,000-delta stream; the
 * ratios are medians of each round's own ratio.
 * Ours is read as the widget reads it (a chunk's frames per promise);
 * `forAwaitMs` is the same reader frame by frame, one promise each.
 */
import { createParser } from 'eventsource-parser';
import { readEventStream } from '../src/client/event-stream.js';

const encoder = new TextEncoder();

function streamBytes(frames: number): Uint8Array {
  let text = '';
  for (let seq = 1; seq <= frames; seq++) {
    const frame = { type: 'text_delta', executionId: 'exec_bench', seq, id: 'text_1', delta: `token${seq} ` };
    text += `event: text_delta\nid: ${seq}\ndata: ${JSON.stringify(frame)}\n\n`;
  }
  return encoder.encode(text);
}

/** Network-like chunks of 1–4 KB. */
function chunked(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = 1024 + ((i * 7919) % 3072);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function response(chunks: Uint8Array[]): Response {
  let i = 0;
  return new Response(new ReadableStream({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()) }));
}

/** As the widget reads (read-run.ts): a chunk's frames at a time. */
async function ours(chunks: Uint8Array[]): Promise<number> {
  let events = 0;
  const stream = readEventStream(response(chunks));
  for (let batch = await stream.batch(); batch.length > 0; batch = await stream.batch()) {
    for (const item of batch) if (item.kind === 'event') events++;
  }
  return events;
}

/** Frame by frame with `for await`: one promise per frame, for comparison. */
async function oursPerFrame(chunks: Uint8Array[]): Promise<number> {
  let events = 0;
  for await (const item of readEventStream(response(chunks))) if (item.kind === 'event') events++;
  return events;
}

/** Framing only, or framing plus the JSON.parse every consumer must do. */
async function bare(chunks: Uint8Array[], parseJson = false): Promise<number> {
  let events = 0;
  const parser = createParser({
    onEvent: (message) => {
      if (parseJson) JSON.parse(message.data);
      events++;
    },
  });
  const reader = response(chunks).body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return events;
}

interface Timing {
  /** Median wall time of each contender, ms. */
  wall: number[];
  /** Median of each round's ratio to the contender at `base`, by wall time and by this process's CPU time. */
  wallRatio: number[];
  cpuRatio: number[];
}

/**
 * `rounds` runs of each contender, interleaved (ours, bare, bare + JSON, …). A
 * ratio is taken within each round and the median of those reported: load from
 * elsewhere on a shared machine hits a round's contenders alike, where medians
 * taken apart can come from rounds of different load. CPU time (this process's
 * user + system) is beside wall time because waiting for a busy core is not work.
 */
async function timings(contenders: (() => Promise<number>)[], expected: number, base: number, rounds = 15): Promise<Timing> {
  const wall: number[][] = contenders.map(() => []);
  const cpu: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of contenders.entries()) {
      const start = performance.now();
      const used = process.cpuUsage();
      const count = await run();
      const { user, system } = process.cpuUsage(used);
      wall[i]!.push(performance.now() - start);
      cpu[i]!.push(user + system);
      if (count !== expected) throw new Error(`expected ${expected} events, got ${count}`);
    }
  }
  const ratios = (times: number[][]) => times.map((list) => middle(list.map((value, r) => value / times[base]![r]!)));
  return { wall: wall.map(middle), wallRatio: ratios(wall), cpuRatio: ratios(cpu) };
}

const middle = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

export async function benchReader(frames = 20_000): Promise<Record<string, number>> {
  const chunks = chunked(streamBytes(frames));
  await ours(chunks); // warm up every path
  await oursPerFrame(chunks);
  await bare(chunks);
  const { wall, wallRatio, cpuRatio } = await timings(
    [() => ours(chunks), () => bare(chunks), () => bare(chunks, true), () => oursPerFrame(chunks)],
    frames,
    2,
  );
  const [oursMs, bareMs, bareJsonMs, perFrameMs] = wall as [number, number, number, number];
  return {
    frames,
    readerMs: round(oursMs),
    eventsourceParserMs: round(bareMs),
    eventsourceParserWithJsonMs: round(bareJsonMs),
    ratioToBare: round(oursMs / bareMs),
    ratioToBareWithJson: round(wallRatio[0]!),
    ratioToBareWithJsonCpu: round(cpuRatio[0]!),
    readerMicrosPerFrame: round((oursMs * 1000) / frames),
    forAwaitMs: round(perFrameMs),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchReader());
