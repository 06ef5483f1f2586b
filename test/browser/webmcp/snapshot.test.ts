/**
 * Snapshot details that depend on the implementation: same-origin iframe tools
 * and declarative form tools. Native Chromium and our polyfill list both in
 * the parent's getTools(); MCP-B sees neither (each frame has its own
 * modelContext, and it does not implement `<form toolname>`), so those tests
 * are skipped there, on purpose.
 */
import { createBridge } from '../../../src/bridge/index.js';
import { context, deepEq, eq, impl, ok, register, unregisterAll, until } from './support.js';

const listed = async (name: string) => (await context.getTools()).some((tool) => tool.name === name);

describe(`snapshot (${impl})`, () => {
  afterEach(unregisterAll);

  it('applies the client allowlist and reports what it dropped', async () => {
    await register({ name: 'snap.cart.add', description: 'd', execute: () => 1 });
    await register({ name: 'snap.admin', description: 'd', execute: () => 1 });
    const snap = await createBridge({ allowlist: ['snap.cart.*'] }).snapshot();
    deepEq(
      snap.tools.filter((t) => t.name.startsWith('snap.')).map((t) => t.name),
      ['snap.cart.add'],
    );
    deepEq(
      snap.dropped.filter((d) => d.name.startsWith('snap.')),
      [{ name: 'snap.admin', reason: 'blocked_by_client_allowlist', detail: 'not matched by the client allowlist' }],
    );
  });

  it('includes same-origin iframe tools; the top page wins a name collision (native, polyfill)', async function () {
    // Each frame has its own modelContext in MCP-B: no frame tools in the parent.
    if (impl === 'mcp-b') this.skip();
    await register({ name: 'snap.collide', description: 'The top copy', execute: () => 'top' });
    const frame = document.createElement('iframe');
    const ready = new Promise((resolve) =>
      window.addEventListener('message', (e) => e.data === 'frame-tools-ready' && resolve(e), { once: true }),
    );
    frame.src = new URL('./frame.html', import.meta.url).pathname;
    document.body.append(frame);
    await ready;
    await until(() => listed('frame.only'), 'the iframe tool listed');
    try {
      const bridge = createBridge();
      const snap = await bridge.snapshot();
      const mine = snap.tools.filter((t) => t.name.startsWith('snap.') || t.name.startsWith('frame.'));
      deepEq(
        mine.map((t) => [t.name, t.description]),
        [
          ['snap.collide', 'The top copy'],
          ['frame.only', 'A tool from the iframe'],
        ],
      );
      const collision = snap.dropped.find((d) => d.name === 'snap.collide');
      eq(collision?.reason, 'name_collision');
      ok(collision?.source?.includes('frame.html'), `source should name the frame: ${collision?.source}`);
      // The frame registered on its own modelContext, unseen by the widget, and native's
      // listing drops hints: a tool that does not say readOnlyHint asks first.
      const reasons: string[] = [];
      const approve = async (request: { reason: string }) => {
        reasons.push(request.reason);
        return 'allow-once' as const;
      };
      deepEq((await bridge.run({ toolCallId: '1', toolName: 'frame.only', parameters: { a: 1 } }, snap, { approve })).output, {
        result: { fromFrame: { a: 1 } },
      });
      deepEq(reasons, ['unverified']);
      deepEq((await bridge.run({ toolCallId: '2', toolName: 'snap.collide', parameters: {} }, snap)).output, { result: 'top' });
    } finally {
      frame.remove();
    }
  });

  it('lists declarative <form toolname> tools with their derived schema (native, polyfill)', async function () {
    if (impl === 'mcp-b') this.skip(); // MCP-B does not implement declarative forms
    const form = document.createElement('form');
    form.setAttribute('toolname', 'snap_search_form');
    form.setAttribute('tooldescription', 'Search the catalogue');
    const input = document.createElement('input');
    input.name = 'q';
    input.required = true;
    form.append(input);
    document.body.append(form);
    await until(() => listed('snap_search_form'), 'the form tool listed');
    try {
      const snap = await createBridge().snapshot();
      deepEq(
        snap.tools.find((t) => t.name === 'snap_search_form'),
        {
          name: 'snap_search_form',
          description: 'Search the catalogue',
          parametersSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
          origin: 'webmcp',
          pageOrigin: location.origin,
        },
      );
    } finally {
      form.remove();
    }
  });
});
