import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OAuthStore, type Principal } from './store.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const principal = (grantId: number): Principal => ({
  grantId,
  kind: 'oauth',
  clientId: 'client',
  realm: null,
  scope: 'read',
  account: { id: 'acct', name: 'Account' },
  email: null,
});

describe('OAuthStore with a file', () => {
  it('keeps grants, rotations and revocations across instances, and never writes a token', () => {
    const file = path.join(dir, 'sub', 'front-oauth.json');
    const now = () => 1_000_000;
    const first = new OAuthStore(now, file);
    const kept = principal(first.newGrantId());
    first.addRefresh('refresh-kept-0123456789', kept, 2_000_000);
    first.addAccess('access-kept-0123456789', kept, 2_000_000, 'refresh-kept-0123456789');
    const rotated = principal(first.newGrantId());
    first.addRefresh('refresh-rotated-0123456789', rotated, null);
    first.addAccess('access-rotated-0123456789', rotated, null, 'refresh-rotated-0123456789');
    first.deleteRefresh('refresh-rotated-0123456789');
    first.deleteAccessPairedWith('refresh-rotated-0123456789');
    const revoked = principal(first.newGrantId());
    first.addAccess('access-revoked-0123456789', revoked, null, null);
    first.revokeGrant(revoked.grantId);
    first.addApiToken('seeded-api-token-0123456789', { ...principal(first.newGrantId()), kind: 'api_token' });
    first.saveCode('code-0123456789', {
      clientId: 'client',
      redirectUri: null,
      scope: 'read',
      realm: null,
      codeChallenge: null,
      account: kept.account,
      expiresAt: 1_600_000,
      isUsed: false,
    });
    first.consumeCode('code-0123456789');

    const written = readFileSync(file, 'utf8');
    for (const secret of ['refresh-kept', 'access-kept', 'access-revoked', 'seeded-api-token', 'code-0123']) {
      expect(written).not.toContain(secret);
    }

    const second = new OAuthStore(now, file);
    expect(second.findAccess('access-kept-0123456789', null)).toMatchObject({ ok: true });
    expect(second.findRefresh('refresh-kept-0123456789', null)).toMatchObject({
      ok: true,
      record: { token: 'refresh-kept-0123456789', principal: kept },
    });
    expect(second.findAccess('access-rotated-0123456789', null)).toEqual({ ok: false, reason: 'unknown' });
    expect(second.findRefresh('refresh-rotated-0123456789', null)).toEqual({ ok: false, reason: 'unknown' });
    expect(second.findAccess('access-revoked-0123456789', null)).toEqual({ ok: false, reason: 'revoked' });
    expect(second.findCode('code-0123456789')).toEqual({ ok: false, reason: 'used' });
    // Seeded API tokens are the emulator's configuration: seeded again on start, not carried over.
    expect(second.findAccess('seeded-api-token-0123456789', null)).toEqual({ ok: false, reason: 'unknown' });
    // Grant ids continue, so a new grant can never be revoked along with an old one.
    expect(second.newGrantId()).toBeGreaterThan(revoked.grantId);
  });

  it('drops what expired long ago when it writes', () => {
    const file = path.join(dir, 'expiry-oauth.json');
    let clock = 0;
    const store = new OAuthStore(() => clock, file);
    store.addAccess('short-lived-0123456789', principal(store.newGrantId()), 1000, null);
    clock = 2 * 24 * 60 * 60 * 1000;
    store.addAccess('fresh-0123456789', principal(store.newGrantId()), null, null);
    const reloaded = new OAuthStore(() => 0, file);
    expect(reloaded.findAccess('short-lived-0123456789', null)).toEqual({ ok: false, reason: 'unknown' });
    expect(reloaded.findAccess('fresh-0123456789', null)).toMatchObject({ ok: true });
  });
});
