/**
 * Tools that come and go: after a tool round, the resume carries the page's
 * tools as they are now, over the real bridge (our polyfill) and the real
 * reference API.
 */
import { describe, expect, it } from 'vitest';
import { createBridge } from '../../../src/bridge/index.js';
import type { BridgeWindow } from '../../../src/bridge/model-context.js';
import { ModelContextPolyfill } from '../../../src/bridge/polyfill.js';
import { lastText } from '../../support/last-text.js';
import { ORIGIN, useTestApi, type TestApi } from './helpers.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

function page() {
  const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
    document: { modelContext: ModelContextPolyfill };
  };
  win.document.modelContext = new ModelContextPolyfill(win as unknown as Window);
  return win;
}

const schema = { type: 'object', properties: {} } as const;

describe('the resume carries the tool list as it is now', () => {
  it('a tool that unregisters itself during its call while a new one appears: the resume carries the new list, and the new tool can be called', async () => {
    const win = page();
    const context = win.document.modelContext;
    const ran: string[] = [];
    const checkoutRegistration = new AbortController();
    await context.registerTool(
      {
        name: 'checkout',
        description: 'Places the order',
        inputSchema: schema,
        execute: async () => {
          ran.push('checkout');
          // The page moves on: checkout is gone, order tracking appears.
          checkoutRegistration.abort();
          await context.registerTool({
            name: 'track_order',
            description: 'Where the order is',
            inputSchema: schema,
            execute: () => {
              ran.push('track_order');
              return { status: 'shipped' };
            },
          });
          return { order: 'A-1' };
        },
      },
      { signal: checkoutRegistration.signal },
    );
    await api.script([
      [{ toolCall: { name: 'webmcp:checkout', arguments: {} } }],
      [{ toolCall: { name: 'webmcp:track_order', arguments: {} } }],
      'Order A-1 has shipped.',
    ]);
    const session = open({ bridge: createBridge({ window: win }) });
    await session.send('buy it and tell me where it is');
    await session.idle();

    expect(session.state.value.error).toBeNull();
    const chat = (await api.log('chat')).requests[0]!;
    expect(chat.body.clientTools?.map((tool) => tool.name)).toEqual(['checkout']);
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(2);
    expect(resumes[0]!.toolOutputs).toEqual({ [Object.keys(resumes[0]!.toolOutputs)[0]!]: { result: { order: 'A-1' } } });
    expect(resumes[0]!.body.clientTools?.map((tool) => tool.name)).toEqual(['track_order']);
    expect(ran).toEqual(['checkout', 'track_order']);
    expect(Object.values(session.state.value.toolCalls).map((call) => [call.name, call.status])).toEqual([
      ['checkout', 'done'],
      ['track_order', 'done'],
    ]);
    expect(lastText(session)).toBe('Order A-1 has shipped.');
  });

  it('a page whose WebMCP never announces changes (an older testing API without toolchange): the resume still carries the new list', async () => {
    const ran: string[] = [];
    const tools = new Map<string, { description: string; run: () => unknown }>();
    tools.set('checkout', {
      description: 'Places the order',
      run: () => {
        ran.push('checkout');
        tools.delete('checkout');
        tools.set('track_order', {
          description: 'Where the order is',
          run: () => {
            ran.push('track_order');
            return { status: 'shipped' };
          },
        });
        return { order: 'A-1' };
      },
    });
    const win: BridgeWindow = {
      location: { origin: ORIGIN },
      navigator: {
        modelContextTesting: {
          listTools: () => [...tools].map(([name, tool]) => ({ name, description: tool.description, inputSchema: JSON.stringify(schema) })),
          executeTool: async (name: string) => JSON.stringify(tools.get(name)!.run()),
        },
      },
    };
    await api.script([
      [{ toolCall: { name: 'webmcp:checkout', arguments: {} } }],
      [{ toolCall: { name: 'webmcp:track_order', arguments: {} } }],
      'Order A-1 has shipped.',
    ]);
    // This listing carries no hints, so each call asks first (the approval rule for hint-less listings); the person says yes.
    const asked: string[] = [];
    const approve = async (request: { toolName: string }) => {
      asked.push(request.toolName);
      return 'allow-once' as const;
    };
    const session = open({ bridge: createBridge({ window: win }), approve });
    await session.send('buy it and tell me where it is');
    await session.idle();

    expect(session.state.value.error).toBeNull();
    expect(asked).toEqual(['checkout', 'track_order']);
    const resumes = (await api.log('resume')).requests;
    expect(resumes[0]!.body.clientTools?.map((tool) => tool.name)).toEqual(['track_order']);
    expect(ran).toEqual(['checkout', 'track_order']);
    expect(lastText(session)).toBe('Order A-1 has shipped.');
  });

  it('a round that changes no tool: the resume carries no list (the server already has it)', async () => {
    const win = page();
    await win.document.modelContext.registerTool({
      name: 'get_cart',
      description: 'The cart',
      inputSchema: schema,
      execute: () => ({ items: [] }),
    });
    await api.script([[{ toolCall: { name: 'webmcp:get_cart', arguments: {} } }], 'Empty.']);
    const session = open({ bridge: createBridge({ window: win }) });
    await session.send('cart?');
    await session.idle();
    expect(lastText(session)).toBe('Empty.');
    const resume = (await api.log('resume')).requests[0]!;
    expect(resume.body.clientTools).toBeUndefined();
    expect(resume.body.clientToolsFingerprint).toBeUndefined();
  });
});
