import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('shows the core example exactly as the browser test runs it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('examples/core-conversation.ts', 'utf8')
      // The README imports the package; the repository imports the source.
      .replace("from '../src/core.js'", "from 'webmcp-chat/core'");
    expect(readme).toContain('```ts\n' + example + '```');
  });
});
