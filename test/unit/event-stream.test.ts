import { describe, expect, it } from 'vitest';
import { readEventStream, type StreamItem } from '../../src/client/event-stream.js';
import { seededRandom } from '../support/seeded-random.js';

const encoder = new TextEncoder();

/** A Response whose body arrives in exactly the given byte chunks. */
function responseFrom(chunks: Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function collect(response: Response, signal?: AbortSignal): Promise<StreamItem[]> {
  const items: StreamItem[] = [];
  for await (const item of readEventStream(response, signal)) items.push(item);
  return items;
}

/** Splits bytes at random places, sometimes one byte at a time. */
function randomChunks(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = random() < 0.2 ? 1 : 1 + Math.floor(random() * 40);
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const frames = [
  { type: 'execution_start', executionId: 'exec_1', seq: 1, kind: 'agent', startedAt: '2026-01-01T00:00:00Z' },
  { type: 'text_start', executionId: 'exec_1', seq: 2, id: 't1' },
  { type: 'text_delta', executionId: 'exec_1', seq: 3, id: 't1', delta: 'Grüße 👋 from 東京' },
  { type: 'text_delta', executionId: 'exec_1', seq: 4, id: 't1', delta: '\nline two' },
  {
    type: 'await',
    executionId: 'exec_1',
    seq: 5,
    toolCallId: 'call_1',
    toolName: 'webmcp:get_cart',
    origin: 'webmcp',
    parameters: {},
    awaitedAt: 'now',
  },
];

function encode(lineEnd: string): string {
  return frames
    .map((frame) => [`event: ${frame.type}`, `id: ${frame.seq}`, `data: ${JSON.stringify(frame)}`, ''].join(lineEnd) + lineEnd)
    .join(`: keep-alive comment${lineEnd}`);
}

describe('readEventStream', () => {
  for (const [label, lineEnd] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`reads every frame the same way under 200 random chunkings with ${label} line ends`, async () => {
      const bytes = encoder.encode(encode(lineEnd));
      const expected = await collect(responseFrom([bytes]));
      expect(expected.map((item) => item.kind === 'event' && item.event.type)).toEqual([
        'execution_start',
        'text_start',
        'text_delta',
        'text_delta',
        'await',
      ]);
      const random = seededRandom(lineEnd.length * 7919);
      for (let round = 0; round < 200; round++) {
        expect(await collect(responseFrom(randomChunks(bytes, random)))).toEqual(expected);
      }
    });
  }

  it('keeps a multi-byte character whole when a chunk boundary falls inside it', async () => {
    const text = `data: ${JSON.stringify({ type: 'text_delta', id: 't', delta: '€😀' })}\n\n`;
    const bytes = encoder.encode(text);
    const euro = text.indexOf('€');
    const at = encoder.encode(text.slice(0, euro)).length + 1; // inside the 3-byte euro sign
    const items = await collect(responseFrom([bytes.slice(0, at), bytes.slice(at, at + 3), bytes.slice(at + 3)]));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'text_delta', id: 't', delta: '€😀' } }]);
  });

  it('joins several data lines with a newline and exposes the id', async () => {
    const body = 'event: text_delta\nid: 9\ndata: {"type":"text_delta",\ndata: "id":"t","delta":"x"}\n\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items).toEqual([{ kind: 'event', id: '9', event: { type: 'text_delta', id: 't', delta: 'x' } }]);
  });

  it('passes an unknown event type through as unknown, keeping its data', async () => {
    const body = 'event: step_start\ndata: {"type":"step_start","name":"plan"}\n\n';
    const [item] = await collect(responseFrom([encoder.encode(body)]));
    expect(item).toEqual({
      kind: 'event',
      id: undefined,
      event: { type: 'unknown', originalType: 'step_start', data: { type: 'step_start', name: 'plan' } },
    });
  });

  it('reports malformed JSON as a protocol error naming the frame, and reads on', async () => {
    const body = 'event: text_delta\nid: 4\ndata: {"type":"text_delta",\n\nevent: ping\ndata: {"type":"ping"}\n\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items[0]).toMatchObject({ kind: 'protocol_error', frame: 'frame 1, event text_delta, id 4' });
    expect(items[0]!.kind === 'protocol_error' && items[0]!.message).toContain('not valid JSON');
    expect(items[1]).toMatchObject({ kind: 'event', event: { type: 'ping' } });
  });

  it('numbers a bad frame by its place in the whole stream, across chunks and batches', async () => {
    const good = (n: number) => `data: {"type":"text_delta","id":"t","delta":"${n}"}\n\n`;
    const frames = Array.from({ length: 600 }, (_, i) => (i === 299 || i === 599 ? 'data: {"type":"text_delta","id":"t"}\n\n' : good(i)));
    const stream = readEventStream(
      responseFrom([encoder.encode(frames.slice(0, 100).join('')), encoder.encode(frames.slice(100).join(''))]),
    );
    const errors: string[] = [];
    let events = 0;
    for (let batch = await stream.batch(); batch.length > 0; batch = await stream.batch()) {
      for (const item of batch) {
        if (item.kind === 'protocol_error') errors.push(item.frame);
        else events += 1;
      }
    }
    expect(errors).toEqual(['frame 300', 'frame 600']);
    expect(events).toBe(598);
  });

  it('reports a known event missing a field it needs as a protocol error', async () => {
    const body = 'data: {"type":"await","toolName":"get_cart"}\n\n';
    const [item] = await collect(responseFrom([encoder.encode(body)]));
    expect(item).toMatchObject({ kind: 'protocol_error' });
    expect(item!.kind === 'protocol_error' && item!.message).toContain('toolCallId');
  });

  it('drops a final frame that never got its closing blank line, as the spec says', async () => {
    const body = 'data: {"type":"ping"}\n\ndata: {"type":"text_delta","id":"t","delta":"cut"}\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items.map((item) => item.kind === 'event' && item.event.type)).toEqual(['ping']);
  });

  it('ends a frame on a lone CR at the very end of the stream', async () => {
    const items = await collect(responseFrom([encoder.encode('data: {"type":"ping"}\r'), encoder.encode('\r')]));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'ping' } }]);
  });

  it('reads a CR ending one chunk and an LF opening the next as one line end, not a blank line', async () => {
    const body = ['event: ping\r', '\ndata: {"type":"ping"}\r', '\n\r', '\n'];
    const items = await collect(responseFrom(body.map((part) => encoder.encode(part))));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'ping' } }]);
  });

  it('drops a byte order mark at the start, even split across chunks', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: {"type":"ping"}\n\n')]);
    for (const at of [1, 2, 3, 4]) {
      expect(await collect(responseFrom([bytes.slice(0, at), bytes.slice(at)]))).toEqual([
        { kind: 'event', id: undefined, event: { type: 'ping' } },
      ]);
    }
  });

  it('ignores comments anywhere, retry and unknown fields, and an id holding NUL', async () => {
    const body = [
      ':no space\n',
      'id: 7\0x\n',
      'retry: 3000\n',
      'data: {"type":"text_delta",\n',
      ': between data lines\n',
      'foo: bar\n',
      'data: "id":"t","delta":"x"}\n\n',
    ];
    const items = await collect(responseFrom([encoder.encode(body.join(''))]));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'text_delta', id: 't', delta: 'x' } }]);
  });

  it('takes the type from the event field when the data has none, with or without a space after the colon', async () => {
    const body = 'event:ping\nid:3\ndata:{}\n\nevent: ping\ndata:  {}\n\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items).toEqual([
      { kind: 'event', id: '3', event: { type: 'ping' } },
      // Only one space is dropped; the second is part of the (still valid) JSON.
      { kind: 'event', id: undefined, event: { type: 'ping' } },
    ]);
  });

  it('reads a field without a colon as that field with an empty value', async () => {
    // `data` alone adds an empty line to the data; `event` alone clears the name.
    const body = 'event: text_delta\nevent\ndata\ndata: {"type":"ping"}\n\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'ping' } }]);
  });

  it('drops a frame without data, and the next frame keeps none of its fields', async () => {
    const body = 'event: text_delta\nid: 5\n\ndata: {"type":"ping"}\n\n';
    const items = await collect(responseFrom([encoder.encode(body)]));
    expect(items).toEqual([{ kind: 'event', id: undefined, event: { type: 'ping' } }]);
  });

  it('reads a one-megabyte frame that arrives in a thousand pieces, whole', async () => {
    const delta = 'x'.repeat(1024 * 1024);
    const bytes = encoder.encode(`data: ${JSON.stringify({ type: 'text_delta', id: 't', delta })}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 1024) chunks.push(bytes.slice(at, at + 1024));
    const items = await collect(responseFrom(chunks));
    expect(items).toHaveLength(1);
    expect(items[0]!.kind === 'event' && items[0]!.event.type === 'text_delta' && items[0]!.event.delta).toBe(delta);
  });

  it("hands out a chunk's frames together with batch(), the same frames as one by one", async () => {
    const bytes = encoder.encode(encode('\n'));
    const expected = await collect(responseFrom([bytes]));
    const stream = readEventStream(responseFrom([bytes.slice(0, 200), bytes.slice(200)]));
    const batches: StreamItem[][] = [];
    for (let batch = await stream.batch(); batch.length > 0; batch = await stream.batch()) batches.push([...batch]);
    expect(batches.length).toBe(2);
    expect(batches.flat()).toEqual(expected);
  });

  it('stops with the abort reason when aborted mid-stream and cancels the body', async () => {
    let cancelled = false;
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(encoder.encode('data: {"type":"ping"}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of readEventStream(new Response(body), controller.signal)) {
        seen.push(item.kind);
        controller.abort(new Error('stop please'));
      }
    })();
    await expect(reading).rejects.toThrow('stop please');
    expect(seen).toEqual(['event']);
    expect(cancelled).toBe(true);
  });
});
