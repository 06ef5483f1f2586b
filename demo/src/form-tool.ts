/**
 * Declarative WebMCP tools: `<form toolname tooldescription>`. Chromium with
 * WebMCP registers such a form itself. Where it does not (the polyfill, other
 * libraries) this registers the same tool imperatively from the form's
 * attributes, so the storefront offers it either way: the agent fills the
 * controls, and without `toolautosubmit` the person presses the button.
 */
import { modelContext, register } from './model-context.js';

interface AgentSubmitEvent extends SubmitEvent {
  agentInvoked?: boolean;
  respondWith?: (result: Promise<unknown>) => void;
}

export type FormHandler = (data: Record<string, string>) => Promise<unknown>;

/** Wires the form's submit to `handle`, for people and agents alike. */
export async function declareFormTool(form: HTMLFormElement, handle: FormHandler): Promise<void> {
  const name = form.getAttribute('toolname') ?? '';
  let pendingAgentCall: ((value: unknown) => void) | null = null;

  form.addEventListener('submit', (event: AgentSubmitEvent) => {
    event.preventDefault();
    const result = handle(formData(form));
    if (event.agentInvoked && event.respondWith) event.respondWith(result);
    if (pendingAgentCall) {
      pendingAgentCall(result);
      pendingAgentCall = null;
    }
  });

  const context = modelContext();
  if (!context || !name) return;
  const tools = await context.getTools().catch(() => []);
  if (tools.some((tool) => tool.name === name)) return; // The browser registered it natively.

  const registered = register<Record<string, unknown>>({
    name,
    description: form.getAttribute('tooldescription') ?? '',
    inputSchema: schemaOf(form),
    execute: (input) => {
      for (const [key, value] of Object.entries(input ?? {})) {
        const control = form.elements.namedItem(key);
        if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) {
          control.value = String(value);
        }
      }
      if (form.hasAttribute('toolautosubmit')) return handle(formData(form));
      // Like the browser: filled in, the person submits.
      form.querySelector<HTMLElement>('input, select, textarea')?.focus();
      form.classList.add('agent-filled');
      return new Promise((resolve) => {
        pendingAgentCall = resolve;
      });
    },
  });
  // A browser that registers form tools late wins the race: ours is then a duplicate, which is fine.
  await registered.catch((error: unknown) => {
    if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
  });
}

function formData(form: HTMLFormElement): Record<string, string> {
  const data: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') data[key] = value;
  });
  return data;
}

/** The JSON schema a browser derives from the controls: names, labels, required, select options. */
function schemaOf(form: HTMLFormElement): Record<string, unknown> {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const control of Array.from(form.elements)) {
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement)) continue;
    if (!control.name || control.type === 'submit') continue;
    const description = control.getAttribute('toolparamdescription') ?? control.labels?.[0]?.textContent?.trim() ?? control.name;
    const property: Record<string, unknown> = { type: 'string', description };
    if (control instanceof HTMLSelectElement) property.enum = Array.from(control.options).map((option) => option.value);
    if (control instanceof HTMLInputElement && control.type === 'email') property.format = 'email';
    properties[control.name] = property;
    if (control.required) required.push(control.name);
  }
  return { type: 'object', properties, required };
}
