/**
 * The reference API from a real page on another origin: Chromium does the
 * CORS preflight itself, and the widget's own reader parses the live stream.
 */
import { readEventStream, type StreamItem } from '../../../src/client/event-stream.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

let apiUrl = '';

before(async () => {
  const env = (await (await fetch('/__env.json')).json()) as { apiUrl: string | null };
  check(env.apiUrl, 'the reference API did not start (see web-test-runner.config.mjs)');
  apiUrl = env.apiUrl;
  check(new URL(apiUrl).origin !== location.origin, 'the API must be on another origin for this test to mean anything');
});

function post(path: string, body: unknown): Promise<Response> {
  // X-Persona-Version and JSON both force a preflight.
  return fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-persona-version': '1' },
    body: JSON.stringify(body),
  });
}

async function events(response: Response): Promise<StreamItem[]> {
  check(response.status === 200, `expected a stream, got ${response.status}`);
  const items: StreamItem[] = [];
  for await (const item of readEventStream(response)) items.push(item);
  return items;
}

function typesOf(items: StreamItem[]): string[] {
  return items.map((item) => (item.kind === 'event' ? item.event.type : 'protocol_error'));
}

describe('reference API across origins', () => {
  it('inits, streams a chat to an await, resumes, and replays a repeated resume from the log', async () => {
    const init = await post('/v1/client/init', { token: 'ct_test_browser' });
    check(init.status === 200, `init answered ${init.status}`);
    const { sessionId } = (await init.json()) as { sessionId: string };
    // Scoped to this session: other test files share the server and its token.
    const scripted = await post('/__test/script', {
      token: 'ct_test_browser',
      sessionId,
      turns: [
        [{ text: ['Looking ', 'it up.'] }, { toolCall: { name: 'search_products', id: 'browser_call_1', arguments: { query: 'lamp' } } }],
        [{ text: 'Found a lamp.' }],
      ],
    });
    check(scripted.ok, 'could not queue a script');

    const tools = [{ name: 'search_products', description: 'Search the catalog', parametersSchema: { type: 'object' }, origin: 'webmcp' }];
    const chat = await events(
      await post('/v1/client/chat', { sessionId, messages: [{ role: 'user', content: 'find a lamp' }], clientTools: tools }),
    );
    const chatTypes = typesOf(chat);
    check(chatTypes[0] === 'execution_start', `first frame was ${chatTypes[0]}`);
    check(chatTypes.includes('text_delta'), 'no text streamed');
    check(chatTypes.at(-1) === 'await', `the stream ended with ${chatTypes.at(-1)}, not await`);
    const first = chat[0]!;
    check(first.kind === 'event' && first.event.type === 'execution_start', 'no execution_start');
    const executionId = (first.event as { executionId: string }).executionId;

    const outputs = { browser_call_1: { result: [{ name: 'Desk lamp' }] } };
    const resumed = await events(await post('/v1/client/resume', { sessionId, executionId, toolOutputs: outputs, streamResponse: true }));
    check(typesOf(resumed).at(-1) === 'execution_complete', 'the resume did not complete the run');
    const again = await events(await post('/v1/client/resume', { sessionId, executionId, toolOutputs: outputs, streamResponse: true }));
    check(JSON.stringify(again) === JSON.stringify(resumed), 'a repeated resume was not answered from the log');

    const log = (await (await fetch(`${apiUrl}/__test/log?sessionId=${sessionId}`)).json()) as {
      requests: { endpoint: string; replayed?: boolean }[];
      acceptedToolOutputs: Record<string, number>;
    };
    const preflights = (await (await fetch(`${apiUrl}/__test/log?endpoint=preflight`)).json()) as {
      requests: { origin: string; status: number }[];
    };
    check(
      preflights.requests.some((entry) => entry.origin === location.origin && entry.status === 204),
      'Chromium sent no preflight',
    );
    check(log.acceptedToolOutputs.browser_call_1 === 1, 'the tool output was accepted more than once');
    check(log.requests.filter((entry) => entry.endpoint === 'resume' && entry.replayed).length === 1, 'the repeat was not marked replayed');
  });

  it('lets the page read a 403 with its hint when the token does not allow this origin', async () => {
    const response = await post('/v1/client/init', { token: 'ct_test_elsewhere' });
    check(response.status === 403, `expected 403, got ${response.status}`);
    const body = (await response.json()) as { error: string; hint?: string };
    check(body.error === 'origin_not_allowed' && body.hint?.includes(location.origin), `unexpected body ${JSON.stringify(body)}`);
  });
});
