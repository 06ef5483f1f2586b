/**
 * The fault matrix, as a shopper sees it: the built widget (script tag,
 * strict CSP + Trusted Types) in Chromium against the reference API, with
 * one injected fault per test. Each test checks what the person sees (the
 * transcript, the error banner with its hint, Retry), what the server
 * received (the test-hook log), that nothing typed is lost (the question in
 * the transcript or back in the composer; a follow-up typed meanwhile stays
 * put) and that no tool ran twice (the page's cart, and the server accepted
 * each toolCallId's output at most once).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FaultRule } from '../../src/server/faults.js';
import { openChat, SHOP_TOOLS, startStack, strictCsp, widgetPage, type OpenChat, type Site, type Stack } from './support.js';

const QUESTION = 'is the blue mug in stock?';
const DELTAS = ['The blue mug ', 'is in stock ', 'and ships ', 'tomorrow.'];
const ANSWER = DELTAS.join('');
/**
 * Frames of a DELTAS answer: 1 execution_start, 2 custom, 3 turn_start,
 * 4 text_start, 5–8 text_delta, 9 text_complete, 10 turn_complete, 11 execution_complete.
 */
const AFTER_TWO_DELTAS = 6;

const TOOL_QUESTION = 'add the blue mug to my cart';
const CALL_ID = 'call_add_1';
const TOOL_ANSWER_DELTAS = ['Your cart ', 'now has ', 'the blue mug.'];
const TOOL_ANSWER = TOOL_ANSWER_DELTAS.join('');
/**
 * Chat: 1 execution_start, 2 custom, 3 turn_start, 4 text_start, 5 text_delta,
 * 6 text_complete, 7 turn_complete, 8 await. Resume: 1 custom, 2 tool_complete,
 * 3 turn_start, 4 text_start, 5–7 text_delta, 8 text_complete, 9 turn_complete, 10 execution_complete.
 */
const TOOL_TURNS = [
  [{ text: 'Adding it now.' }, { toolCall: { name: 'add_to_cart', id: CALL_ID, arguments: { sku: 'mug-blue' } } }],
  [{ text: TOOL_ANSWER_DELTAS }],
];
const BEFORE_AWAIT = 7;

/** A follow-up the person types while the answer is still coming. */
const FOLLOW_UP = 'and in red?';
const HINT = 'The shop assistant is restarting. Try again in a moment.';

/** A cut after `frames` frames: a clean close, or a reset that lands after the frames before it were sent. */
function cutAfter(frames: number, cutMode: 'close' | 'reset') {
  return { cutAfterFrames: frames, cutMode };
}

/** A page script: the first resume reaches the server, but its answer is lost on the way back. */
const LOSE_FIRST_RESUME_ANSWER = `
const realFetch = window.fetch;
let lost = false;
window.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  if (!lost && String(input).endsWith('/v1/client/resume')) {
    lost = true;
    await response.body?.cancel();
    throw new TypeError('Failed to fetch');
  }
  return response;
};
`;

let stack: Stack;
let browser: Browser;
let site: Site;
let hooks: Stack['hooks'];
let pages: Record<string, string>;
let apiUrl: string;
const opened: OpenChat[] = [];

beforeAll(async () => {
  stack = await startStack();
  ({ browser, site, hooks, pages } = stack);
  apiUrl = stack.api.url;
  stack.headers['content-security-policy'] = strictCsp(apiUrl);
});

afterAll(() => stack?.close());

beforeEach(async () => {
  Object.assign(pages, { '/': widgetPage(apiUrl), '/tools.js': SHOP_TOOLS, '/lose-first-resume.js': LOSE_FIRST_RESUME_ANSWER });
  await hooks.reset();
});

afterEach(async () => {
  for (const chat of opened.splice(0)) await chat.page.close();
});

async function open(beforeLoad?: Parameters<typeof openChat>[2]): Promise<OpenChat> {
  const chat = await openChat(browser, `${site.origin}/`, beforeLoad);
  opened.push(chat);
  return chat;
}

/** Scripts a text answer (or a tool round), queues `faults`, opens the chat and asks. */
async function ask(kind: 'text' | 'tool', ...faults: FaultRule[]): Promise<OpenChat> {
  await hooks.script(kind === 'text' ? [[{ text: DELTAS }]] : TOOL_TURNS);
  for (const rule of faults) await hooks.fault(rule);
  const chat = await open();
  await chat.send(kind === 'text' ? QUESTION : TOOL_QUESTION);
  return chat;
}

/** What the server received, in order: `endpoint status` (preflights left out). */
async function serverSaw(): Promise<string[]> {
  const { requests } = await hooks.log();
  return requests.filter((request) => request.endpoint !== 'preflight').map((request) => `${request.endpoint} ${request.status}`);
}

async function userBubbles(chat: OpenChat): Promise<string[]> {
  return chat.transcript.locator('.wmc-user').allTextContents();
}

/** How many times the page's add_to_cart ran (the shop's cart badge). */
async function toolRuns(chat: OpenChat): Promise<number> {
  return Number(await chat.page.locator('#badge').textContent());
}

/** The turn ended well: no banner, no CSP violation, no page error. */
async function expectCalm(chat: OpenChat): Promise<void> {
  expect(await chat.alert.count()).toBe(0);
  expect(chat.seen).toEqual({ violations: [], errors: [] });
}

/** The tool ran once in the page and the server took its output once. */
async function expectToolRanOnce(chat: OpenChat): Promise<void> {
  expect(await toolRuns(chat)).toBe(1);
  const { acceptedToolOutputs } = await hooks.log();
  expect(acceptedToolOutputs).toEqual({ [CALL_ID]: 1 });
}

describe('a broken stream is picked up where it broke', () => {
  it.each(['close', 'reset'] as const)(
    'cut mid-answer (%s) → replayed from the last frame: the whole answer once, no error',
    async (cutMode) => {
      const chat = await ask('text', { endpoint: 'chat', ...cutAfter(AFTER_TWO_DELTAS, cutMode) });
      await chat.composer.fill(FOLLOW_UP);

      expect(await chat.finishedAnswer()).toBe(ANSWER);
      expect(await userBubbles(chat)).toEqual([QUESTION]);
      expect(await chat.composer.inputValue()).toBe(FOLLOW_UP);
      expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'events 200']);
      await expectCalm(chat);
    },
  );

  it('cut before the await frame (close) → replay delivers the await: the tool runs once, the answer completes', async () => {
    const chat = await ask('tool', { endpoint: 'chat', ...cutAfter(BEFORE_AWAIT, 'close') });
    await chat.composer.fill(FOLLOW_UP);

    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    expect(await chat.composer.inputValue()).toBe(FOLLOW_UP);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'events 200', 'resume 200']);
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });

  it('cut mid-answer after the tool round (reset on resume) → replayed, the tool not run again', async () => {
    const chat = await ask('tool', { endpoint: 'resume', ...cutAfter(5, 'reset') });

    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'resume 200', 'events 200']);
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });

  it('stall mid-answer (silent past the idle timeout, fake clock) → counted as cut and replayed', async () => {
    await hooks.script([[{ text: DELTAS }]]);
    // The server goes quiet (no frames, no keep-alives) for longer than the test runs.
    await hooks.fault({ endpoint: 'chat', stallAfterFrames: AFTER_TWO_DELTAS, stallMs: 120_000 });
    // The widget has no option for the idle timeout (45 s); the page's clock is moved past it instead.
    const chat = await open((page) => page.clock.install());
    await chat.send(QUESTION);
    await chat.composer.fill(FOLLOW_UP);
    await chat.transcript.getByText(DELTAS.slice(0, 2).join('').trim()).waitFor();
    expect(await serverSaw()).toEqual(['init 200', 'chat 200']);
    await chat.page.clock.fastForward(46_000);

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await chat.composer.inputValue()).toBe(FOLLOW_UP);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'events 200']);
    await expectCalm(chat);
  });
});

describe('a failed request', () => {
  it('chat reset before any frame (no run to pick up) → the hint and Retry, the question back; Retry asks again', async () => {
    // The cut run goes on on the server and takes the first script; Retry starts a new run.
    await hooks.script([[{ text: 'lost' }]]);
    const chat = await ask('text', { endpoint: 'chat', cutAfterFrames: 0, cutMode: 'reset' });

    await chat.alert.waitFor();
    expect(await chat.alert.textContent()).toContain('The answer was cut off. Try again to continue.');
    expect(await chat.composer.inputValue()).toBe(QUESTION);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200']);

    await chat.alert.getByRole('button', { name: 'Retry' }).click();
    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await userBubbles(chat)).toEqual([QUESTION]);
    expect(await chat.composer.inputValue()).toBe('');
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'chat 200']);
    await expectCalm(chat);
  });

  it.each([500, 502])('%i on chat once → the hint and Retry, the question back in the composer; Retry sends it once', async (status) => {
    const chat = await ask('text', { endpoint: 'chat', status, error: 'upstream_unavailable', hint: HINT });

    await chat.alert.waitFor();
    expect(await chat.alert.textContent()).toContain(HINT);
    expect(await chat.composer.inputValue()).toBe(QUESTION);
    expect(await serverSaw()).toEqual(['init 200', `chat ${status}`]);

    await chat.alert.getByRole('button', { name: 'Retry' }).click();
    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await userBubbles(chat)).toEqual([QUESTION]);
    // Sent by Retry, so no longer offered for sending again.
    expect(await chat.composer.inputValue()).toBe('');
    expect(await serverSaw()).toEqual(['init 200', `chat ${status}`, 'chat 200']);
    const { requests } = await hooks.log('chat');
    expect(requests[1]!.body?.messages).toEqual([{ role: 'user', content: QUESTION, id: expect.any(String) }]);
    await expectCalm(chat);
  });

  it.each([500, 502])('%i on resume once → the hint and Retry; Retry posts the same outputs, the tool not run again', async (status) => {
    const chat = await ask('tool', { endpoint: 'resume', status, error: 'upstream_unavailable', hint: HINT });

    await chat.alert.waitFor();
    expect(await chat.alert.textContent()).toContain(HINT);
    expect(await toolRuns(chat)).toBe(1);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', `resume ${status}`]);

    await chat.alert.getByRole('button', { name: 'Retry' }).click();
    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', `resume ${status}`, 'resume 200']);
    // The refused resume never reached the handler; the one that did carries the page's output.
    const resumes = (await hooks.log('resume')).requests;
    expect(resumes[1]!.toolOutputs).toEqual({ [CALL_ID]: { result: { ok: true, items: 1 } } });
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });

  it('the answer to a resume is lost (fetch fails after the server took it) → the identical resume again, answered from the log', async () => {
    pages['/'] = widgetPage(apiUrl, { scripts: ['/lose-first-resume.js', '/tools.js'] });
    await hooks.script(TOOL_TURNS);
    const chat = await open();
    await chat.send(TOOL_QUESTION);

    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    const resumes = (await hooks.log('resume')).requests;
    expect(resumes.map((request) => [request.status, !!request.replayed])).toEqual([
      [200, false],
      [200, true],
    ]);
    expect(resumes[1]!.toolOutputs).toEqual(resumes[0]!.toolOutputs);
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });
});

describe('answers the client recovers from on its own', () => {
  /** A first exchange, so the fault lands mid-conversation. */
  async function firstExchange(): Promise<OpenChat> {
    await hooks.script(['Hello! How can I help?']);
    await hooks.script([[{ text: DELTAS }]]);
    const chat = await open();
    await chat.send('hi');
    expect(await chat.finishedAnswer()).toBe('Hello! How can I help?');
    return chat;
  }

  it('401 mid-conversation → a new session, the whole conversation and the tools resent; no error shown', async () => {
    const chat = await firstExchange();
    await hooks.fault({ endpoint: 'chat', status: 401, error: 'session_expired', hint: 'The session expired.' });
    await chat.send(QUESTION);

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await userBubbles(chat)).toEqual(['hi', QUESTION]);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'chat 401', 'init 200', 'chat 200']);
    const [first, , retried] = (await hooks.log('chat')).requests;
    expect(retried!.sessionId).not.toBe(first!.sessionId);
    expect(retried!.body?.clientTools?.map((tool) => tool.name)).toEqual(['add_to_cart', 'get_cart']);
    expect(retried!.body?.messages?.map((message) => [message.role, message.content])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello! How can I help?'],
      ['user', QUESTION],
    ]);
    await expectCalm(chat);
  });

  it('409 client_tools_resend_required → the same chat again with the full tools; no error shown', async () => {
    const chat = await firstExchange();
    await hooks.fault({ endpoint: 'chat', status: 409, error: 'client_tools_resend_required' });
    await chat.send(QUESTION);

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'chat 409', 'chat 200']);
    const [first, , resent] = (await hooks.log('chat')).requests;
    expect(first!.body?.clientTools).toHaveLength(2);
    // Unchanged tools would go as a fingerprint only; after the 409 they go in full.
    expect(resent!.body?.clientTools?.map((tool) => tool.name)).toEqual(['add_to_cart', 'get_cart']);
    expect(resent!.body?.clientToolsFingerprint).toBe(first!.body?.clientToolsFingerprint);
    expect(resent!.sessionId).toBe(first!.sessionId);
    await expectCalm(chat);
  });

  it('429 with Retry-After → waits as asked, then the answer; no error shown', async () => {
    const chat = await ask('text', { endpoint: 'chat', status: 429, retryAfter: 1, error: 'rate_limited', hint: 'Slow down.' });

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 429', 'chat 200']);
    const [limited, retried] = (await hooks.log('chat')).requests;
    // The server's own clock: the retry came no sooner than Retry-After allowed.
    expect(Date.parse(retried!.at) - Date.parse(limited!.at)).toBeGreaterThanOrEqual(1000);
    await expectCalm(chat);
  });

  it('429 twice → a clear error with the wait, the question back in the composer; Retry later succeeds', async () => {
    const chat = await ask('text', { endpoint: 'chat', status: 429, retryAfter: 1, error: 'rate_limited', times: 2 });

    await chat.alert.waitFor();
    expect(await chat.alert.textContent()).toContain('Too many messages right now. Try again in 1 s.');
    expect(await chat.composer.inputValue()).toBe(QUESTION);
    expect(await serverSaw()).toEqual(['init 200', 'chat 429', 'chat 429']);

    await chat.alert.getByRole('button', { name: 'Retry' }).click();
    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 429', 'chat 429', 'chat 200']);
    await expectCalm(chat);
  });
});

describe('odd frames', () => {
  async function protocolErrors(chat: OpenChat): Promise<string[]> {
    return chat.page.evaluate(() => {
      const element = document.querySelector('webmcp-chat') as unknown as { session: { state: { value: { protocolErrors: string[] } } } };
      return [...element.session.state.value.protocolErrors];
    });
  }

  it('a malformed frame → reported to the host (session protocolErrors), the turn goes on to the whole answer', async () => {
    const chat = await ask('text', { endpoint: 'chat', malformedAfterFrames: 5 });

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    const reported = await protocolErrors(chat);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain('data is not valid JSON');
    expect(await serverSaw()).toEqual(['init 200', 'chat 200']);
    await expectCalm(chat);
  });

  it('unknown events → ignored: the whole answer, nothing reported', async () => {
    const chat = await ask('text', { endpoint: 'chat', unknownEventAfterFrames: 5 });

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await protocolErrors(chat)).toEqual([]);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200']);
    await expectCalm(chat);
  });

  it('CRLF framing on chat and resume → a whole tool round works', async () => {
    const chat = await ask('tool', { endpoint: 'chat', crlf: true }, { endpoint: 'resume', crlf: true });

    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    expect(await chat.transcript.getByText('Adding it now.').count()).toBe(1);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'resume 200']);
    expect((await hooks.log()).requests.filter((request) => request.fault?.includes('"crlf":true'))).toHaveLength(2);
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });

  it('a duplicated frame → the text is not doubled', async () => {
    const chat = await ask('text', { endpoint: 'chat', duplicateAfterFrames: 5 });

    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200']);
    await expectCalm(chat);
  });

  it('a duplicated await frame → the tool runs once', async () => {
    const chat = await ask('tool', { endpoint: 'chat', duplicateAfterFrames: BEFORE_AWAIT + 1 });

    expect(await chat.finishedAnswer()).toBe(TOOL_ANSWER);
    expect(await serverSaw()).toEqual(['init 200', 'chat 200', 'resume 200']);
    await expectToolRanOnce(chat);
    await expectCalm(chat);
  });
});
