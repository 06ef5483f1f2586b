/**
 * The panel module, loaded on first open: it wires the page's WebMCP tools
 * (bridge), the conversation (client) and the face (ui) for one widget.
 */
import { createBridge } from '../bridge/index.js';
import { matchesAnyPattern } from '../protocol/index.js';
import { createChatSession, messageText, openStore, persistedApprovalMemory, storeName, type ChatSession } from '../client/index.js';
import { mountPanel } from '../ui/index.js';
import type { ChatOptions } from './options.js';
import type { PanelHandle, PanelHooks } from './panel-contract.js';

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
  const session: ChatSession = createChatSession({
    apiUrl,
    clientToken: options.clientToken,
    bridge,
    storage,
    metadata: options.metadata,
    flowId: options.flowId,
  });
  // The host's events, as ChatEventMap types them: `message` also carries its plain text.
  const unsubscribe = [
    session.on('message', (message) => hooks.emit('message', { ...message, text: messageText(message) })),
    session.on('toolcall', (call) => hooks.emit('toolcall', call)),
    session.on('toolresult', (call) => hooks.emit('toolresult', call)),
    session.on('error', (error) => hooks.emit('error', error)),
    session.on('status', (status) => hooks.emit('status', status)),
  ];

  const inline = !!options.mount || root.host.hasAttribute('inline');
  const view = mountPanel(root, {
    session,
    options: { ...options, inline },
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
