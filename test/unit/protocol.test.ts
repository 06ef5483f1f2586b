import { describe, expect, it } from 'vitest';
import {
  admitTools,
  bareToolName,
  checkShape,
  matchesRuleOrigin,
  matchesToolPattern,
  parseStreamEvent,
  STREAM_EVENT_SHAPES,
  toolSetProblem,
  toolsFingerprint,
  type ClientTool,
} from '../../src/protocol/index.js';
import { STREAM_EVENT_SCHEMAS } from '../../src/protocol/schemas.js';

const tool = (name: string, extra: Partial<ClientTool> = {}): ClientTool => ({
  name,
  description: `Does ${name}`,
  parametersSchema: { type: 'object', properties: {} },
  origin: 'webmcp',
  ...extra,
});

describe('allowlist patterns', () => {
  it('matches an exact name or a prefix with one trailing star, nothing else', () => {
    expect(matchesToolPattern('get_cart', 'get_cart')).toBe(true);
    expect(matchesToolPattern('get_cart', 'get_cart2')).toBe(false);
    expect(matchesToolPattern('search_*', 'search_products')).toBe(true);
    expect(matchesToolPattern('search_*', 'search_')).toBe(true);
    expect(matchesToolPattern('search_*', 'research_x')).toBe(false);
    expect(matchesToolPattern('*', 'anything')).toBe(true);
    // A star that is not trailing is an ordinary character.
    expect(matchesToolPattern('se*ch', 'search')).toBe(false);
    expect(matchesToolPattern('se*ch', 'se*ch')).toBe(true);
  });

  it('matches a rule origin exactly or by *', () => {
    expect(matchesRuleOrigin('*', 'https://a.example')).toBe(true);
    expect(matchesRuleOrigin('https://a.example', 'https://a.example')).toBe(true);
    expect(matchesRuleOrigin('https://a.example', 'https://a.example:8443')).toBe(false);
    expect(matchesRuleOrigin('https://a.example', undefined)).toBe(false);
  });
});

describe('admission', () => {
  const tools = [tool('search_products'), tool('delete_account'), tool('sdk_thing', { origin: 'sdk' }), tool('bad name')];

  it('drops every webmcp tool when WebMCP is disabled, but never an sdk tool', () => {
    const verdict = admitTools(tools, { enabled: false }, 'https://shop.example');
    expect(verdict.admitted).toEqual(['sdk_thing']);
    expect(verdict.dropped).toEqual([
      { name: 'search_products', reason: 'disabled' },
      { name: 'delete_account', reason: 'disabled' },
      { name: 'bad name', reason: 'invalid', detail: expect.stringContaining('name') },
    ]);
  });

  it('admits every webmcp tool when enabled without an allowlist', () => {
    expect(admitTools(tools, { enabled: true }, 'https://shop.example').admitted).toEqual([
      'search_products',
      'delete_account',
      'sdk_thing',
    ]);
  });

  it('admits none with an empty allowlist', () => {
    expect(admitTools(tools, { enabled: true, allowlist: [] }, 'https://shop.example').admitted).toEqual(['sdk_thing']);
  });

  it('scopes rules by the request origin', () => {
    const policy = {
      enabled: true,
      allowlist: [
        { origin: 'https://store.example.com', tools: ['search_*'] },
        { origin: '*', tools: ['delete_account'] },
      ],
    };
    expect(admitTools(tools, policy, 'https://store.example.com').admitted).toEqual(['search_products', 'delete_account', 'sdk_thing']);
    const elsewhere = admitTools(tools, policy, 'https://other.example');
    expect(elsewhere.admitted).toEqual(['delete_account', 'sdk_thing']);
    expect(elsewhere.dropped[0]).toEqual({ name: 'search_products', reason: 'no_matching_rule' });
  });
});

describe('limits', () => {
  it('names the offending tool', () => {
    expect(toolSetProblem([tool('ok'), tool('also ok?')])).toEqual({ tool: 'also ok?', message: expect.stringContaining('name') });
    expect(toolSetProblem([tool('a', { description: '' })])).toEqual({ tool: 'a', message: 'description is empty' });
    expect(toolSetProblem([tool('a', { description: 'x'.repeat(1025) })])?.tool).toBe('a');
    expect(toolSetProblem([tool('a'), tool('a')])).toEqual({ tool: 'a', message: 'duplicate tool name' });
    expect(toolSetProblem(Array.from({ length: 51 }, (_, i) => tool(`t${i}`)))?.tool).toBe('t50');
    expect(toolSetProblem([tool('x'.repeat(128))])).toBeUndefined();
    expect(toolSetProblem([tool('x'.repeat(129))])?.tool).toBe('x'.repeat(129));
  });

  it('refuses a tool set over 64 KB serialized', () => {
    const big = Array.from({ length: 40 }, (_, i) =>
      tool(`t${i}`, { parametersSchema: { type: 'object', description: 'é'.repeat(1000) } }),
    );
    expect(toolSetProblem(big)?.message).toMatch(/bytes, over 65536/);
  });

  it('strips the server-owned prefix', () => {
    expect(bareToolName('webmcp:get_cart')).toBe('get_cart');
    expect(bareToolName('get_cart')).toBe('get_cart');
  });
});

describe('fingerprint', () => {
  it('is stable under key order and tool order, and changes with any content', () => {
    const a = tool('a', { parametersSchema: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'number' } } } });
    const aReordered = {
      origin: 'webmcp' as const,
      parametersSchema: { properties: { y: { type: 'number' }, x: { type: 'string' } }, type: 'object' as const },
      description: 'Does a',
      name: 'a',
    };
    const b = tool('b');
    expect(toolsFingerprint([a, b])).toBe(toolsFingerprint([b, aReordered]));
    expect(toolsFingerprint([a, b])).not.toBe(toolsFingerprint([a, tool('b', { description: 'Does b!' })]));
    expect(toolsFingerprint([a])).not.toBe(toolsFingerprint([a, b]));
  });

  it('stays within 128 characters for the largest allowed set', () => {
    const many = Array.from({ length: 50 }, (_, i) => tool(`${'n'.repeat(120)}${i}`, { description: 'd'.repeat(1024) }));
    expect(toolsFingerprint(many).length).toBeLessThanOrEqual(128);
  });
});

describe('parseStreamEvent', () => {
  it('takes the type from data, falling back to the frame name', () => {
    expect(parseStreamEvent('ping', {})).toEqual({ ok: true, event: { type: 'ping' } });
    expect(parseStreamEvent(undefined, {})).toEqual({ ok: false, message: 'frame has no event type' });
    expect(parseStreamEvent('x', [1])).toEqual({ ok: false, message: 'frame data is not a JSON object' });
  });

  it('keeps fields it does not know on known events', () => {
    const parsed = parseStreamEvent(undefined, { type: 'text_delta', id: 't', delta: 'a', extra: 1 });
    expect(parsed).toEqual({ ok: true, event: { type: 'text_delta', id: 't', delta: 'a', extra: 1 } });
  });

  it('does not let an object key named like a prototype member pass as a known type', () => {
    expect(parseStreamEvent(undefined, { type: 'toString' })).toMatchObject({
      ok: true,
      event: { type: 'unknown', originalType: 'toString' },
    });
  });
});

describe('delta fast path', () => {
  it('accepts and refuses deltas exactly as their schemas do', () => {
    const cases: Record<string, unknown>[] = [
      { type: 'text_delta', id: 't', delta: 'x' },
      { type: 'text_delta', id: 't', delta: 'x', seq: 3, executionId: 'e' },
      { type: 'reasoning_delta', id: 'r', delta: '' },
      { type: 'text_delta', id: 't' },
      { type: 'text_delta', id: 1, delta: 'x' },
      { type: 'text_delta', id: 't', delta: 'x', seq: '3' },
      { type: 'reasoning_delta', id: 'r', delta: 'x', executionId: 7 },
    ];
    for (const data of cases) {
      const schema = STREAM_EVENT_SCHEMAS[data.type as 'text_delta'].safeParse(data);
      expect(parseStreamEvent(undefined, data).ok, JSON.stringify(data)).toBe(schema.success);
    }
  });

  it('gives every field of every event type each kind of value, absent included, the verdict its schema gives', () => {
    const values: unknown[] = [undefined, 'text', '', 0, 1.5, true, false, null, {}, { message: 'm' }, { code: 'c' }, [], ['x']];
    const valid: Record<string, unknown> = { string: 's', number: 1, boolean: true, object: {}, array: [], any: 1, error: 'e' };
    for (const [type, shape] of Object.entries(STREAM_EVENT_SHAPES) as [keyof typeof STREAM_EVENT_SHAPES, Record<string, string>][]) {
      const base: Record<string, unknown> = { type, executionId: 'e', seq: 1 };
      for (const [name, spec] of Object.entries(shape)) base[name] = valid[spec.replace('?', '')];
      for (const name of ['executionId', 'seq', ...Object.keys(shape)]) {
        for (const value of values) {
          const data = { ...base, [name]: value };
          if (value === undefined) delete data[name];
          const schema = STREAM_EVENT_SCHEMAS[type].safeParse(data);
          const parsed = parseStreamEvent(undefined, data);
          // The widget's one rule beyond the schema: an await must name its call and tool.
          const emptyAwait = type === 'await' && value === '' && (name === 'toolCallId' || name === 'toolName');
          expect(parsed.ok, `${type}.${name} = ${JSON.stringify(value)}`).toBe(schema.success && !emptyAwait);
          if (!parsed.ok) expect(parsed.message).toMatch(new RegExp(`^${type}: .*\\b${name} `));
        }
      }
    }
  });

  it('reads a prototype member name as an unknown type, whichever one it is', () => {
    for (const type of ['__proto__', 'constructor', 'hasOwnProperty', 'valueOf']) {
      expect(parseStreamEvent(type, {})).toMatchObject({ ok: true, event: { type: 'unknown', originalType: type } });
    }
  });
});

describe('checkShape', () => {
  it('takes null and arrays for no object, objects for no array, and typeof alone only for plain kinds', () => {
    const shape = { o: 'object', a: 'array', e: 'error', s: 'string?' } as const;
    const fine = { o: {}, a: [], e: { message: 'm' } };
    expect(checkShape(fine, shape).ok).toBe(true);
    expect(checkShape({ ...fine, o: null }, shape)).toEqual({ ok: false, problem: 'o should be a object' });
    expect(checkShape({ ...fine, o: [] }, shape)).toEqual({ ok: false, problem: 'o should be a object' });
    expect(checkShape({ ...fine, a: {} }, shape)).toEqual({ ok: false, problem: 'a should be a array' });
    expect(checkShape({ ...fine, e: { code: 'x' } }, shape)).toEqual({ ok: false, problem: 'e should be a string or {message}' });
    expect(checkShape({ ...fine, s: 1 }, shape)).toEqual({ ok: false, problem: 's should be a string' });
    expect(checkShape({ ...fine, o: undefined }, shape)).toEqual({ ok: false, problem: 'o is missing' });
  });
});
