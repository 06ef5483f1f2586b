import { describe, expect, it } from 'vitest';
import { buildSnapshot, parametersSchemaOf, type RawTool } from '../../../src/bridge/snapshot.js';
import { LIMITS, toolSetProblem, utf8Length } from '../../../src/protocol/index.js';

const raw = (name: string, extra: Partial<RawTool> = {}): RawTool => ({ name, description: `${name} does things`, handle: name, ...extra });

describe('parametersSchemaOf', () => {
  it('defaults a missing or empty schema', () => {
    expect(parametersSchemaOf(undefined)).toEqual({ schema: { type: 'object', properties: {} } });
    expect(parametersSchemaOf({})).toEqual({ schema: { type: 'object', properties: {} } });
  });
  it('accepts an object or a JSON string and adds type:object', () => {
    expect(parametersSchemaOf('{"properties":{"a":{"type":"string"}}}')).toEqual({
      schema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(parametersSchemaOf({ type: 'object', required: ['a'] })).toEqual({ schema: { type: 'object', required: ['a'] } });
  });
  it('refuses non-object schemas with a reason', () => {
    expect(parametersSchemaOf('{nope')).toHaveProperty('problem');
    expect(parametersSchemaOf({ type: 'string' })).toEqual({ problem: 'inputSchema type must be "object", not "string"' });
    expect(parametersSchemaOf([1])).toHaveProperty('problem');
  });
});

describe('buildSnapshot', () => {
  it('maps a tool to the wire shape', () => {
    const { tools, dropped } = buildSnapshot([
      raw('search', {
        origin: 'https://a.example',
        annotations: { untrustedContentHint: true },
        inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
      }),
    ]);
    expect(dropped).toEqual([]);
    expect(tools).toEqual([
      {
        name: 'search',
        description: 'search does things',
        parametersSchema: { type: 'object', properties: { q: { type: 'string' } } },
        origin: 'webmcp',
        pageOrigin: 'https://a.example',
        untrustedContentHint: true,
      },
    ]);
  });

  it('drops bad names, empty and long descriptions, bad schemas, with reasons', () => {
    const { tools, dropped } = buildSnapshot([
      raw('bad name'),
      raw(''),
      raw('x'.repeat(129)),
      raw('empty', { description: '' }),
      raw('long', { description: 'd'.repeat(1025) }),
      raw('schema', { inputSchema: '{' }),
      raw('fine'),
    ]);
    expect(tools.map((t) => t.name)).toEqual(['fine']);
    expect(dropped.map((d) => [d.name.slice(0, 10), d.reason])).toEqual([
      ['bad name', 'invalid_name'],
      ['', 'invalid_name'],
      ['xxxxxxxxxx', 'invalid_name'],
      ['empty', 'empty_description'],
      ['long', 'description_too_long'],
      ['schema', 'invalid_schema'],
    ]);
  });

  it('applies the client allowlist with the server pattern rule', () => {
    const { tools, dropped } = buildSnapshot([raw('cart.add'), raw('cart.remove'), raw('search'), raw('admin')], {
      allowlist: ['cart.*', 'search'],
    });
    expect(tools.map((t) => t.name)).toEqual(['cart.add', 'cart.remove', 'search']);
    expect(dropped).toEqual([{ name: 'admin', reason: 'blocked_by_client_allowlist', detail: 'not matched by the client allowlist' }]);
  });

  it('lets the top page win a name collision, then the first frame', () => {
    const { tools, dropped } = buildSnapshot([
      raw('p1', { fromFrame: true, source: 'iframe a' }),
      raw('p1'),
      raw('f', { fromFrame: true, source: 'iframe a' }),
      raw('f', { fromFrame: true, source: 'iframe b' }),
    ]);
    expect(tools.map((t) => t.name)).toEqual(['p1', 'f']);
    expect(dropped.map((d) => [d.name, d.reason, d.source])).toEqual([
      ['p1', 'name_collision', 'iframe a'],
      ['f', 'name_collision', 'iframe b'],
    ]);
  });

  it('trims over 50 tools by name, the same whatever order the page used', () => {
    const names = Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const a = buildSnapshot(names.map((n) => raw(n)));
    const b = buildSnapshot([...names].reverse().map((n) => raw(n)));
    expect(a.tools.length).toBe(LIMITS.maxClientTools);
    expect(a.tools).toEqual(b.tools);
    expect(a.tools.at(-1)?.name).toBe('t49');
    expect(a.dropped.map((d) => d.reason)).toEqual(Array(10).fill('over_tool_limit'));
    expect(toolSetProblem(a.tools)).toBeUndefined();
  });

  it('keeps the serialized set within 64 KB, skipping a tool that does not fit', () => {
    const fat = (name: string) => raw(name, { inputSchema: { type: 'object', description: 'z'.repeat(20_000) } });
    const { tools, dropped } = buildSnapshot([fat('a'), fat('b'), fat('c'), fat('d'), raw('e')]);
    expect(tools.map((t) => t.name)).toEqual(['a', 'b', 'c', 'e']);
    expect(dropped.map((d) => [d.name, d.reason])).toEqual([['d', 'over_size_limit']]);
    expect(utf8Length(JSON.stringify(tools))).toBeLessThanOrEqual(LIMITS.maxClientToolsBytes);
    expect(toolSetProblem(tools)).toBeUndefined();
  });

  it('keeps a set of exactly 64 KB and drops one byte more', () => {
    const withPad = (pad: string) => raw('a', { inputSchema: { type: 'object', description: pad } });
    const empty = utf8Length(JSON.stringify(buildSnapshot([withPad('')]).tools));
    const exact = 'é'.repeat(10) + 'x'.repeat(LIMITS.maxClientToolsBytes - empty - 20);
    expect(buildSnapshot([withPad(exact)]).tools).toHaveLength(1);
    expect(utf8Length(JSON.stringify(buildSnapshot([withPad(exact)]).tools))).toBe(LIMITS.maxClientToolsBytes);
    expect(buildSnapshot([withPad(`${exact}x`)]).dropped.map((d) => d.reason)).toEqual(['over_size_limit']);
  });
});
