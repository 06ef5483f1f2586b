/**
 * Deltas that arrive together are applied together (read-run.ts folds a
 * chunk's consecutive deltas of one part into one frame). What a person sees
 * must not depend on that: every part gets exactly its own text, in order,
 * however the parts' deltas interleave, and a sub-agent's text stays its own.
 */
import { describe, expect, it } from 'vitest';
import type { MessagePart } from '../../../src/client/index.js';
import { useTestApi, type TestApi } from './helpers.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

const delta = (id: string, text: string, parentToolCallId?: string) => ({
  event: 'text_delta',
  fields: { id, delta: text, ...(parentToolCallId && { parentToolCallId }) },
});

function texts(parts: readonly MessagePart[]): Record<string, { text: string; parent?: string }> {
  const out: Record<string, { text: string; parent?: string }> = {};
  for (const part of parts) {
    if (part.type !== 'text') continue;
    out[part.id] = { text: part.text, ...(part.parentToolCallId && { parent: part.parentToolCallId }) };
  }
  return out;
}

describe('streamed deltas', () => {
  it('a long answer arrives whole and in order', async () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i} `);
    await api.script([[{ text: words }]]);
    const session = open();
    await session.send('go');
    await session.idle();
    const answer = session.state.value.messages.at(-1)!;
    expect(answer.role).toBe('assistant');
    expect(answer.parts.filter((p) => p.type === 'text').map((p) => (p.type === 'text' ? p.text : ''))).toEqual([words.join('')]);
  });

  it('interleaved deltas of several parts each keep their own text; a sub-agent keeps its call', async () => {
    await api.script([
      [
        delta('t_a', 'A1 '),
        delta('t_a', 'A2 '),
        delta('t_b', 'B1 '),
        delta('t_a', 'A3 '),
        delta('t_b', 'B2 '),
        delta('t_b', 'B3 '),
        delta('t_sub', 'S1 ', 'call_1'),
        delta('t_sub', 'S2 ', 'call_1'),
        delta('t_a', 'A4'),
      ],
    ]);
    const session = open();
    await session.send('go');
    await session.idle();
    const answer = session.state.value.messages.at(-1)!;
    expect(texts(answer.parts)).toEqual({
      t_a: { text: 'A1 A2 A3 A4' },
      t_b: { text: 'B1 B2 B3 ' },
      t_sub: { text: 'S1 S2 ', parent: 'call_1' },
    });
    expect(session.state.value.status).toBe('idle');
  });

  it('an unreadable frame between deltas of one part: the text around it is all kept, in order, and the frame is reported', async () => {
    await api.script([[delta('t_a', 'A1 '), delta('t_a', 'A2 '), delta('t_a', 'A3 '), delta('t_a', 'A4')]]);
    // The whole chat answer in one chunk, with a broken frame after the second delta,
    // so held deltas meet the broken frame inside one batch.
    const breakAfterSecondDelta: typeof fetch = async (input, init) => {
      const response = await api.fetch(input, init);
      if (!String(input).endsWith('/v1/client/chat')) return response;
      const frames = (await response.text()).split('\n\n');
      const second = frames.findIndex((frame, i) => frame.includes('"A2 "') && i > 0);
      frames.splice(second + 1, 0, 'event: text_delta\ndata: {"type":"text_delta","delta":');
      return new Response(frames.join('\n\n'), { status: response.status, headers: response.headers });
    };
    const session = open({ fetch: breakAfterSecondDelta });
    await session.send('go');
    await session.idle();
    const answer = session.state.value.messages.at(-1)!;
    expect(texts(answer.parts)).toEqual({ t_a: { text: 'A1 A2 A3 A4' } });
    expect(session.state.value.protocolErrors).toHaveLength(1);
    expect(session.state.value.protocolErrors[0]).toMatch(/data is not valid JSON/);
  });
});
