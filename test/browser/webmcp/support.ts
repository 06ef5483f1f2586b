/**
 * Shared by the WebMCP suites. Importing it installs our polyfill unless the
 * page already has a WebMCP: in the `native` group Chromium's own stays, in
 * `mcpb` @mcp-b/global (loaded by the runner page first) stays. It also
 * brings in the group guard, so a group whose WebMCP failed to load fails.
 */
import '../../../src/polyfill.js';
import { installedWebMcp } from '../support/webmcp-group.js';
import type { ModelContext, ModelContextTool, RegisterToolOptions } from '../../../src/bridge/index.js';

export const context = (document as unknown as { modelContext: ModelContext }).modelContext;

/** Which implementation this run is really on (the guard checks that the bridge agrees). */
export const impl = installedWebMcp() as 'native' | 'mcp-b' | 'polyfill';

/**
 * The hints a page gives a tool that must not run without asking. MCP-B drops
 * `consequentialHint` when a tool is registered (it keeps only the readOnly,
 * destructive, idempotent, openWorld and untrustedContent hints), so on MCP-B
 * such a tool also says `destructiveHint`, the hint that survives; the
 * consequential-only case is its own test in approval-binding.test.ts.
 */
export const ASK_FIRST = impl === 'mcp-b' ? { consequentialHint: true, destructiveHint: true } : { consequentialHint: true };

const cleanups: { name: string; controller: AbortController }[] = [];

/** Names of the top page's tools as `getTools()` lists them now. */
export async function listedNames(): Promise<string[]> {
  return (await context.getTools()).filter((tool) => tool.window === window).map((tool) => tool.name);
}

/**
 * Registers a tool that `unregisterAll()` removes again (after each test),
 * and returns once `getTools()` lists it (MCP-B mirrors registrations a few
 * tasks later; native and the polyfill list it at once).
 */
export async function register(tool: ModelContextTool, options: RegisterToolOptions = {}): Promise<AbortController> {
  const controller = new AbortController();
  cleanups.push({ name: tool.name, controller });
  await context.registerTool(tool, { ...options, signal: options.signal ?? controller.signal });
  await until(async () => (await listedNames()).includes(tool.name), `${tool.name} listed`);
  return controller;
}

/** Unregisters what `register` registered and waits until none of it is listed. */
export async function unregisterAll(): Promise<void> {
  const names = cleanups.splice(0).map(({ name, controller }) => {
    controller.abort();
    return name;
  });
  await until(async () => !(await listedNames()).some((name) => names.includes(name)), 'tools unregistered');
}

/**
 * Polls `condition` (sync or async) every few milliseconds until it holds;
 * throws, naming `what`, if it does not within 5 s. A wait, not a timing assertion.
 */
export async function until(condition: () => unknown, what = 'condition', timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function nextToolChange(): Promise<Event> {
  return new Promise((resolve) => context.addEventListener('toolchange', resolve, { once: true }));
}

export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
}

// Tiny assertions: the project has no browser assertion library, and these
// say exactly what differed.
function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function eq(actual: unknown, expected: unknown, label = ''): void {
  if (!Object.is(actual, expected)) throw new Error(`${label ? `${label}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
}

export function deepEq(actual: unknown, expected: unknown, label = ''): void {
  if (show(actual) !== show(expected)) throw new Error(`${label ? `${label}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
}

export function ok(condition: unknown, message: string): void {
  if (!condition) throw new Error(message);
}

export function contains(text: string | undefined, part: string): void {
  ok(typeof text === 'string' && text.includes(part), `expected ${show(text)} to contain ${show(part)}`);
}

/** Polls a condition until it holds or 2 s pass; returns whether it held. Not a timing assertion. */
export async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
  return until(condition, 'condition', timeoutMs).then(
    () => true,
    () => false,
  );
}
