/**
 * The config fails closed: what the server does not understand stops it, by
 * name, instead of being dropped (a typo must not open a policy).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig, resolveConfig } from '../../../src/server/config.js';

type Spawned = { url: string; stop: () => void };
const supportPath = '../../support/reference-server.mjs';
const { startReferenceServer } = (await import(supportPath)) as { startReferenceServer: (options: { config: string }) => Promise<Spawned> };

const token = { token: 'ct_test_a', allowedOrigins: ['https://shop.example'] };

function refusal(input: unknown): string {
  const result = parseConfig(input);
  if (result.ok) throw new Error('the config was accepted');
  return result.message;
}

describe('config', () => {
  it('refuses unknown keys by name, at any depth, with the key it is closest to', () => {
    expect(refusal({ tokens: [{ ...token, surface: { webmcp: { enabled: true, allowList: [] } } }] })).toMatch(
      /unknown key "tokens\.0\.surface\.webmcp\.allowList" \(did you mean "allowlist"\?\)/,
    );
    expect(refusal({ tokens: [{ ...token, revoke: true }] })).toMatch(/"tokens\.0\.revoke" \(did you mean "revoked"\?\)/);
    expect(refusal({ tokens: [token], sesionTtlSeconds: 60 })).toMatch(/"sesionTtlSeconds" \(did you mean "sessionTtlSeconds"\?\)/);
    // Nothing close: the message lists what is known instead.
    expect(refusal({ tokens: [token], colour: 'red' })).toMatch(/unknown key "colour"; known keys here: .*memoryBudgetBytes/);
  });

  it('refuses numbers out of range, naming the setting', () => {
    expect(refusal({ tokens: [token], sessionTtlSeconds: 1e300 })).toMatch(/^config sessionTtlSeconds: /);
    expect(refusal({ tokens: [token], memoryBudgetBytes: 1 })).toMatch(/^config memoryBudgetBytes: /);
    expect(refusal({ tokens: [token], clientLimit: { requests: 0, perSeconds: 60 } })).toMatch(/^config clientLimit\.requests: /);
    expect(refusal({ tokens: [token], rateLimit: { turns: 2.5, perSeconds: 60 } })).toMatch(/^config rateLimit\.turns: /);
    expect(refusal({ tokens: [token], maxJsonDepth: 100_000 })).toMatch(/^config maxJsonDepth: /);
  });

  it('accepts "null" and "*" origins but warns about each', () => {
    const result = parseConfig({ tokens: [{ ...token, allowedOrigins: ['null', '*', 'https://shop.example'] }] });
    expect(result.ok).toBe(true);
    const warnings = result.ok ? result.warnings : [];
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/ct_test_a.*"null".*sandboxed/);
    expect(warnings[1]).toMatch(/ct_test_a.*"\*"/);
    expect(parseConfig({ tokens: [token] })).toMatchObject({ ok: true, warnings: [] });
  });

  it('fills defaults, with a memory budget of at most 256 MB', () => {
    const result = parseConfig({ tokens: [token] });
    if (!result.ok) throw new Error(result.message);
    expect(result.config.memoryBudgetBytes).toBeLessThanOrEqual(256 * 2 ** 20);
    expect(result.config.trustProxyHeader).toBeUndefined();
    expect(result.config.clientLimit).toEqual({ requests: 600, perSeconds: 60 });
  });

  it('resolveConfig prints each warning to stderr', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      resolveConfig({ tokens: [{ ...token, allowedOrigins: ['null'] }] });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/config warning: .*"null"/);
    } finally {
      warn.mockRestore();
    }
  });

  it('the CLI stops at start with the unknown key named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmc-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tokens: [{ ...token, surface: { webmcp: { enabled: true, allowList: [] } } }] }));
    await expect(startReferenceServer({ config: bad })).rejects.toThrow(/exited with 2[\s\S]*allowList[\s\S]*did you mean "allowlist"/);
  });
});
