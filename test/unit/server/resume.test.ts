import { describe, expect, it } from 'vitest';
import { fixedScriptAgent, type Agent, type AgentRequest } from './imports.js';
import { GET_CART, SEARCH, errorOf, frames, ofType, start, types, type Api } from './helpers.js';

/** Calls the two tools at once, then answers from what came back. */
function twoToolAgent(calls: AgentRequest[]): Agent {
  return {
    name: 'two-tools',
    async *run(request) {
      calls.push({ ...request, messages: [...request.messages] });
      if (request.iteration === 1) {
        yield { type: 'text', delta: 'Checking.' };
        yield { type: 'tool_call', id: 'call_a', name: 'webmcp:search_products', arguments: { query: 'shoes' } };
        yield { type: 'tool_call', id: 'call_b', name: 'webmcp:get_cart', arguments: {} };
      } else {
        yield { type: 'text', delta: 'Done.' };
      }
    },
  };
}

async function pausedOnTwo(api: Api) {
  const sessionId = await api.init();
  const list = await frames(await api.chat(sessionId, 'search and cart', { clientTools: [SEARCH, GET_CART] }));
  const executionId = (list[0]!.event as { executionId: string }).executionId;
  return { sessionId, executionId, list };
}

describe('await and POST /v1/client/resume', () => {
  it('yields one await per client call in one stream, which ends without execution_complete', async () => {
    const api = await start({}, { agent: () => twoToolAgent([]) });
    const { list } = await pausedOnTwo(api);
    const awaits = ofType(list, 'await');
    expect(awaits.map((frame) => [frame.toolCallId, frame.toolName, frame.origin])).toEqual([
      ['call_a', 'search_products', 'webmcp'],
      ['call_b', 'get_cart', 'webmcp'],
    ]);
    expect(awaits[0]!.parameters).toEqual({ query: 'shoes' });
    expect(Date.parse(awaits[0]!.awaitedAt!)).not.toBeNaN();
    expect(types(list).at(-1)).toBe('await');
    expect(types(list)).not.toContain('execution_complete');
  });

  it('continues the same execution: admission, tool_complete per call, new turn_start, no execution_start', async () => {
    const calls: AgentRequest[] = [];
    const api = await start({}, { agent: () => twoToolAgent(calls) });
    const { sessionId, executionId, list } = await pausedOnTwo(api);
    const resumed = await frames(
      await api.resume(sessionId, executionId, { call_a: { result: [{ id: 'p1' }] }, call_b: { error: 'declined by the person' } }),
    );
    expect(types(resumed).slice(0, 4)).toEqual(['custom', 'tool_complete', 'tool_complete', 'turn_start']);
    expect(types(resumed)).not.toContain('execution_start');
    expect(types(resumed).at(-1)).toBe('execution_complete');
    for (const frame of resumed) expect((frame.event as { executionId: string }).executionId).toBe(executionId);
    expect((resumed[0]!.event as { seq: number }).seq).toBe(list.length + 1);
    expect(ofType(resumed, 'turn_start')[0]!.iteration).toBe(2);
    expect(ofType(resumed, 'tool_complete')).toEqual([
      expect.objectContaining({ toolCallId: 'call_a', success: true, result: [{ id: 'p1' }] }),
      expect.objectContaining({ toolCallId: 'call_b', success: false, error: 'declined by the person' }),
    ]);
    // The agent saw both results, keyed by call, as tool messages.
    expect(calls[1]!.messages.slice(-2)).toEqual([
      { role: 'tool', toolCallId: 'call_a', name: 'webmcp:search_products', content: '[{"id":"p1"}]' },
      { role: 'tool', toolCallId: 'call_b', name: 'webmcp:get_cart', content: 'declined by the person', isError: true },
    ]);
  });

  it('needs every awaited toolCallId, listing the missing ones in a 400', async () => {
    const api = await start({}, { agent: () => twoToolAgent([]) });
    const { sessionId, executionId } = await pausedOnTwo(api);
    const { status, body } = await errorOf(await api.resume(sessionId, executionId, { call_a: { result: 1 } }));
    expect(status).toBe(400);
    expect(body.error).toBe('missing_tool_outputs');
    expect(body.missing).toEqual(['call_b']);
    expect(body.hint).toContain('call_b');
    // Nothing was lost: a complete resume still works afterwards.
    expect(types(await frames(await api.resume(sessionId, executionId, { call_a: { result: 1 }, call_b: { result: 2 } }))).at(-1)).toBe(
      'execution_complete',
    );
  });

  it.each([
    ['{result}', { result: { total: 3 } }, true, { total: 3 }, 'Done'],
    ['{error}', { error: 'timed out' }, false, undefined, 'timed out'],
    ['MCP content', { content: [{ type: 'text', text: 'two items' }] }, true, 'two items', ''],
    ['MCP isError', { content: [{ type: 'text', text: 'no such item' }], isError: true }, false, undefined, 'no such item'],
    ['a bare value', 42, true, 42, ''],
  ])('takes an output as %s, keyed by tool name for a single call', async (_label, output, success, result, _text) => {
    const agent = fixedScriptAgent([[{ toolCall: { name: 'get_cart' } }], 'thanks']);
    const api = await start({}, { agent: () => agent });
    const sessionId = await api.init();
    const list = await frames(await api.chat(sessionId, 'cart', { clientTools: [GET_CART] }));
    const executionId = (list[0]!.event as { executionId: string }).executionId;
    const resumed = await frames(await api.resume(sessionId, executionId, { get_cart: output }));
    const complete = ofType(resumed, 'tool_complete')[0]!;
    expect(complete.toolCallId).toBe(ofType(list, 'await')[0]!.toolCallId);
    expect(complete.success).toBe(success);
    if (success) expect(complete.result).toEqual(result);
    else expect(typeof complete.error).toBe('string');
  });

  it('answers 404 to another session, even of the same token and origin', async () => {
    const api = await start({}, { agent: () => twoToolAgent([]) });
    const { executionId } = await pausedOnTwo(api);
    const stranger = await api.init();
    const { status, body } = await errorOf(await api.resume(stranger, executionId, { call_a: 1, call_b: 2 }));
    expect(status).toBe(404);
    expect(body.error).toBe('execution_not_found');
  });

  it('answers 409 when the execution is not awaiting tools', async () => {
    const api = await start();
    const sessionId = await api.init();
    const list = await frames(await api.chat(sessionId, 'hello'));
    const executionId = (list[0]!.event as { executionId: string }).executionId;
    const { status, body } = await errorOf(await api.resume(sessionId, executionId, { anything: 1 }));
    expect(status).toBe(409);
    expect(body.error).toBe('execution_not_awaiting');
  });

  it('answers an identical repeated resume from the log: same frames, the agent not run again', async () => {
    const calls: AgentRequest[] = [];
    const api = await start({}, { agent: () => twoToolAgent(calls) });
    const { sessionId, executionId } = await pausedOnTwo(api);
    const outputs = { call_a: { result: 'a' }, call_b: { result: 'b' } };
    const first = await frames(await api.resume(sessionId, executionId, outputs));
    const again = await frames(await api.resume(sessionId, executionId, outputs));
    expect(again).toEqual(first);
    expect(calls).toHaveLength(2);
    // Idempotent by toolCallId: different outputs for answered calls change nothing either.
    const changed = await frames(await api.resume(sessionId, executionId, { call_a: { result: 'other' }, call_b: { result: 'b' } }));
    expect(changed).toEqual(first);
    expect(calls).toHaveLength(2);
  });

  it('pauses again on a later await and replays an earlier round while the later one waits', async () => {
    const agent = fixedScriptAgent([
      [{ toolCall: { name: 'get_cart', id: 'r1' } }],
      [{ text: 'and now' }, { toolCall: { name: 'search_products', id: 'r2', arguments: { query: 'hats' } } }],
      'all done',
    ]);
    const api = await start({}, { agent: () => agent });
    const sessionId = await api.init();
    const chat = await frames(await api.chat(sessionId, 'go', { clientTools: [SEARCH, GET_CART] }));
    const executionId = (chat[0]!.event as { executionId: string }).executionId;
    const second = await frames(await api.resume(sessionId, executionId, { r1: { result: 'cart' } }));
    expect(ofType(second, 'await').map((frame) => frame.toolCallId)).toEqual(['r2']);
    const repeat = await frames(await api.resume(sessionId, executionId, { r1: { result: 'cart' } }));
    expect(repeat).toEqual(second);
    const last = await frames(await api.resume(sessionId, executionId, { r2: { result: 'hats' } }));
    expect(ofType(last, 'execution_complete')[0]!.finalOutput).toBe('all done');
  });

  it('re-admits tools a resume sends and keeps the earlier ones otherwise', async () => {
    const seen: AgentRequest[] = [];
    const agent: Agent = {
      name: 'x',
      async *run(request) {
        seen.push(request);
        if (request.iteration === 1) yield { type: 'tool_call', id: 'only', name: 'webmcp:get_cart' };
        else yield { type: 'text', delta: 'fine' };
      },
    };
    const api = await start({}, { agent: () => agent });
    const sessionId = await api.init('ct_test_strict');
    const chat = await frames(await api.chat(sessionId, 'go', { clientTools: [GET_CART] }));
    const executionId = (chat[0]!.event as { executionId: string }).executionId;
    const resumed = await frames(await api.resume(sessionId, executionId, { only: { result: 1 } }, { clientTools: [GET_CART, SEARCH] }));
    expect(ofType(resumed, 'custom')[0]!.value).toEqual({ admitted: ['get_cart', 'search_products'], dropped: [] });
    expect(seen[1]!.tools.map((entry) => entry.name)).toEqual(['webmcp:get_cart', 'webmcp:search_products']);
  });

  it('refuses a resume without an executionId or toolOutputs with 400', async () => {
    const api = await start();
    const sessionId = await api.init();
    expect((await errorOf(await api.post('/v1/client/resume', { sessionId, toolOutputs: {} }))).status).toBe(400);
    expect((await errorOf(await api.post('/v1/client/resume', { sessionId, executionId: 'exec_x' }))).status).toBe(400);
  });
});
