// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineTool, jsonSchemaOf } from '../../../src/bridge/define-tool.js';
import { createBridge } from '../../../src/bridge/create-bridge.js';
import { installPolyfill, ModelContextPolyfill } from '../../../src/bridge/polyfill.js';

const call = (toolName: string, parameters: unknown = {}) => ({ toolCallId: 'c1', toolName, parameters });

afterEach(() => {
  // A fresh page each time: the polyfill also puts the older shape on navigator.
  delete (document as { modelContext?: unknown }).modelContext;
  delete (navigator as { modelContext?: unknown }).modelContext;
});

describe('installPolyfill', () => {
  it('installs once and never over an existing modelContext', () => {
    expect(installPolyfill()).toBe(true);
    const first = (document as { modelContext?: unknown }).modelContext;
    expect(first).toBeInstanceOf(ModelContextPolyfill);
    expect(installPolyfill()).toBe(false);
    expect((document as { modelContext?: unknown }).modelContext).toBe(first);
  });
});

describe('ModelContextPolyfill', () => {
  it('follows the draft: name rule, duplicates, signal, toolchange, JSON answers', async () => {
    const context = new ModelContextPolyfill(window as unknown as Window);
    const changes = vi.fn();
    context.ontoolchange = changes;
    await expect(context.registerTool({ name: 'bad name', description: 'd', execute: () => 1 })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    await expect(context.registerTool({ name: 'x', description: '', execute: () => 1 })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    const controller = new AbortController();
    await context.registerTool(
      { name: 'echo', description: 'Echo', execute: (input: unknown) => input },
      { signal: controller.signal, exposedTo: ['https://b.example'] },
    );
    await expect(context.registerTool({ name: 'echo', description: 'again', execute: () => 1 })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    const [handle] = await context.getTools();
    expect(handle).toMatchObject({ name: 'echo', title: '', description: 'Echo', origin: location.origin, window });
    expect(await context.executeTool(handle!, { a: 1 })).toBe('{"a":1}');
    expect(await context.executeTool(handle!, '{"a":2}')).toBe('{"a":2}');
    await expect(context.executeTool(handle!, 'nope')).rejects.toThrow('invalid input object');
    await vi.waitFor(() => expect(changes).toHaveBeenCalledTimes(1));
    controller.abort();
    expect(await context.getTools()).toEqual([]);
    await vi.waitFor(() => expect(changes).toHaveBeenCalledTimes(2));
    await expect(context.executeTool(handle!, {})).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('answers raw strings, "undefined" and passes {signal} to execute', async () => {
    const context = new ModelContextPolyfill(window as unknown as Window);
    let signal: AbortSignal | undefined;
    await context.registerTool({ name: 's', description: 'd', execute: () => 'plain' });
    await context.registerTool({
      name: 'u',
      description: 'd',
      execute: (_i, ctx) => {
        signal = ctx?.signal;
      },
    });
    await context.registerTool({
      name: 'w',
      description: 'd',
      execute: (_i, ctx) => {
        signal = ctx?.signal;
        return new Promise(() => {});
      },
    });
    const [s, u, w] = await context.getTools();
    expect(await context.executeTool(s!, {})).toBe('plain');
    // Like native: each call gets a signal of its own, also when the caller passes none…
    expect(await context.executeTool(u!, {})).toBe('undefined');
    expect(signal).toBeInstanceOf(AbortSignal);
    // …and it aborts when the caller's signal does.
    const controller = new AbortController();
    signal = undefined;
    const pending = context.executeTool(w!, {}, { signal: controller.signal });
    await vi.waitFor(() => expect(signal).not.toBe(undefined));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect((signal as AbortSignal | undefined)?.aborted).toBe(true);
  });
});

describe('defineTool', () => {
  const input = z.object({ query: z.string().min(1), limit: z.number().int().max(50).optional() });

  it('derives the JSON Schema from zod without importing zod itself', () => {
    expect(jsonSchemaOf(input)).toEqual({
      type: 'object',
      properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', maximum: 50, minimum: -9007199254740991 } },
      required: ['query'],
    });
  });

  it('takes an explicit jsonSchema and refuses a schema it cannot convert', () => {
    const opaque = { '~standard': { version: 1, vendor: 'other', validate: (v: unknown) => ({ value: v }) } } as const;
    expect(jsonSchemaOf(opaque, { type: 'object', properties: {} })).toEqual({ type: 'object', properties: {} });
    expect(() => jsonSchemaOf(opaque)).toThrow('cannot derive a JSON Schema from a "other" schema');
  });

  it('registers, validates through the schema, types execute, and unregisters', async () => {
    installPolyfill();
    const execute = vi.fn(({ query, limit }: { query: string; limit?: number | undefined }) => ({ hits: [`${query}:${limit ?? 10}`] }));
    const off = defineTool({ name: 'search', description: 'Search the shop', input, annotations: { readOnlyHint: true }, execute });
    await off.ready;
    const bridge = createBridge();
    const snap = await bridge.snapshot();
    expect(snap.tools[0]?.parametersSchema).toMatchObject({ type: 'object', required: ['query'] });
    expect((await bridge.run(call('search', { query: 'shoes' }), snap)).output).toEqual({ result: { hits: ['shoes:10'] } });
    // A rule JSON Schema cannot say (a refine) is caught by defineTool before execute.
    const refined = defineTool({
      name: 'even',
      description: 'Even only',
      input: z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') }),
      execute: ({ n }) => n,
    });
    await refined.ready;
    const snap2 = await bridge.snapshot();
    expect((await bridge.run(call('even', { n: 3 }), snap2)).output).toEqual({
      error: 'Invalid arguments for tool "even": n: n must be even. Fix the arguments and call it again.',
    });
    off();
    expect((await bridge.snapshot()).tools.map((t) => t.name)).toEqual(['even']);
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it("turns a throwing execute into the tool's own message", async () => {
    installPolyfill();
    const off = defineTool({
      name: 'fail',
      description: 'Fails',
      input: z.object({}),
      execute: () => {
        throw new Error('sold out');
      },
    });
    await off.ready;
    const bridge = createBridge();
    expect((await bridge.run(call('fail'), await bridge.snapshot())).output).toEqual({ error: 'sold out' });
    off();
  });

  it('tolerates double registration (StrictMode, hot reload)', async () => {
    installPolyfill();
    const first = defineTool({ name: 'twice', description: 'one', input: z.object({}), execute: () => 1 });
    first(); // StrictMode: cleanup right after mount…
    const second = defineTool({ name: 'twice', description: 'two', input: z.object({}), execute: () => 2 });
    await second.ready;
    // hot reload: the module runs again without cleanup
    const third = defineTool({ name: 'twice', description: 'three', input: z.object({}), execute: () => 3 });
    await third.ready;
    const tools = await (document as unknown as { modelContext: ModelContextPolyfill }).modelContext.getTools();
    expect(tools.map((t) => t.description)).toEqual(['three']);
    third();
  });

  it('reports a foreign duplicate through ready', async () => {
    installPolyfill();
    const context = (document as unknown as { modelContext: ModelContextPolyfill }).modelContext;
    await context.registerTool({ name: 'taken', description: 'page', execute: () => 1 });
    const off = defineTool({ name: 'taken', description: 'mine', input: z.object({}), execute: () => 2 });
    await expect(off.ready).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
