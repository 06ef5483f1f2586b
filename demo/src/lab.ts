/**
 * The allowlist lab: every tool on the page, live, with its verdict at each
 * gate; sample tools to register; the server's surface policy, editable; and
 * a chat beside it to try a turn. The verdicts come from the project's own
 * code (the bridge's buildSnapshot, protocol's admitTools) and from the
 * server's `webmcp.admission` event, never from rules re-written here.
 */
import { buildSnapshot, type RawTool } from '../../src/bridge/snapshot.js';
import { admitTools, type AdmissionEventData, type AllowlistRule, type WebMcpPolicy } from '../../src/protocol/index.js';
import type { WebMCPChatElement, WebMCPChatError } from '../../widget.js';
import { Cart } from './cart.js';
import { $, h, replace } from './dom.js';
import { modelContext, register, webmcpKind } from './model-context.js';
import { SAMPLES, type Sample } from './lab-samples.js';
import { registerStoreTools } from './store-tools.js';

interface TokenInfo {
  token: string;
  allowedOrigins: string[];
  policy: WebMcpPolicy | null;
}
interface DevInfo {
  origins: string[];
  agent: string;
  tokens: TokenInfo[];
}

type Verdict = { state: 'pass' | 'fail' | 'skip'; why: string; source?: string };

const registrations = new Map<string, AbortController>();
const registrationErrors = new Map<string, string>();
let info: DevInfo = { origins: [], agent: '?', tokens: [] };
let chatToken = new URLSearchParams(location.search).get('token') ?? 'ct_test_demo';
let clientAllowlist: string[] | undefined;
let reported: AdmissionEventData | null = null;

// ---------- the gates ----------

async function rawTools(): Promise<RawTool[]> {
  const tools =
    (await modelContext()
      ?.getTools(frameOrigins())
      .catch(() => [])) ?? [];
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations ? { ...tool.annotations } : undefined,
    origin: tool.origin,
    handle: tool,
  }));
}

/** On native, cross-origin frames' tools are listed only when asked for by origin (as the bridge asks). */
function frameOrigins(): { fromOrigins: string[] } | undefined {
  const origins = [...document.querySelectorAll<HTMLIFrameElement>('iframe[allow~="tools"]')]
    .map((frame) => new URL(frame.src, location.href).origin)
    .filter((origin) => origin !== location.origin);
  return webmcpKind() === 'native' && origins.length ? { fromOrigins: [...new Set(origins)] } : undefined;
}

function clientVerdicts(name: string, dropped: Map<string, { reason: string; detail?: string }>): [Verdict, Verdict] {
  const drop = dropped.get(name);
  if (!drop)
    return [
      { state: 'pass', why: 'within limits' },
      { state: 'pass', why: clientAllowlist ? 'matches a pattern' : 'no client allowlist' },
    ];
  if (drop.reason === 'blocked_by_client_allowlist') {
    return [
      { state: 'pass', why: 'within limits' },
      { state: 'fail', why: `not matched by ${clientAllowlist?.join(' ') ?? ''}` },
    ];
  }
  return [
    { state: 'fail', why: `${drop.reason}${drop.detail ? `: ${drop.detail}` : ''}` },
    { state: 'skip', why: 'not reached' },
  ];
}

const REASON_TEXT: Record<string, string> = {
  disabled: 'WebMCP is disabled for this surface',
  no_matching_rule: 'no rule for this origin has a matching pattern',
  invalid: 'breaks the contract limits',
};

function serverVerdict(name: string, sent: boolean, predicted: AdmissionEventData): Verdict {
  if (!sent) return { state: 'skip', why: 'not sent by the client' };
  const known = reported;
  const fromServer = known !== null && (known.admitted.includes(name) || known.dropped.some((drop) => drop.name === name));
  const verdict = fromServer ? known : predicted;
  const source = fromServer ? 'reported by the server' : 'predicted';
  if (verdict.admitted.includes(name)) return { state: 'pass', why: `admitted as webmcp:${name}`, source };
  const drop = verdict.dropped.find((candidate) => candidate.name === name);
  return {
    state: 'fail',
    why: drop ? `${drop.reason}: ${REASON_TEXT[drop.reason] ?? ''}${drop.detail ? ` (${drop.detail})` : ''}` : 'dropped',
    source,
  };
}

function verdictCell(verdict: Verdict): HTMLTableCellElement {
  return h(
    'td',
    {},
    h(
      'div',
      { class: `verdict ${verdict.state}` },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, verdict.state === 'pass' ? '✓' : verdict.state === 'fail' ? '✗' : '–'),
      h('span', {}, h('span', { class: 'visually-hidden' }, `${verdict.state}: `), h('span', { class: 'why' }, verdict.why)),
    ),
    verdict.source ? h('span', { class: 'source' }, verdict.source) : null,
  );
}

let rendering: Promise<void> = Promise.resolve();
function renderTools(): Promise<void> {
  // Serialised: toolchange events can arrive in bursts.
  rendering = rendering.then(renderToolsNow, renderToolsNow);
  return rendering;
}

async function renderToolsNow(): Promise<void> {
  const raw = await rawTools();
  const snapshot = buildSnapshot(raw, { allowlist: clientAllowlist, pageOrigin: location.origin });
  const dropped = new Map(snapshot.dropped.map((drop) => [drop.name, drop]));
  const sent = new Set(snapshot.tools.map((tool) => tool.name));
  const policy = info.tokens.find((token) => token.token === chatToken)?.policy ?? undefined;
  const predicted = admitTools(snapshot.tools, policy, location.origin);

  const rows = raw.map((tool) => {
    const [limits, allowlist] = clientVerdicts(tool.name, dropped);
    const hints = tool.annotations ?? {};
    return h(
      'tr',
      { 'data-tool': tool.name },
      h(
        'th',
        { scope: 'row' },
        h('div', { class: 'tool-name' }, tool.name),
        h(
          'div',
          { class: 'tool-desc' },
          tool.description.length > 90 ? `${tool.description.slice(0, 90)}… (${tool.description.length} chars)` : tool.description,
        ),
        hints.readOnlyHint ? h('span', { class: 'tag' }, 'read-only') : null,
        hints.consequentialHint ? h('span', { class: 'tag' }, 'asks first') : null,
        hints.untrustedContentHint ? h('span', { class: 'tag' }, 'untrusted content') : null,
        // A frame's tool: the origin the allowlist will judge it by.
        tool.origin && tool.origin !== location.origin ? h('span', { class: 'tag tool-origin' }, `from ${tool.origin}`) : null,
      ),
      verdictCell({ state: 'pass', why: 'registered' }),
      verdictCell(limits),
      verdictCell(allowlist),
      verdictCell(serverVerdict(tool.name, sent.has(tool.name), predicted)),
    );
  });
  const refused = [...registrationErrors].map(([key, message]) => {
    const sample = SAMPLES.find((candidate) => candidate.key === key);
    return h(
      'tr',
      { 'data-tool': sample?.tool.name ?? key },
      h('th', { scope: 'row' }, h('div', { class: 'tool-name' }, sample?.tool.name ?? key)),
      verdictCell({ state: 'fail', why: message }),
      verdictCell({ state: 'skip', why: 'not reached' }),
      verdictCell({ state: 'skip', why: 'not reached' }),
      verdictCell({ state: 'skip', why: 'not reached' }),
    );
  });
  replace($('#tool-rows'), rows, refused);
}

// ---------- sample tools ----------

function renderSamples(): void {
  replace(
    $('#samples'),
    SAMPLES.map((sample) => {
      const registered = registrations.has(sample.key);
      return h(
        'li',
        {},
        h(
          'div',
          {},
          h('code', {}, sample.label),
          h('p', { class: 'hint' }, sample.explains),
          registrationErrors.has(sample.key)
            ? h('p', { class: 'error' }, `registerTool rejected: ${registrationErrors.get(sample.key)}`)
            : null,
        ),
        h(
          'button',
          { type: 'button', 'aria-pressed': registered ? 'true' : 'false', onclick: () => void toggleSample(sample) },
          registered ? 'Unregister' : 'Register',
        ),
      );
    }),
  );
}

async function toggleSample(sample: Sample): Promise<void> {
  const existing = registrations.get(sample.key);
  registrationErrors.delete(sample.key);
  if (existing) {
    existing.abort();
    registrations.delete(sample.key);
  } else {
    try {
      registrations.set(sample.key, await register(sample.tool));
    } catch (error) {
      const failure = error as Error;
      registrationErrors.set(sample.key, `${failure.name}: ${failure.message}`);
    }
  }
  reported = null;
  renderSamples();
  await renderTools();
}

// ---------- the surface policy (server) ----------

async function loadInfo(): Promise<void> {
  const response = await fetch('/__dev/info');
  if (!response.ok) throw new Error(`GET /__dev/info answered ${response.status}`);
  info = (await response.json()) as DevInfo;
}

function ruleItem(rule: AllowlistRule): HTMLLIElement {
  const origins = ['*', ...info.origins];
  const originInput = h('input', {
    class: 'rule-origin',
    value: rule.origin,
    list: 'origin-options',
    'aria-label': 'Rule origin',
    autocomplete: 'off',
  });
  const toolsInput = h('input', {
    class: 'rule-tools',
    value: rule.tools.join(' '),
    'aria-label': 'Tool name patterns',
    placeholder: 'search_* get_cart',
    autocomplete: 'off',
  });
  const item = h(
    'li',
    {},
    originInput,
    toolsInput,
    h('button', { type: 'button', 'aria-label': 'Remove rule', onclick: () => item.remove() }, 'Remove'),
  );
  if (!document.getElementById('origin-options')) {
    document.body.append(
      h(
        'datalist',
        { id: 'origin-options' },
        origins.map((origin) => h('option', { value: origin })),
      ),
    );
  }
  return item;
}

function showPolicy(): void {
  const select = $('#policy-token') as HTMLSelectElement;
  const token = info.tokens.find((candidate) => candidate.token === select.value) ?? info.tokens[0];
  if (!token) return;
  const policy = token.policy ?? { enabled: false };
  ($('#policy-enabled') as HTMLInputElement).checked = policy.enabled;
  ($('#policy-use-allowlist') as HTMLInputElement).checked = policy.allowlist !== undefined;
  ($('#rules-fieldset') as HTMLFieldSetElement).disabled = policy.allowlist === undefined;
  replace($('#rules'), (policy.allowlist ?? []).map(ruleItem));
  $('#token-origins').textContent = `allowedOrigins: ${token.allowedOrigins.join(', ')}`;
}

function readPolicy(): WebMcpPolicy {
  const enabled = ($('#policy-enabled') as HTMLInputElement).checked;
  if (!($('#policy-use-allowlist') as HTMLInputElement).checked) return { enabled };
  const allowlist = Array.from($('#rules').querySelectorAll('li')).map((item) => ({
    origin: (item.querySelector('.rule-origin') as HTMLInputElement).value.trim() || '*',
    tools: (item.querySelector('.rule-tools') as HTMLInputElement).value.split(/[\s,]+/).filter(Boolean),
  }));
  return { enabled, allowlist };
}

function status(element: HTMLElement, text: string, ok: boolean): void {
  element.textContent = text;
  element.className = `status ${ok ? 'ok' : 'bad'}`;
}

async function applyPolicy(event: Event): Promise<void> {
  event.preventDefault();
  const token = ($('#policy-token') as HTMLSelectElement).value;
  const response = await fetch(`/__dev/tokens/${encodeURIComponent(token)}/policy`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(readPolicy()),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
  if (!response.ok) {
    status($('#policy-status'), `Not applied: ${body.hint ?? body.error ?? response.status}`, false);
    return;
  }
  await loadInfo();
  showPolicy();
  reported = null;
  status($('#policy-status'), `Applied to ${token} at ${new Date().toLocaleTimeString()}. The next turn uses it.`, true);
  await renderTools();
}

// ---------- the chat ----------

let chatElement: WebMCPChatElement | undefined;

/**
 * The chat beside the tools: a `<webmcp-chat inline>` element in the aside,
 * defined by /webmcp-chat.js (the script tag, loaded async). Restarting makes
 * a new element with the new token and client allowlist.
 */
async function startChat(): Promise<void> {
  await customElements.whenDefined('webmcp-chat');
  chatElement?.destroy();
  const element = document.createElement('webmcp-chat');
  element.setAttribute('inline', '');
  element.options = {
    clientToken: chatToken,
    title: `Lab chat · ${chatToken}`,
    accentColor: '#7a4a2e',
    // The lab is a light page whatever the OS says.
    colorScheme: 'light',
    storage: 'memory',
    ...(clientAllowlist ? { toolAllowlist: clientAllowlist } : {}),
  };
  element.on('ready', ({ session }) => watchSession(session));
  element.on('error', (error: WebMCPChatError) => {
    status($('#client-status'), `${error.status ? `${error.status} ` : ''}${error.code}: ${error.hint}`, false);
  });
  $('#lab-chat').replaceChildren(element);
  chatElement = element;
  status(
    $('#client-status'),
    `Chat started with ${chatToken}${clientAllowlist ? `, client allowlist ${clientAllowlist.join(' ')}` : ''}.`,
    true,
  );
}

/** The session's `admission` signal holds the last `webmcp.admission` event. */
function watchSession(session: unknown): void {
  const signal = (session as { signals?: { admission?: { subscribe?: (fn: (value: AdmissionEventData | null) => void) => unknown } } })
    ?.signals?.admission;
  signal?.subscribe?.((value) => {
    if (!value) return;
    reported = value;
    void renderTools();
  });
}

async function tryInit(): Promise<void> {
  const response = await fetch('/v1/client/init', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: chatToken }),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string; sessionId?: string };
  if (response.ok) status($('#client-status'), `200: session ${body.sessionId ?? ''} for ${chatToken} from ${location.origin}.`, true);
  else status($('#client-status'), `${response.status} ${body.error ?? ''}: ${body.hint ?? ''}`, false);
}

// ---------- start ----------

$('#page-origin').textContent = location.origin;
$('#webmcp-kind').textContent = webmcpKind();

await loadInfo().catch((error: Error) => status($('#policy-status'), `${error.message}: is this page served by npm run demo?`, false));
const other = info.origins.find((origin) => origin !== location.origin && new URL(origin).hostname === location.hostname);
if (other) {
  const link = $('#other-origin') as HTMLAnchorElement;
  link.href = `${other}/lab.html?token=${encodeURIComponent(chatToken)}`;
  link.textContent = `Open on ${other}`;
}

for (const select of [$('#policy-token'), $('#client-token')] as HTMLSelectElement[]) {
  replace(
    select,
    info.tokens.map((token) => h('option', { value: token.token }, token.token)),
  );
  select.value = chatToken;
}
showPolicy();
$('#policy-token').addEventListener('change', showPolicy);
$('#policy-use-allowlist').addEventListener('change', () => {
  const on = ($('#policy-use-allowlist') as HTMLInputElement).checked;
  ($('#rules-fieldset') as HTMLFieldSetElement).disabled = !on;
  if (on && $('#rules').children.length === 0) $('#rules').append(ruleItem({ origin: location.origin, tools: ['search_*'] }));
});
$('#add-rule').addEventListener('click', () => $('#rules').append(ruleItem({ origin: '*', tools: [] })));
$('#policy-form').addEventListener('submit', (event) => void applyPolicy(event));
$('#policy-reload').addEventListener(
  'click',
  () =>
    void loadInfo().then(() => {
      showPolicy();
      return renderTools();
    }),
);
$('#client-form').addEventListener('submit', (event) => {
  event.preventDefault();
  chatToken = ($('#client-token') as HTMLSelectElement).value;
  const list = ($('#client-allowlist') as HTMLInputElement).value.split(/[\s,]+/).filter(Boolean);
  clientAllowlist = list.length ? list : undefined;
  reported = null;
  void startChat();
  void renderTools();
});
$('#try-init').addEventListener('click', () => void tryInit());

modelContext()?.addEventListener('toolchange', () => void renderTools());
await registerStoreTools(new Cart(), { showProduct() {}, showCart() {}, showOrder() {} });
renderSamples();
await renderTools();
void startChat();
