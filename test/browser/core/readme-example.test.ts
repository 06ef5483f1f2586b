/**
 * The README's `webmcp-chat/core` example, run as written (examples/core-conversation.ts;
 * test/unit/readme-example.test.ts keeps the README's copy identical) on every
 * WebMCP this group has: our polyfill, native Chromium, or @mcp-b/global.
 */
import { shopConversation } from '../../../examples/core-conversation.js';
import { deepEq, eq, impl, ok, referenceApi, TOKEN } from '../reliability/support.js';

describe(`README example: a conversation through webmcp-chat/core with no UI (${impl})`, () => {
  it('registers typed page tools, runs them when the agent asks, and returns the audit trail', async () => {
    const { transcript, cart } = await shopConversation(await referenceApi(), TOKEN);
    deepEq(cart, ['mug-1'], 'add_to_cart ran once, with the sku from the message');
    const calls = transcript.flatMap((entry) => entry.toolCalls.map((call) => call.name));
    deepEq(calls, ['add_to_cart', 'get_cart'], 'the agent called both page tools, one per turn');
    const results = transcript.flatMap((entry) => entry.toolResults);
    deepEq(
      results.map((result) => result.result),
      [{ added: 'mug-1', items: 1 }, { items: ['mug-1'] }],
    );
    ok(
      results.every((result) => result.error === null || result.error === undefined),
      'no tool failed',
    );
    eq(transcript.at(-1)!.role, 'assistant');
  });
});
