/**
 * Every public stream event, sent by the reference server over real SSE
 * (each scenario is a `POST /__test/script` script), and what the widget
 * makes of it. The run's own frames come from ordinary steps; the events the
 * engine does not model (a server tool, a sub-agent, a recoverable error,
 * custom, ping, media, …) come from `{event, fields}` steps, passed through as is.
 */
import { createChat, type ChatWidget } from '../../../src/index.js';
import type { ChatSession } from '../../../src/core.js';
import {
  assertRunCompleted,
  deepEq,
  eq,
  ok,
  post,
  referenceApi,
  register,
  runTurn,
  serverLog,
  TOKEN,
  until,
  unregisterAll,
} from '../reliability/support.js';

describe('every public event type, over real SSE', () => {
  afterEach(() => unregisterAll());

  it('execution_start, turn_start/turn_complete, text_start/text_delta/text_complete, execution_complete: the answer', async () => {
    const result = await runTurn({ turns: [[{ text: ['Hello ', 'there.'] }]] });
    assertRunCompleted(result, 'Hello there.');
    ok(result.state.messages.at(-1)!.executionId, 'the answer belongs to its execution');
  });

  it('reasoning_start/reasoning_delta/reasoning_complete: kept apart from the answer', async () => {
    const result = await runTurn({ turns: [[{ reasoning: ['Let me ', 'think.'] }, { text: 'Done.' }]] });
    assertRunCompleted(result, 'Done.');
    const reasoning = result.state.messages.at(-1)!.parts.find((part) => part.type === 'reasoning');
    eq(reasoning?.type === 'reasoning' && reasoning.text, 'Let me think.');
    eq(reasoning?.type === 'reasoning' && reasoning.done, true);
  });

  it('tool_start/tool_complete of a server tool: a finished server call with its result', async () => {
    const result = await runTurn({
      turns: [
        [
          {
            event: 'tool_start',
            fields: { toolCallId: 'srv_1', toolName: 'lookup_stock', toolType: 'server', parameters: { sku: 'mug-1' } },
          },
          {
            event: 'tool_complete',
            fields: { toolCallId: 'srv_1', toolName: 'lookup_stock', success: true, result: { inStock: 4 }, executionTime: 12 },
          },
          { text: 'Four in stock.' },
        ],
      ],
    });
    assertRunCompleted(result, 'Four in stock.');
    const call = result.state.toolCalls.srv_1!;
    deepEq([call.kind, call.name, call.status, call.result, call.durationMs], ['server', 'lookup_stock', 'done', { inStock: 4 }, 12]);
  });

  it('await: the page tool runs once and the run goes on after the resume', async () => {
    let runs = 0;
    await register({ name: 'get_cart_ev', description: 'Read the cart', execute: () => (runs++, { items: 2 }) });
    const result = await runTurn({ turns: [[{ toolCall: { name: 'get_cart_ev', id: 'c_1' } }], 'Two items.'] });
    assertRunCompleted(result, 'Two items.');
    eq(runs, 1);
    deepEq(Object.values(result.resumes[0]!.toolOutputs!), [{ result: { items: 2 } }]);
  });

  it('execution_error with a model code: the error says model_unreachable, with its hint and the cause', async () => {
    const result = await runTurn({
      turns: [[{ error: 'could not reach http://127.0.0.1:9/v1/chat/completions', code: 'model_unreachable' }]],
      text: 'hello?',
    });
    const error = result.state.error!;
    eq(error.code, 'model_unreachable', 'the code of the troubleshooting table');
    eq(error.serverCode, 'model_unreachable');
    ok(error.message.includes('could not reach'), 'the cause is in the message');
    ok(error.hint.length > 0 && error.retryable, 'a hint, and it may be retried');
    eq(result.state.status, 'error');
  });

  it('execution_error with another code: execution_failed, the server code kept', async () => {
    const result = await runTurn({ turns: [[{ error: 'the agent gave up', code: 'agent_error' }]] });
    eq(result.state.error!.code, 'execution_failed');
    eq(result.state.error!.serverCode, 'agent_error');
  });

  it('error: a recoverable one lets the run go on; recoverable:false ends it', async () => {
    const goesOn = await runTurn({
      turns: [[{ event: 'error', fields: { error: 'a retrieval source timed out', recoverable: true } }, { text: 'Answered anyway.' }]],
    });
    assertRunCompleted(goesOn, 'Answered anyway.');
    const ends = await runTurn({
      turns: [
        [{ event: 'error', fields: { error: { code: 'quota', message: 'out of quota' }, recoverable: false } }, { text: 'never shown' }],
      ],
    });
    eq(ends.state.error!.code, 'execution_failed');
    ok(ends.state.error!.message.includes('out of quota'), 'the server message is kept');
  });

  it('ping: ignored, the answer is whole', async () => {
    const result = await runTurn({ turns: [[{ text: 'Before ' }, { event: 'ping' }, { text: 'after.' }]] });
    // The ping ends the first text block; both blocks belong to the one answer.
    assertRunCompleted(result, 'Before after.');
  });

  it('custom: webmcp.admission read from value (the public shape) and from data (earlier servers); other names ignored', async () => {
    await register({ name: 'search_ev', description: 'Search', execute: () => ({}) });
    const native = await runTurn({ turns: ['Hi.'] });
    deepEq(native.state.admission?.admitted, ['search_ev'], 'the reference server sends `value`, and it is read');
    const legacy = await runTurn({
      turns: [
        [{ event: 'custom', fields: { name: 'webmcp.admission', data: { admitted: ['legacy_tool'], dropped: [] } } }, { text: 'Hi.' }],
      ],
    });
    deepEq(legacy.state.admission?.admitted, ['legacy_tool'], 'a later `data` payload is accepted too');
    const other = await runTurn({
      turns: [[{ event: 'custom', fields: { name: 'shop.banner', value: { text: 'Sale' } } }, { text: 'Hi.' }]],
    });
    assertRunCompleted(other, 'Hi.');
    deepEq(other.state.protocolErrors, []);
  });

  it('events this widget does not use (step_*, media_*, artifact_*, source, state_*, approval_*): ignored, never fatal', async () => {
    const others = [
      { event: 'step_start', fields: { id: 's1', name: 'plan' } },
      { event: 'step_complete', fields: { id: 's1' } },
      { event: 'media_start', fields: { id: 'm1', mimeType: 'image/png' } },
      { event: 'artifact_start', fields: { id: 'a1', title: 'Report' } },
      { event: 'source', fields: { url: 'https://example.com' } },
      { event: 'state_update', fields: { key: 'cart', value: 1 } },
      { event: 'approval_request', fields: { id: 'ap1' } },
    ];
    const result = await runTurn({ turns: [[...others, { text: 'Still fine.' }]] });
    assertRunCompleted(result, 'Still fine.');
    deepEq(result.state.protocolErrors, [], 'unknown types are not even protocol errors');
  });
});

describe('sub-agent text (parentToolCallId)', () => {
  let widget: ChatWidget | undefined;
  afterEach(() => {
    widget?.destroy();
    widget = undefined;
  });

  it('is shown with its tool call, never as the answer, and stays out of the history sent back', async () => {
    const apiUrl = await referenceApi();
    // A token of its own: memory storage outlives widgets within the page.
    const token = 'ct_test_restricted';
    widget = createChat({ clientToken: token, apiUrl, storage: 'memory' });
    await widget.open();
    await until(() => !!widget!.session?.state.value.sessionId);
    const session = widget.session as ChatSession;
    const sessionId = session.state.value.sessionId!;
    await post('/__test/script', {
      token,
      sessionId,
      times: 1,
      turns: [
        [
          {
            event: 'tool_start',
            fields: { toolCallId: 'sub_1', toolName: 'research', toolType: 'agent', parameters: { topic: 'kettles' } },
          },
          { event: 'text_start', fields: { id: 'sub_text', parentToolCallId: 'sub_1' } },
          { event: 'text_delta', fields: { id: 'sub_text', delta: 'Sub-agent: comparing ', parentToolCallId: 'sub_1' } },
          { event: 'text_delta', fields: { id: 'sub_text', delta: 'three kettles.' } },
          { event: 'text_complete', fields: { id: 'sub_text', parentToolCallId: 'sub_1' } },
          { event: 'tool_complete', fields: { toolCallId: 'sub_1', success: true, result: { pick: 'k-2' } } },
          { text: 'Take the k-2.' },
        ],
      ],
    });
    await session.send('which kettle?');
    await session.idle();
    const answer = session.state.value.messages.at(-1)!;
    const sub = answer.parts.find((part) => part.type === 'text' && part.parentToolCallId === 'sub_1');
    eq(sub?.type === 'text' && sub.text, 'Sub-agent: comparing three kettles.');
    eq(session.transcript().at(-1)!.content, 'Take the k-2.', 'the transcript has only the answer');

    const root = widget.element.shadowRoot!;
    await until(() => !!root.querySelector('[role="log"]')?.textContent?.includes('Take the k-2.'));
    const card = root.querySelector('.wmc-card[aria-label="research"]');
    ok(card?.textContent?.includes('Sub-agent: comparing three kettles.'), 'the sub-agent text is in its tool card');
    const bubbles = [...root.querySelectorAll('.wmc-assistant')].map((bubble) => bubble.textContent);
    ok(
      bubbles.every((text) => !text!.includes('Sub-agent')),
      'and in no answer bubble',
    );

    await post('/__test/script', { token, sessionId, turns: ['Noted.'] });
    await session.send('thanks');
    await session.idle();
    const chats = (await serverLog(sessionId)).requests.filter((request) => request.endpoint === 'chat');
    const history = chats.at(-1)!.body.messages as { role: string; content: string }[];
    const said = history.filter((message) => message.role === 'assistant').map((message) => message.content);
    ok(said.includes('Take the k-2.'), 'the answer is in the history');
    ok(
      said.every((content) => !content.includes('Sub-agent')),
      'the sub-agent text is not',
    );
  });
});
