import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountHashOf } from '../domain/sign-in-guard.ts';
import { createInvite } from '../domain/workspaces.ts';
import { UNKNOWN_ADDRESS } from './client-address.ts';
import {
  createTestApp,
  secondApiProcess,
  seedWorkspace,
  signIn,
  uniqueEmail,
  type TestApp,
} from '../../test/helpers.ts';

const PASSWORD = 'correct horse battery';
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
const ownerOf = (ws: { id: string }) => ({
  kind: 'api_key' as const,
  apiKeyId: 'key_test',
  userId: null,
  workspaceId: ws.id,
  role: 'owner' as const,
});

/** The same app, served on a real loopback socket (so the limiter sees a real peer address). */
async function listen(app: { fetch: (r: Request) => Response | Promise<Response> }) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('sign-up policy (invite-only by default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The shipped default, not the test helpers' open sign-up.
    t = await createTestApp({ DESKPULSE_SIGNUP: '' });
  });
  afterAll(async () => t.close());

  it('refuses a sign-up without an invite, and one with an unknown, used or expired invite', async () => {
    expect(t.deps.config.signUp).toBe('invite');
    const email = uniqueEmail();
    const none = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: PASSWORD, name: 'N' },
    });
    expect(none.status).toBe(403);
    expect(await json(none)).toEqual({
      error: {
        code: 'signup_invite_required',
        message:
          'sign-up is by invitation: open the invite link a workspace admin sent you, or ask them for one',
      },
    });
    const unknown = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: PASSWORD, name: 'N', inviteToken: 'not-a-token' },
    });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toEqual({ error: { code: 'not_found', message: 'invite not found' } });

    const { workspace } = await seedWorkspace(t);
    const { invite, token } = await createInvite(t.deps.db, ownerOf(workspace), { role: 'member' });
    await t.deps.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invite.id)
      .execute();
    const expired = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: PASSWORD, name: 'N', inviteToken: token },
    });
    expect(expired.status).toBe(410);
    expect(await json(expired)).toEqual({
      error: { code: 'invite_expired', message: 'this invite has expired' },
    });
    expect(await t.deps.db.selectFrom('auth_user').where('email', '=', email).execute()).toEqual([]);
  });

  it('creates the account and joins the invite’s workspace with its role in one step', async () => {
    const { workspace, keys } = await seedWorkspace(t);
    const { token } = await createInvite(t.deps.db, ownerOf(workspace), { role: 'admin' });
    const email = uniqueEmail('invited');
    const up = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: PASSWORD, name: 'Invited', inviteToken: token },
    });
    expect(up.status).toBe(202);
    expect(await json(up)).toEqual({
      next: 'sign_in',
      message:
        'If this email can be used, the account is ready: sign in with it. If you already had an account, sign in with your password and accept the invite from its link.',
    });
    const { cookie } = await signIn(t, email);
    expect(await json(await t.request('/me', { cookie }))).toMatchObject({
      workspace: { id: workspace.id },
      role: 'admin',
    });
    const reused = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email: uniqueEmail(), password: PASSWORD, name: 'Again', inviteToken: token },
    });
    expect(await json(reused)).toEqual({
      error: { code: 'invite_used', message: 'this invite has already been used' },
    });
    const audit = await json<{ events: { action: string; actor: string }[] }>(
      await t.request('/audit?action=invite.accept', { key: keys.owner }),
    );
    expect(audit.events).toMatchObject([{ action: 'invite.accept', actor: email }]);
  });

  it('answers a taken email exactly as a new one, changes nothing, and leaves the invite pending', async () => {
    const { workspace, owner } = await seedWorkspace(t);
    const takenInvite = await createInvite(t.deps.db, ownerOf(workspace), { role: 'member' });
    const freshInvite = await createInvite(t.deps.db, ownerOf(workspace), { role: 'member' });
    const signUpWith = (email: string, inviteToken: string) =>
      t.request('/auth/sign-up', {
        method: 'POST',
        json: { email, password: 'a different passphrase', name: 'Mallory', inviteToken },
      });
    const taken = await signUpWith(owner.email, takenInvite.token);
    const fresh = await signUpWith(uniqueEmail(), freshInvite.token);
    expect(taken.status).toBe(fresh.status);
    expect(await taken.text()).toBe(await fresh.text());
    expect(taken.headers.getSetCookie()).toEqual([]);
    expect(fresh.headers.getSetCookie()).toEqual([]);
    // The owner's password and name are untouched; the invite can still be accepted after signing in.
    await signIn(t, owner.email);
    const user = await t.deps.db
      .selectFrom('auth_user')
      .select('name')
      .where('email', '=', owner.email)
      .executeTakeFirstOrThrow();
    expect(user.name).toBe('Test');
    const pending = await t.deps.db
      .selectFrom('invites')
      .select('accepted_at')
      .where('id', '=', takenInvite.invite.id)
      .executeTakeFirstOrThrow();
    expect(pending.accepted_at).toBeNull();
  });

  it('applies the password policy before creating anything', async () => {
    const { workspace } = await seedWorkspace(t);
    const { token } = await createInvite(t.deps.db, ownerOf(workspace), { role: 'member' });
    const email = 'grace.hopper@example.com';
    for (const [password, message] of [
      ['password1234', 'is too common: it is on a list of passwords that attackers try first'],
      ['aaaaaaaaaaaa', 'must not repeat a few characters over and over'],
      ['Grace.Hopper@example.com', 'must not be your email address or its name part'],
      ['grace.hopper', 'must not be your email address or its name part'],
    ] as const) {
      const res = await t.request('/auth/sign-up', {
        method: 'POST',
        json: { email, password, name: 'G', inviteToken: token },
      });
      expect(res.status, password).toBe(400);
      expect(await json(res)).toEqual({
        error: {
          code: 'invalid_body',
          message: `password ${message}`,
          details: [{ path: 'password', message }],
        },
      });
    }
    expect(await t.deps.db.selectFrom('auth_user').where('email', '=', email).execute()).toEqual([]);
  });

  it('leaves the first owner to first-run setup, which applies the same password policy and signs in', async () => {
    const fresh = await createTestApp({ DESKPULSE_SIGNUP: '' }, { worker: false });
    try {
      const body = { workspaceName: 'First', name: 'Owner', email: 'first.owner@example.com' };
      const weak = await fresh.request('/setup', {
        method: 'POST',
        json: { ...body, password: 'password1234' },
      });
      expect(weak.status).toBe(400);
      expect(await json(weak)).toMatchObject({
        error: { code: 'invalid_body', details: [{ path: 'password' }] },
      });
      const done = await fresh.request('/setup', { method: 'POST', json: { ...body, password: PASSWORD } });
      expect(done.status, await done.clone().text()).toBe(201);
      const cookie = done.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      expect(await json(await fresh.request('/me', { cookie }))).toMatchObject({ role: 'owner' });
      const later = await fresh.request('/auth/sign-up', {
        method: 'POST',
        json: { email: uniqueEmail(), password: PASSWORD, name: 'L' },
      });
      expect(later.status).toBe(403);
    } finally {
      await fresh.close();
    }
  });

  it('lets anyone sign up with DESKPULSE_SIGNUP=open', async () => {
    const open = await createTestApp({ DESKPULSE_SIGNUP: 'open' });
    try {
      const res = await open.request('/auth/sign-up', {
        method: 'POST',
        json: { email: uniqueEmail(), password: PASSWORD, name: 'O' },
      });
      expect(res.status).toBe(202);
    } finally {
      await open.close();
    }
  });
});

describe('sign-in abuse', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      DESKPULSE_SIGNIN_MAX_FAILURES_PER_ACCOUNT: '3',
      DESKPULSE_SIGNIN_MAX_FAILURES_PER_ADDRESS: '8',
      DESKPULSE_SIGNIN_WINDOW_SECONDS: '600',
    });
  });
  afterAll(async () => t.close());
  const attempt = (email: string, password: string) =>
    t.request('/auth/sign-in', { method: 'POST', json: { email, password } });
  /** Each test starts with no failures on record (the address of `app.request` is shared). */
  const clear = () => t.deps.db.deleteFrom('sign_in_failures').execute();

  it('answers 429 with Retry-After after the account’s limit, for real and unknown accounts alike', async () => {
    await clear();
    const { owner } = await seedWorkspace(t);
    for (const email of [owner.email, uniqueEmail('nobody')]) {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt(email, `wrong guess ${i}`)).status);
      expect(statuses, email).toEqual([401, 401, 401, 429]);
      const limited = await attempt(email, PASSWORD);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(await json(limited)).toEqual({
        error: {
          code: 'rate_limited',
          message: `too many failed sign-ins; try again in ${retryAfter} seconds`,
        },
      });
    }
    // The window slides: once the failures are older than it, the right password works again.
    await t.handle.pool.query(`update sign_in_failures set at = at - interval '601 seconds'`);
    expect((await attempt(owner.email, PASSWORD)).status).toBe(200);
  });

  it('limits the client address across accounts, and counts requests without a socket under one fallback address', async () => {
    await clear();
    const statuses = [];
    for (let i = 0; i < 9; i++) statuses.push((await attempt(uniqueEmail('spray'), 'wrong guess')).status);
    expect(statuses).toEqual([...Array<number>(8).fill(401), 429]);
    const rows = await t.deps.db.selectFrom('sign_in_failures').select(['address', 'account_hash']).execute();
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.address))).toEqual(new Set([UNKNOWN_ADDRESS]));
  });

  it('lets only the limit through when fifty wrong passwords arrive at once', async () => {
    await clear();
    const { owner } = await seedWorkspace(t);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attempt(owner.email, `parallel guess ${i}`)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(47);
  });

  it('forgives a typo or two once the password is right', async () => {
    await clear();
    const { owner } = await seedWorkspace(t);
    expect((await attempt(owner.email, 'typo one')).status).toBe(401);
    expect((await attempt(owner.email, 'typo two')).status).toBe(401);
    expect((await attempt(owner.email, PASSWORD)).status).toBe(200);
    expect((await attempt(owner.email, 'typo three')).status).toBe(401);
    expect((await attempt(owner.email, PASSWORD)).status).toBe(200);
  });

  it('logs failures with the email’s hash and the address, never the email or password, and audits them', async () => {
    await clear();
    const { owner, keys } = await seedWorkspace(t);
    const before = t.logs.length;
    expect((await attempt(owner.email, 'a wrong password 123')).status).toBe(401);
    const lines = t.logs.slice(before).join('\n');
    expect(lines).not.toContain(owner.email);
    expect(lines).not.toContain('a wrong password 123');
    const failed = t.logs
      .slice(before)
      .map((l) => JSON.parse(l) as { event?: string; emailHash?: string; address?: string })
      .find((l) => l.event === 'sign_in_failed');
    expect(failed).toMatchObject({ emailHash: accountHashOf(owner.email), address: UNKNOWN_ADDRESS });
    const audit = await json<{ events: unknown[] }>(
      await t.request('/audit?action=auth.sign_in_failed', { key: keys.owner }),
    );
    expect(audit.events).toMatchObject([
      {
        action: 'auth.sign_in_failed',
        actor: `sign-in from ${UNKNOWN_ADDRESS}`,
        actorKind: 'system',
        target: { kind: 'user', id: owner.userId, label: owner.email },
        outcome: 'wrong_password',
      },
    ]);
  });

  it('agrees across two API processes on real sockets, and trusts X-Forwarded-For only from a trusted proxy', async () => {
    await clear();
    const { owner } = await seedWorkspace(t);
    const proxied = { ...t.deps.config, auth: { ...t.deps.config.auth, trustedProxies: ['127.0.0.1'] } };
    const second = secondApiProcess(t, proxied);
    const a = await listen(t.app);
    const b = await listen(second.app);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await post(i % 2 ? b.url : a.url, '/auth/sign-in', { email: owner.email, password: `w${i}x` }))
            .status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const addresses = await t.deps.db.selectFrom('sign_in_failures').select('address').execute();
      expect(addresses.map((r) => r.address)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);

      await clear();
      const spoof = { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' };
      await post(a.url, '/auth/sign-in', { email: uniqueEmail(), password: 'wrong one' }, spoof);
      await post(b.url, '/auth/sign-in', { email: uniqueEmail(), password: 'wrong one' }, spoof);
      const seen = await t.deps.db.selectFrom('sign_in_failures').select('address').orderBy('id').execute();
      // Not behind a trusted proxy, the header is the caller's to forge; behind one, its nearest entry counts.
      expect(seen.map((r) => r.address)).toEqual(['127.0.0.1', '203.0.113.9']);
    } finally {
      await a.close();
      await b.close();
      await second.close();
    }
  });
});
