// Compiles only if an SPA gets the same typed contract as a script-tag page:
// payloads per event, the session as the ChatSession it is, typed string keys.
// Checked by `npm run typecheck` (tsconfig.json). test/pack/ checks the same
// against the published package with skipLibCheck off.
import { createChat, type ChatWidget } from '../../src/index.js';
import type { ChatSession, ToolCallState } from '../../src/core.js';

export function spa(): ChatWidget {
  const chat = createChat({ clientToken: 'ct_test_demo', strings: { send: 'Go' }, metadata: { page: 'cart' }, flowId: 'support' });
  chat.on('message', (message) => {
    const text: string = message.text;
    const streaming: boolean = message.streaming;
    void [text, streaming, message.parts.length];
  });
  chat.on('toolresult', (call: ToolCallState) => void call.durationMs);
  chat.on('error', (error) => void [error.code, error.hint, error.retryable]);
  chat.on('ready', ({ session }) => void session.signals.status.value);
  // The README's troubleshooting line, as written.
  console.log(chat.session?.signals.droppedTools.value, chat.session?.signals.admission.value);
  const session: ChatSession | undefined = chat.session;
  void session;
  // @ts-expect-error an event the widget does not emit
  chat.on('toolcalls', () => {});
  // @ts-expect-error an unknown string key
  createChat({ clientToken: 'ct', strings: { sendd: 'Go' } });
  return chat;
}
