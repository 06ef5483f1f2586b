/**
 * Our stream reader (framing + JSON + event validation) against bare
 * eventsource-parser (framing only) on the same bytes: what the contract
 * checks cost per frame. Median of 15 interleaved runs over a 20,000-delta stream.
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

/**
 * Medians of `rounds` runs of each contender, interleaved (ours, bare, bare + JSON,
 * ours, …) so that load from elsewhere on a shared machine hits all three alike.
 */
async function medians(contenders: (() => Promise<number>)[], expected: number, rounds = 15): Promise<number[]> {
  const times: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of contenders.entries()) {
      const start = performance.now();
      const count = await run();
      times[i]!.push(performance.now() - start);
      if (count !== expected) throw new Error(`expected ${expected} events, got ${count}`);
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(rounds / 2)]!);
}

export async function benchReader(frames = 20_000): Promise<Record<string, number>> {
  const chunks = chunked(streamBytes(frames));
  await ours(chunks); // warm up every path
  await oursPerFrame(chunks);
  await bare(chunks);
  const [oursMs, bareMs, bareJsonMs, perFrameMs] = (await medians(
    [() => ours(chunks), () => bare(chunks), () => bare(chunks, true), () => oursPerFrame(chunks)],
    frames,
  )) as [number, number, number, number];
  return {
    frames,
    readerMs: round(oursMs),
    eventsourceParserMs: round(bareMs),
    eventsourceParserWithJsonMs: round(bareJsonMs),
    ratioToBare: round(oursMs / bareMs),
    ratioToBareWithJson: round(oursMs / bareJsonMs),
    readerMicrosPerFrame: round((oursMs * 1000) / frames),
    forAwaitMs: round(perFrameMs),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchReader());
