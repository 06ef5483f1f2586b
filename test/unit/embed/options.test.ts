/**
 * Options read from attributes (`<webmcp-chat>`'s own, the script tag's
 * `data-*`): what a page author writes is what the widget gets.
 */
import { describe, expect, it } from 'vitest';
import { OPTION_ATTRIBUTES, optionsFromAttributes } from '../../../src/embed/options.js';

const read = (attributes: Record<string, string>) => optionsFromAttributes((name) => attributes[name] ?? null);

describe('optionsFromAttributes', () => {
  it('reads text options by their camelCase names, and skips empty ones', () => {
    expect(
      read({ 'client-token': 'ct_test_demo', 'api-url': 'https://api.example', 'flow-id': 'returns', title: '', corner: 'top-left' }),
    ).toEqual({ clientToken: 'ct_test_demo', apiUrl: 'https://api.example', flowId: 'returns', corner: 'top-left' });
  });

  it('reads booleans: present is true, "false" is false', () => {
    expect(read({ open: '', preload: 'true', 'always-allow-consequential': 'false' })).toEqual({
      open: true,
      preload: true,
      alwaysAllowConsequential: false,
    });
  });

  it('reads lists separated by commas or spaces; confirm-tools="all" and allow-images alone keep their meaning', () => {
    expect(read({ 'tool-allowlist': 'search_*, get_cart  add_to_cart', 'confirm-tools': 'all', 'allow-images': '' })).toEqual({
      toolAllowlist: ['search_*', 'get_cart', 'add_to_cart'],
      confirmTools: 'all',
      allowImages: true,
    });
    expect(read({ 'confirm-tools': 'checkout,pay', 'allow-images': 'https://cdn.example https://img.example' })).toEqual({
      confirmTools: ['checkout', 'pay'],
      allowImages: ['https://cdn.example', 'https://img.example'],
    });
    expect(read({ 'allow-images': 'true' }).allowImages).toBe(true);
  });

  it('reads the time limit as a positive number, and ignores anything else', () => {
    expect(read({ 'tool-timeout-ms': '5000' })).toEqual({ toolTimeoutMs: 5000 });
    for (const bad of ['0', '-1', 'soon', '']) expect(read({ 'tool-timeout-ms': bad })).toEqual({});
  });

  it('observes every attribute it reads', () => {
    const seen: string[] = [];
    optionsFromAttributes((name) => {
      seen.push(name);
      return null;
    });
    expect(seen.sort()).toEqual([...OPTION_ATTRIBUTES].sort());
    expect(OPTION_ATTRIBUTES).toHaveLength(17);
  });
});
