// @vitest-environment happy-dom
/**
 * The loader hands the panel its own copies of shared modules
 * (src/embed/handover.ts): the panel's build reads export N of HANDED_OVER
 * from slot N of the handed list, so the list must hold exactly those
 * exports, in that order.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HANDED_OVER, HANDOVER, handOver } from '../../../src/embed/handover.js';

const root = resolve(import.meta.dirname, '../../..');
const key = Symbol.for(HANDOVER);

describe('handOver', () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[key];
  });

  it('lists each export HANDED_OVER names, from its module, in order', async () => {
    handOver();
    const handed = (globalThis as Record<symbol, unknown>)[key] as unknown[];
    const expected = await Promise.all(HANDED_OVER.map(async ([file, name]) => (await import(resolve(root, file)))[name] as unknown));
    expect(expected.every((value) => typeof value === 'function')).toBe(true);
    expect(handed).toHaveLength(expected.length);
    for (const [index, value] of handed.entries()) expect(value, HANDED_OVER[index]!.join(' ')).toBe(expected[index]);
  });
});
