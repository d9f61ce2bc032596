import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedWorkspace, signUp, uniqueEmail, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

describe('browser sign-in', () => {
  it('signs up without a session, then signs in with an httpOnly SameSite=Lax session cookie, and out', async () => {
    const email = uniqueEmail();
    const up = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: 'a long password', name: 'Ada' },
    });
    expect(up.status).toBe(202);
    expect(up.headers.getSetCookie()).toEqual([]);

    const wrong = await t.request('/auth/sign-in', {
      method: 'POST',
      json: { email, password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: { code: 'unauthenticated', message: 'wrong email or password' },
    });

    const inRes = await t.request('/auth/sign-in', {
      method: 'POST',
      json: { email, password: 'a long password' },
    });
    expect(inRes.status).toBe(200);
    const setCookie = inRes.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/deskpulse\.session_token=.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = inRes.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const me = await json(await t.request('/me', { cookie }));
    expect(me).toMatchObject({ user: { email, name: 'Ada' }, workspace: null, role: null, via: 'session' });

    expect((await t.request('/auth/sign-out', { method: 'POST', cookie })).status).toBe(204);
    expect((await t.request('/me', { cookie })).status).toBe(401);
  });

  it('refuses a short password without creating anything', async () => {
    const email = uniqueEmail();
    const short = await t.request('/auth/sign-up', {
      method: 'POST',
      json: { email, password: 'short', name: 'X' },
    });
    expect(short.status).toBe(400);
    expect(await json(short)).toMatchObject({
      error: {
        code: 'invalid_body',
        details: [{ path: 'password', message: 'must be at least 12 characters' }],
      },
    });
    expect(await t.deps.db.selectFrom('auth_user').where('email', '=', email).execute()).toEqual([]);
  });

  it('marks the cookie Secure when served over https', async () => {
    const secure = await createTestApp({ DESKPULSE_PUBLIC_URL: 'https://deskpulse.example.com' });
    try {
      const email = uniqueEmail();
      await secure.request('/auth/sign-up', {
        method: 'POST',
        json: { email, password: 'a long password', name: 'S' },
      });
      const res = await secure.request('/auth/sign-in', {
        method: 'POST',
        json: { email, password: 'a long password' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().join('\n')).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('workspaces, members and invites', () => {
  it('makes the creator the owner and answers /me with workspace and role', async () => {
    const { cookie, email } = await signUp(t);
    const created = await t.request('/workspaces', { method: 'POST', cookie, json: { name: 'Support Co' } });
    expect(created.status).toBe(201);
    const ws = await json<{ id: string; name: string; timezone: string }>(created);
    expect(ws).toMatchObject({ name: 'Support Co', timezone: 'UTC' });
    const me = await json(await t.request('/me', { cookie }));
    expect(me).toMatchObject({
      user: { email },
      workspace: { id: ws.id, name: 'Support Co' },
      role: 'owner',
    });
  });

  it('runs the invite link: single use, role baked in, expiring, revocable', async () => {
    const { keys, workspace } = await seedWorkspace(t);
    const res = await t.request('/invites', { method: 'POST', key: keys.admin, json: { role: 'member' } });
    expect(res.status).toBe(201);
    const invite = await json<{ id: string; token: string; url: string; expiresAt: string; role: string }>(
      res,
    );
    expect(invite.url).toContain(invite.token);
    const days = (Date.parse(invite.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const joiner = await signUp(t);
    const accepted = await t.request('/invites/accept', {
      method: 'POST',
      cookie: joiner.cookie,
      json: { token: invite.token },
    });
    expect(await json(accepted)).toEqual({ workspace: { id: workspace.id, name: 'Acme' }, role: 'member' });
    expect(await json(await t.request('/me', { cookie: joiner.cookie }))).toMatchObject({ role: 'member' });

    const again = await signUp(t);
    const reused = await t.request('/invites/accept', {
      method: 'POST',
      cookie: again.cookie,
      json: { token: invite.token },
    });
    expect(reused.status).toBe(410);
    expect(await json(reused)).toEqual({
      error: { code: 'invite_used', message: 'this invite has already been used' },
    });

    const second = await json<{ id: string; token: string }>(
      await t.request('/invites', { method: 'POST', key: keys.owner, json: { role: 'admin' } }),
    );
    expect((await t.request(`/invites/${second.id}`, { method: 'DELETE', key: keys.admin })).status).toBe(
      204,
    );
    const revoked = await t.request('/invites/accept', {
      method: 'POST',
      cookie: again.cookie,
      json: { token: second.token },
    });
    expect(revoked.status).toBe(404);

    const third = await json<{ id: string; token: string }>(
      await t.request('/invites', { method: 'POST', key: keys.owner, json: { role: 'admin' } }),
    );
    await t.deps.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', third.id)
      .execute();
    const expired = await t.request('/invites/accept', {
      method: 'POST',
      cookie: again.cookie,
      json: { token: third.token },
    });
    expect(expired.status).toBe(410);
    expect(await json(expired)).toMatchObject({ error: { code: 'invite_expired' } });

    const keyAccept = await t.request('/invites/accept', {
      method: 'POST',
      key: keys.member,
      json: { token: 'x' },
    });
    expect(keyAccept.status).toBe(403);
  });

  it('lets only the owner change roles; admins remove members only; a removed teammate gets 404', async () => {
    const { keys, owner } = await seedWorkspace(t);
    const join = async (role: 'admin' | 'member') => {
      const inv = await json<{ token: string }>(
        await t.request('/invites', { method: 'POST', key: keys.owner, json: { role } }),
      );
      const u = await signUp(t);
      await t.request('/invites/accept', { method: 'POST', cookie: u.cookie, json: { token: inv.token } });
      return u;
    };
    const admin = await join('admin');
    const member = await join('member');
    const members = await json<{ members: { userId: string; role: string }[] }>(
      await t.request('/members', { key: keys.member }),
    );
    expect(members.members.map((m) => m.role)).toEqual(['owner', 'admin', 'member']);

    const promote = await t.request(`/members/${member.userId}`, {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { role: 'admin' },
    });
    expect(promote.status).toBe(403);
    const adminRemovesAdmin = await t.request(`/members/${admin.userId}`, {
      method: 'DELETE',
      key: keys.admin,
    });
    expect(await json(adminRemovesAdmin)).toEqual({
      error: { code: 'forbidden', message: 'admins can remove members only' },
    });
    const removeOwner = await t.request(`/members/${owner.userId}`, { method: 'DELETE', key: keys.owner });
    expect(removeOwner.status).toBe(403);

    expect(
      (await t.request(`/members/${member.userId}`, { method: 'DELETE', cookie: admin.cookie })).status,
    ).toBe(204);
    const after = await t.request('/members', { cookie: member.cookie });
    expect(after.status).toBe(404);
    expect(await json(after)).toEqual({
      error: { code: 'not_found', message: 'you are not a member of any workspace' },
    });

    expect(
      (
        await t.request(`/members/${admin.userId}`, {
          method: 'PATCH',
          key: keys.owner,
          json: { role: 'member' },
        })
      ).status,
    ).toBe(204);
    expect(await json(await t.request('/me', { cookie: admin.cookie }))).toMatchObject({ role: 'member' });
  });

  it('selects among several workspaces with the X-Workspace-Id header', async () => {
    const { cookie } = await signUp(t);
    const a = await json<{ id: string }>(
      await t.request('/workspaces', { method: 'POST', cookie, json: { name: 'A' } }),
    );
    const b = await json<{ id: string }>(
      await t.request('/workspaces', { method: 'POST', cookie, json: { name: 'B' } }),
    );
    expect(await json(await t.request('/me', { cookie }))).toMatchObject({ workspace: { id: a.id } });
    expect(await json(await t.request('/me', { cookie, headers: { 'x-workspace-id': b.id } }))).toMatchObject(
      {
        workspace: { id: b.id },
      },
    );
    const other = await seedWorkspace(t);
    const foreign = await t.request('/me', { cookie, headers: { 'x-workspace-id': other.workspace.id } });
    expect(foreign.status).toBe(404);
  });
});

describe('API keys over HTTP', () => {
  it('shows the secret once, stores only a hash, lists without secrets, revokes', async () => {
    const { keys } = await seedWorkspace(t);
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: keys.admin,
      json: { name: 'ci', role: 'member' },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; key: string; role: string }>(res);
    expect(created.key).toMatch(/^dpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(await json(await t.request('/me', { key: created.key }))).toMatchObject({
      role: 'member',
      via: 'api_key',
      user: null,
    });

    const listed = await t.request('/apikeys', { key: keys.owner });
    const text = await listed.text();
    expect(text).toContain(created.id);
    expect(text).not.toContain(created.key.slice(-43));
    const rows = await t.deps.db.selectFrom('api_keys').select('secret_hash').execute();
    expect(rows.some((r) => r.secret_hash.includes(created.key.slice(-43)))).toBe(false);

    expect((await t.request(`/apikeys/${created.id}`, { method: 'DELETE', key: keys.admin })).status).toBe(
      204,
    );
    const after = await t.request('/me', { key: created.key });
    expect(after.status).toBe(401);
    expect(await json(after)).toEqual({
      error: { code: 'unauthenticated', message: 'invalid or revoked API key' },
    });
  });

  it('never mints a key above the caller and keeps admin keys for the owner to revoke', async () => {
    const { keys } = await seedWorkspace(t);
    const adminKeys = await json<{ apiKeys: { id: string; role: string }[] }>(
      await t.request('/apikeys', { key: keys.owner }),
    );
    const ownerKeyId = adminKeys.apiKeys.find((k) => k.role === 'owner')?.id ?? '';
    const res = await t.request(`/apikeys/${ownerKeyId}`, { method: 'DELETE', key: keys.admin });
    expect(await json(res)).toEqual({
      error: { code: 'forbidden', message: 'only the owner can revoke owner keys' },
    });
  });
});
