/**
 * The panel module, loaded on first open: it wires the page's WebMCP tools
 * (bridge), the conversation (client) and the face (ui) for one widget.
 */
import { createBridge } from '../bridge/index.js';
import { matchesAnyPattern } from '../protocol/index.js';
import { createChatSession, openStore, persistedApprovalMemory, storeName, type ChatSession } from '../client/index.js';
import { mountPanel } from '../ui/index.js';
import type { ChatOptions } from './options.js';
import type { PanelHandle, PanelHooks } from './panel-contract.js';

const FORWARDED_EVENTS = ['message', 'toolcall', 'toolresult', 'error', 'status'] as const;

export function startPanel(root: ShadowRoot, options: ChatOptions, hooks: PanelHooks): PanelHandle {
  const apiUrl = options.apiUrl ?? location.origin;
  const storage = options.storage ?? 'indexeddb';
  const confirm = options.confirmTools;
  const bridge = createBridge({
    allowlist: options.toolAllowlist,
    timeoutMs: options.toolTimeoutMs,
    requiresApproval: confirm ? (tool) => confirm === 'all' || matchesAnyPattern(confirm, tool.name) : undefined,
    approvalMemory: persistedApprovalMemory(openStore(storage, `${storeName(options.clientToken, apiUrl)}:approvals`)),
  });
  const session: ChatSession = createChatSession({ apiUrl, clientToken: options.clientToken, bridge, storage });
  const unsubscribe = FORWARDED_EVENTS.map((name) => session.on(name, (detail: unknown) => hooks.emit(name, detail)));

  const inline = !!options.mount || root.host.hasAttribute('inline');
  const view = mountPanel(root, {
    session,
    options: { ...options, inline, allowImages: options.allowImages },
    onClose: hooks.requestClose,
    open: inline,
  });
  // Ask for the session now, so the welcome message and placeholder are there on open.
  void session.connect().catch(() => {});

  return {
    session,
    setOpen: (open) => {
      view.setOpen(open);
      if (open) view.focus();
    },
    send: (text) => void session.send(text),
    clear: () => session.clear(),
    destroy: () => {
      for (const off of unsubscribe) off();
      view.destroy();
      session.dispose();
      bridge.dispose();
    },
  };
}
