/**
 * How the read loop shares the main thread (read-run.ts, task-budget.ts), in
 * real Chromium: a backlog that is all there at once is read over several
 * tasks, so the page can paint and take input between them; a stream that
 * arrives a chunk at a time is read as it comes, without a task of its own
 * per chunk (at 100 tokens a second that was 100 extra tasks a second).
 */
import type { TurnLoopHost } from '../../../src/client/loop-host.js';
import { readEventStream } from '../../../src/client/event-stream.js';
import { readRun } from '../../../src/client/read-run.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const encoder = new TextEncoder();
const frame = (seq: number) => `data: ${JSON.stringify({ type: 'text_delta', id: 't1', delta: 'word ', executionId: 'e1', seq })}\n\n`;
const END = `data: ${JSON.stringify({ type: 'execution_complete', success: true, executionId: 'e1' })}\n\n`;

/** A host that only counts what the loop applies. */
function countingHost(): { host: TurnLoopHost; applied: () => number } {
  let applied = 0;
  const host = {
    api: { events: (response: Response, signal?: AbortSignal) => readEventStream(response, signal) },
    dispatch: (action: { type: string; event?: { type: string; delta?: string } }) => {
      if (action.type === 'frame' && action.event?.type === 'text_delta') applied += action.event.delta!.length / 5;
    },
    now: () => performance.now(),
    getState: () => ({ protocolErrors: [] }),
  } as unknown as TurnLoopHost;
  return { host, applied: () => applied };
}

const hooks = { onAwait() {}, onRunStart() {}, awaiting: () => false };

/** Counts messages posted on any MessagePort while `during` runs: the loop's way to a next task. */
async function portMessages<T>(during: () => Promise<T>): Promise<{ result: T; posted: number }> {
  const post = MessagePort.prototype.postMessage;
  let posted = 0;
  MessagePort.prototype.postMessage = function (this: MessagePort, ...args: Parameters<MessagePort['postMessage']>) {
    posted++;
    return post.apply(this, args);
  } as MessagePort['postMessage'];
  try {
    return { result: await during(), posted };
  } finally {
    MessagePort.prototype.postMessage = post;
  }
}

describe('the read loop and the main thread', () => {
  it('a backlog of 20,000 frames is read over several tasks: a task queued before it runs in between', async () => {
    const frames = 20_000;
    let body = '';
    for (let seq = 1; seq <= frames; seq++) body += frame(seq);
    const { host, applied } = countingHost();
    const response = new Response(body + END, { headers: { 'content-type': 'text/event-stream' } });
    let appliedWhenTaskRan = -1;
    const queued = new MessageChannel();
    queued.port1.onmessage = () => (appliedWhenTaskRan = applied());
    queued.port2.postMessage(null);
    const outcome = await readRun(host, { sessionId: 's1', ended: false }, response, new AbortController().signal, hooks);
    check(outcome.kind === 'complete', `read to its end: ${JSON.stringify(outcome)}`);
    check(applied() === frames, `every frame applied: ${applied()}`);
    check(
      appliedWhenTaskRan >= 0 && appliedWhenTaskRan < frames,
      `the queued task ran mid-read: after ${appliedWhenTaskRan} of ${frames} frames`,
    );
  });

  it('a stream arriving a chunk per animation frame is read without a task of its own per chunk', async () => {
    const chunks = 60;
    let seq = 0;
    const body = new ReadableStream<Uint8Array>({
      // The next chunk on the next frame, as a model's tokens come in while the page renders.
      pull: (controller) =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => {
            if (seq < chunks) controller.enqueue(encoder.encode(frame(++seq)));
            else {
              controller.enqueue(encoder.encode(END));
              controller.close();
            }
            resolve();
          }),
        ),
    });
    const { host, applied } = countingHost();
    const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const { result: outcome, posted } = await portMessages(() =>
      readRun(host, { sessionId: 's1', ended: false }, response, new AbortController().signal, hooks),
    );
    check(outcome.kind === 'complete', `read to its end: ${JSON.stringify(outcome)}`);
    check(applied() === chunks, `every frame applied: ${applied()}`);
    check(posted === 0, `no task posted for ${chunks} chunks: ${posted}`);
  });
});
