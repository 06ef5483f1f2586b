// @vitest-environment happy-dom
/**
 * The package's runtime exports are a promise to users. These lists are the
 * promise: a new export, or one that disappears, fails here until the list,
 * the README's table and the CHANGELOG say so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CORE = [
  'ChatError',
  'DEFAULT_MAX_RESULT_BYTES',
  'DEFAULT_TIMEOUT_MS',
  'createBridge',
  'createChatSession',
  'createMemoryApprovalStore',
  'defineTool',
  'installPolyfill',
  'isChatError',
  'isToolCallFinished',
  'memoryStore',
  'messageText',
];
const MAIN = ['WebMCPChatElement', 'createChat', 'defineChatElement', 'defineTool'];
const POLYFILL: string[] = [];

describe('public exports', () => {
  it('webmcp-chat/core exports exactly its documented list', async () => {
    const core = await import('../../src/core.js');
    expect(Object.keys(core).sort()).toEqual(CORE);
  });

  it('webmcp-chat exports exactly its documented list', async () => {
    const main = await import('../../src/index.js');
    expect(Object.keys(main).sort()).toEqual(MAIN);
  });

  it('webmcp-chat/polyfill exports nothing (importing it installs the polyfill)', async () => {
    const polyfill = await import('../../src/polyfill.js');
    expect(Object.keys(polyfill)).toEqual(POLYFILL);
  });

  it("the README's table names every value webmcp-chat/core exports", () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('**What `webmcp-chat/core` exports**'));
    expect(table.length).toBeLessThan(readme.length);
    for (const name of CORE) expect(table, name).toContain(`\`${name}`);
  });
});
