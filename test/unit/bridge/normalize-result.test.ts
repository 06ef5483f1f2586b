import { describe, expect, it } from 'vitest';
import { normalizeResult, cutUtf8 } from '../../../src/bridge/normalize-result.js';
import { safeJsonStringify } from '../../../src/bridge/json-safe.js';

describe('normalizeResult', () => {
  it.each([
    ['JSON object string', '{"a":1}', { result: { a: 1 } }],
    ['JSON number string', '42', { result: 42 }],
    ['JSON null', 'null', { result: null }],
    ['raw string (native does not quote a returned string)', 'plain text', { result: 'plain text' }],
    ['JSON-quoted string', '"quoted"', { result: 'quoted' }],
    ['"undefined" (tool returned nothing)', 'undefined', { result: null }],
    [
      'MCP text content',
      JSON.stringify({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
      { result: 'a\nb' },
    ],
    ['MCP isError', JSON.stringify({ content: [{ type: 'text', text: 'out of stock' }], isError: true }), { error: 'out of stock' }],
    [
      'MCP isError without text',
      JSON.stringify({ content: [], isError: true }),
      { error: 'The tool reported an error without a message.' },
    ],
    [
      'MCP image part',
      JSON.stringify({ content: [{ type: 'image', mimeType: 'image/png', data: 'xx' }] }),
      { result: '[image image/png content omitted]' },
    ],
    ['MCP structuredContent only', JSON.stringify({ content: [], structuredContent: { n: 1 } }), { result: { n: 1 } }],
    ['a non-string answer (legacy)', { a: 1 }, { result: { a: 1 } }],
    ['undefined answer', undefined, { result: null }],
    ['object with content that is not MCP', '{"content":"x"}', { result: { content: 'x' } }],
  ])('%s', (_label, answer, expected) => {
    expect(normalizeResult(answer).output).toEqual(expected);
  });

  it('cuts an oversized result with a visible mark and says so', () => {
    const big = JSON.stringify({ text: 'x'.repeat(50_000) });
    const { output, truncated } = normalizeResult(big, 1000);
    expect(truncated).toBe(true);
    const result = (output as { result: string }).result;
    expect(typeof result).toBe('string');
    expect(result).toContain("…[truncated: the tool's result was 50011 bytes; only the first 1000 are shown]");
    expect(result.startsWith('{"text":"xxx')).toBe(true);
  });

  it('never splits a UTF-8 character when cutting', () => {
    expect(cutUtf8('€€€', 4)).toBe('€');
    expect(cutUtf8('ab', 10)).toBe('ab');
  });

  it('keeps results at exactly the cap whole', () => {
    expect(normalizeResult(`"${'a'.repeat(8)}"`, 8)).toEqual({ output: { result: 'aaaaaaaa' }, truncated: false });
  });
});

describe('safeJsonStringify', () => {
  it('survives circular, BigInt, functions and throwing getters', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(safeJsonStringify(circular)).toBe('{"a":1,"self":"[Circular]"}');
    expect(safeJsonStringify({ n: 10n })).toBe('{"n":"10"}');
    expect(safeJsonStringify(() => 1)).toBe('undefined');
    expect(safeJsonStringify(undefined)).toBe('undefined');
    expect(
      safeJsonStringify({
        get x() {
          throw new Error('nope');
        },
      }),
    ).toBe('{"unserializable":"nope"}');
  });
});
