/**
 * Declarative form tools as a page sees them, on native WebMCP and on our
 * polyfill (MCP-B has none): the form is filled by the call, submitted by the
 * person when there is no `toolautosubmit`, the submit handler sees
 * `agentInvoked`, and `respondWith` gives the call its result.
 */
import { context, deepEq, eq, impl, until } from './support.js';

interface AgentSubmitEvent extends SubmitEvent {
  agentInvoked?: boolean;
  respondWith?: (result: Promise<unknown>) => void;
}

function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function makeForm(attributes: Record<string, string>, ...controls: Node[]): HTMLFormElement {
  const form = el('form', attributes, ...controls) as HTMLFormElement;
  document.body.append(form);
  return form;
}

const listed = async (name: string) => (await context.getTools()).find((tool) => tool.name === name);

describe(`form tools (${impl})`, () => {
  before(function () {
    if (impl === 'mcp-b') this.skip();
  });

  it('fills the form and waits for the person to submit; the handler answers through respondWith', async () => {
    const form = makeForm(
      { toolname: 'form_subscribe', tooldescription: 'Subscribe to the newsletter' },
      el('label', {}, 'Your email ', el('input', { name: 'email', type: 'email', required: '' })),
      el('button', {}, 'Subscribe'),
    );
    const seen: unknown[] = [];
    form.addEventListener('submit', (event: AgentSubmitEvent) => {
      event.preventDefault();
      seen.push({ agentInvoked: event.agentInvoked === true, email: new FormData(form).get('email') });
      event.respondWith?.(Promise.resolve({ subscribed: true }));
    });
    try {
      await until(() => listed('form_subscribe'), 'the form tool listed');
      const tool = (await listed('form_subscribe'))!;
      const pending = context.executeTool(tool, { email: 'ada@example.com' });
      const input = form.querySelector('input')!;
      await until(() => input.value === 'ada@example.com', 'the form filled in');
      eq(seen.length, 0); // not submitted: that is the person's choice
      form.querySelector('button')!.click();
      eq(await pending, '{"subscribed":true}');
      deepEq(seen, [{ agentInvoked: true, email: 'ada@example.com' }]);
    } finally {
      form.remove();
    }
  });

  it('describes parameters from toolparamdescription or the label, with required fields and select options', async () => {
    const form = makeForm(
      { toolname: 'form_filter', tooldescription: 'Filter the catalogue' },
      el('label', {}, 'Colour ', el('select', { name: 'colour' }, el('option', {}, 'red'), el('option', {}, 'blue'))),
      el('input', { name: 'max', type: 'number', toolparamdescription: 'Highest price in euros', required: '' }),
    );
    try {
      await until(() => listed('form_filter'), 'the form tool listed');
      const schema = (await listed('form_filter'))!.inputSchema as {
        properties: Record<string, { type?: string; description?: string; enum?: string[] }>;
        required?: string[];
      };
      const summary = Object.fromEntries(
        Object.entries(schema.properties).map(([name, p]) => [name, [p.type, p.description, p.enum ?? null]]),
      );
      deepEq(summary, { colour: ['string', 'Colour', ['red', 'blue']], max: ['number', 'Highest price in euros', null] });
      deepEq(schema.required, ['max']);
    } finally {
      form.remove();
    }
  });

  it('drops the tool when the form leaves the page', async () => {
    const form = makeForm({ toolname: 'form_gone', tooldescription: 'Leaves' }, el('input', { name: 'q' }));
    await until(() => listed('form_gone'), 'the form tool listed');
    form.remove();
    await until(async () => !(await listed('form_gone')), 'the form tool gone');
  });
});
