/**
 * The group guard (test/browser/support/webmcp-group.ts) itself: it names the
 * WebMCP this page really has, agrees with the bridge, and fails loudly when
 * the page has another one than the group's runner page asked for, which is
 * how the `mcpb` group once ran on our polyfill without anyone noticing.
 */
import { createBridge } from '../../../src/bridge/index.js';
import { assertExpectedWebMcp, expectedWebMcp, installedWebMcp } from '../support/webmcp-group.js';
import { contains, eq, impl, rejection } from './support.js';

/** Runs `body` with the page's expectation set to `value`, then puts the page back as it was. */
function withExpected(value: string, body: () => void): void {
  const existing = document.querySelector<HTMLMetaElement>('meta[name="webmcp-expected"]');
  const meta = existing ?? document.head.appendChild(Object.assign(document.createElement('meta'), { name: 'webmcp-expected' }));
  const before = meta.content;
  meta.content = value;
  try {
    body();
  } finally {
    if (existing) meta.content = before;
    else meta.remove();
  }
}

describe(`WebMCP group guard (${impl})`, () => {
  it('names the implementation the page has, as the bridge detects it and as the group asked', () => {
    eq(createBridge().kind, installedWebMcp(), 'the bridge');
    const expected = expectedWebMcp();
    if (expected !== null) eq(installedWebMcp(), expected, 'the group');
  });

  it('fails a page whose WebMCP is not the one its group names, saying both', async () => {
    const other = impl === 'mcp-b' ? 'native' : 'mcp-b';
    const error = await rejection(Promise.resolve().then(() => withExpected(other, assertExpectedWebMcp)));
    contains(error?.message, `meant to run on "${other}"`);
    contains(error?.message, `document.modelContext is "${impl}"`);
  });
});
