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

  it('shows the SPA example exactly as the type check compiles it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('examples/spa-widget.ts', 'utf8')
      .replace("from '../src/index.js'", "from 'webmcp-chat'")
      .replace("import '../src/polyfill.js';", "import 'webmcp-chat/polyfill';");
    expect(readme).toContain('```ts\n' + example + '```');
  });
});
