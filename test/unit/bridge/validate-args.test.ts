import { describe, expect, it } from 'vitest';
import { argumentProblems, coerceArguments, invalidArgumentsMessage } from '../../../src/bridge/validate-args.js';

const schema = {
  type: 'object',
  properties: {
    q: { type: 'string', minLength: 1 },
    qty: { type: 'integer', minimum: 1 },
    opts: { type: 'object', properties: { sort: { enum: ['price', 'name'] } }, additionalProperties: false },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['q'],
};

describe('argument validation', () => {
  it('accepts valid arguments', () => {
    expect(argumentProblems(schema, { q: 'shoes', qty: 2, opts: { sort: 'price' }, tags: ['a'] })).toBeUndefined();
  });

  it('names each leaf problem with its path, without the wrapper noise', () => {
    expect(argumentProblems(schema, { qty: 'two', opts: { sort: 'size', extra: 1 }, tags: ['a', 3] })).toEqual([
      'arguments: Missing required property "q".',
      'arguments.qty: Instance type "string" is invalid. Expected "integer".',
      'arguments.opts.sort: Must be one of ["price","name"].',
      'arguments.opts: Property "extra" is not allowed (known: "sort").',
      'arguments.tags[1]: Instance type "number" is invalid. Expected "string".',
    ]);
  });

  it('answers bounds, and the closest alternative of a union, at the right paths', () => {
    const union = {
      type: 'object',
      properties: {
        q: { type: 'string', minLength: 1 },
        line: {
          oneOf: [
            {
              type: 'object',
              properties: { kind: { const: 'sku' }, sku: { type: 'string' } },
              required: ['kind', 'sku'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: { kind: { const: 'qty' }, qty: { type: 'integer', minimum: 1 } },
              required: ['kind', 'qty'],
              additionalProperties: false,
            },
          ],
        },
        'a/b': { type: 'array', maxItems: 1 },
      },
    };
    expect(argumentProblems(union, { q: '', line: { kind: 'qty', qty: 0 }, 'a/b': [1, 2] })).toEqual([
      'arguments.q: Must have at least 1 characters (has 0).',
      'arguments.line: Must match exactly one "oneOf" schema (matches 0).',
      'arguments.line.qty: Must be >= 1.',
      'arguments.a/b: Must have at most 1 items (has 2).',
    ]);
  });

  it('lists at most eight problems', () => {
    const problems = argumentProblems(
      { type: 'array', items: { type: 'string' } },
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(problems).toHaveLength(9);
    expect(problems?.[8]).toBe('… and 4 more');
  });

  it('builds a message the model can act on', () => {
    expect(invalidArgumentsMessage('search', ['arguments.q: x'])).toBe(
      'Invalid arguments for tool "search": arguments.q: x. Fix the arguments to match the tool\'s parameters schema and call it again.',
    );
  });

  it('treats missing arguments as {} and parses a JSON string', () => {
    expect(coerceArguments(undefined)).toEqual({ args: {} });
    expect(coerceArguments(null)).toEqual({ args: {} });
    expect(coerceArguments('{"q":"x"}')).toEqual({ args: { q: 'x' } });
    expect(coerceArguments('nope')).toEqual({ error: 'arguments must be a JSON object, got a string that is not JSON' });
    expect(coerceArguments([1])).toEqual({ error: 'arguments must be a JSON object, got an array' });
    expect(coerceArguments(3)).toEqual({ error: 'arguments must be a JSON object, got number' });
  });

  it('skips validation for a schema the validator cannot read rather than blocking the tool', () => {
    expect(argumentProblems({ type: 'object', $ref: '#/nowhere' }, {})).toBeUndefined();
  });
});
