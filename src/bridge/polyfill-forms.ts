/**
 * Declarative WebMCP tools for the polyfill, as native Chromium offers them:
 * `<form toolname="…" tooldescription="…" [toolautosubmit]>` becomes a tool
 * whose parameters are the form's named controls (type from the control,
 * `required`, `<select>` and radio options as an enum, a description from
 * `toolparamdescription` or the control's `<label>`). Running it fills the
 * form; with `toolautosubmit` it submits at once, otherwise the person does.
 * The page's submit handler then sees `event.agentInvoked === true` and may
 * `event.respondWith(promise)`: the tool's result is what that promise gives.
 * A submission nobody answers (the form navigates) reports that it was made.
 */
import type { ModelContext } from './model-context.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type Pending = (value: unknown) => void;

const SKIPPED = /^(submit|button|reset|image|file|hidden)$/;

function isControl(element: Element): element is Control {
  return 'name' in element && 'value' in element && (element as Control).name !== '' && !SKIPPED.test((element as Control).type);
}

function describe(control: Control): string {
  const own = control.getAttribute('toolparamdescription');
  if (own) return own;
  return [...(control.labels ?? [])].map(labelText).join(' ').trim();
}

/** A label's own words: without the text of controls inside it (a `<select>`'s options), as native reads it. */
function labelText(label: HTMLLabelElement): string {
  const copy = label.cloneNode(true) as HTMLElement;
  for (const inner of copy.querySelectorAll('select, textarea, button, input')) inner.remove();
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The JSON Schema of a form's named controls. */
export function formSchema(form: HTMLFormElement): { type: 'object'; properties: Record<string, object>; required?: string[] } {
  const properties: Record<string, Record<string, unknown>> = {};
  const required = new Set<string>();
  for (const control of [...form.elements].filter(isControl)) {
    const { name, type } = control;
    properties[name] ??= { type: type === 'checkbox' ? 'boolean' : /^(number|range)$/.test(type) ? 'number' : 'string' };
    const property = properties[name];
    const description = describe(control);
    if (description && !property.description) property.description = description;
    if (control instanceof HTMLSelectElement) property.enum = [...control.options].map((option) => option.value);
    if (type === 'radio') property.enum = [...((property.enum as string[]) ?? []), control.value];
    if (control.required) required.add(name);
  }
  return { type: 'object', properties, ...(required.size ? { required: [...required] } : {}) };
}

function fill(form: HTMLFormElement, input: Record<string, unknown>): void {
  for (const control of [...form.elements].filter(isControl)) {
    if (!(control.name in input)) continue;
    const value = input[control.name];
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true || value === 'true';
    else if (control instanceof HTMLInputElement && control.type === 'radio') control.checked = control.value === `${value}`;
    else control.value = `${value}`;
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

/**
 * Registers every `<form toolname>` of `doc` on `context`, and keeps the set
 * in step with the document (forms added, removed or renamed).
 */
export async function syncFormTools(context: ModelContext, doc: Document): Promise<void> {
  const registered = new Map<HTMLFormElement, { key: string; stop: AbortController }>();
  const pending = new Map<HTMLFormElement, Pending>();

  // Capture on the document: the page's own submit handlers (on the form) run after this.
  doc.addEventListener(
    'submit',
    (event) => {
      const form = event.target as HTMLFormElement;
      const answer = pending.get(form);
      if (!answer) return;
      pending.delete(form);
      let response: unknown;
      let responded = false;
      Object.defineProperty(event, 'agentInvoked', { value: true });
      Object.defineProperty(event, 'respondWith', {
        value: (result: unknown) => {
          event.preventDefault();
          responded = true;
          response = result;
        },
      });
      // After every handler ran (a task later): the page's answer, or the fact of the submission.
      setTimeout(() => answer(responded ? response : `The form "${form.getAttribute('toolname')}" was submitted.`));
    },
    true,
  );

  async function sync(): Promise<void> {
    const forms = new Set(doc.querySelectorAll<HTMLFormElement>('form[toolname]'));
    for (const [form, entry] of registered) {
      if (!forms.has(form) || entry.key !== keyOf(form)) {
        entry.stop.abort();
        registered.delete(form);
      }
    }
    const added: Promise<void>[] = [];
    for (const form of forms) {
      if (registered.has(form)) continue;
      const stop = new AbortController();
      registered.set(form, { key: keyOf(form), stop });
      const tool = {
        name: form.getAttribute('toolname') ?? '',
        description: form.getAttribute('tooldescription') ?? '',
        inputSchema: formSchema(form),
        execute: (input: Record<string, unknown>) =>
          new Promise((resolve) => {
            fill(form, input);
            pending.set(form, resolve);
            if (form.hasAttribute('toolautosubmit')) form.requestSubmit();
          }),
      };
      // A form with a bad name or no description is skipped, as the browser skips it.
      added.push(context.registerTool(tool, { signal: stop.signal }).catch(() => {}));
    }
    await Promise.all(added);
  }

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      void sync();
    });
  }).observe(doc, { subtree: true, childList: true, attributes: true, attributeFilter: ['toolname', 'tooldescription'] });
  await sync();
}

/** What makes a form a different tool: its name and description. */
function keyOf(form: HTMLFormElement): string {
  return `${form.getAttribute('toolname')}\n${form.getAttribute('tooldescription')}`;
}
