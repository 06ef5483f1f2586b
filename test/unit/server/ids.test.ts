import { describe, expect, it } from 'vitest';
import { start } from './helpers.js';
import { newId } from './imports.js';

describe('ids', () => {
  it('are the prefix and 128 bits in hex, never repeated, across many batches of random bytes', () => {
    const ids = Array.from({ length: 2_000 }, () => newId('cs'));
    for (const id of ids) expect(id).toMatch(/^cs_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit turns up in every position: the bits are spread, not stuck.
    for (let position = 3; position < 35; position++) expect(new Set(ids.map((id) => id[position])).size).toBe(16);
  });

  it('give every session its own id', async () => {
    const api = await start();
    const sessions = await Promise.all(Array.from({ length: 300 }, () => api.init()));
    expect(new Set(sessions).size).toBe(300);
    for (const id of sessions) expect(id).toMatch(/^cs_[0-9a-f]{32}$/);
  });
});
