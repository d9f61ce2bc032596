import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../domain/api-keys.ts';
import { createTestApp, seedWorkspace, signUp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { worker: false });
});
afterAll(async () => t.close());

type Event = {
  id: string;
  at: string;
  actor: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  target: { kind: string; id: string; label: string | null } | null;
  outcome: string;
  detail: string | null;
};
type Page = { events: Event[]; nextCursor: string | null };
const json = async <T>(res: Response) => (await res.json()) as T;

/** A teammate with the role, joined through a real invite link. */
async function join(ws: Awaited<ReturnType<typeof seedWorkspace>>, role: 'admin' | 'member') {
  const invite = await json<{ id: string; token: string }>(
    await t.request('/invites', { method: 'POST', cookie: ws.owner.cookie, json: { role } }),
  );
  const person = await signUp(t);
  await t.request('/invites/accept', {
    method: 'POST',
    cookie: person.cookie,
    json: { token: invite.token },
  });
  return { ...person, inviteId: invite.id };
}

describe('the audit trail', () => {
  it('records who did what to which key, invite and member', async () => {
    const ws = await seedWorkspace(t);
    const admin = await join(ws, 'admin');
    const member = await join(ws, 'member');
    const created = await json<{ id: string }>(
      await t.request('/apikeys', {
        method: 'POST',
        cookie: admin.cookie,
        json: { name: 'ci', role: 'member' },
      }),
    );
    expect((await t.request(`/apikeys/${created.id}`, { method: 'DELETE', key: ws.keys.owner })).status).toBe(
      204,
    );
    const pending = await json<{ id: string }>(
      await t.request('/invites', { method: 'POST', key: ws.keys.admin, json: { role: 'member' } }),
    );
    expect(
      (await t.request(`/invites/${pending.id}`, { method: 'DELETE', cookie: admin.cookie })).status,
    ).toBe(204);
    expect(
      (
        await t.request(`/members/${admin.userId}`, {
          method: 'PATCH',
          cookie: ws.owner.cookie,
          json: { role: 'member' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await t.request(`/members/${member.userId}`, { method: 'DELETE', key: ws.keys.admin })).status,
    ).toBe(204);

    const page = await json<Page>(await t.request('/audit?limit=200', { key: ws.keys.owner }));
    const ownerKeyId = (
      await json<{ apiKeys: { id: string; name: string }[] }>(
        await t.request('/apikeys', { key: ws.keys.owner }),
      )
    ).apiKeys.find((k) => k.name === 'owner')?.id;
    const adminKeyId = (
      await json<{ apiKeys: { id: string; name: string }[] }>(
        await t.request('/apikeys', { key: ws.keys.owner }),
      )
    ).apiKeys.find((k) => k.name === 'admin')?.id;
    const view = page.events.map((e) => ({
      action: e.action,
      actor: e.actor,
      actorKind: e.actorKind,
      target: e.target && `${e.target.kind} ${e.target.id} ${e.target.label}`,
      detail: e.detail,
    }));
    // Newest first; the three seed keys were minted for the owner by the test helper.
    expect(view).toEqual([
      {
        action: 'member.remove',
        actor: `api key ${adminKeyId}`,
        actorKind: 'api_key',
        target: `user ${member.userId} ${member.email}`,
        detail: 'was member',
      },
      {
        action: 'member.role_change',
        actor: ws.owner.email,
        actorKind: 'user',
        target: `user ${admin.userId} ${admin.email}`,
        detail: 'admin → member',
      },
      {
        action: 'invite.revoke',
        actor: admin.email,
        actorKind: 'user',
        target: `invite ${pending.id} member invite`,
        detail: null,
      },
      {
        action: 'invite.create',
        actor: `api key ${adminKeyId}`,
        actorKind: 'api_key',
        target: `invite ${pending.id} member invite`,
        detail: 'role member',
      },
      {
        action: 'apikey.revoke',
        actor: `api key ${ownerKeyId}`,
        actorKind: 'api_key',
        target: `api_key ${created.id} ci`,
        detail: 'role member',
      },
      {
        action: 'apikey.create',
        actor: admin.email,
        actorKind: 'user',
        target: `api_key ${created.id} ci`,
        detail: 'role member',
      },
      {
        action: 'invite.accept',
        actor: member.email,
        actorKind: 'user',
        target: `invite ${member.inviteId} member invite`,
        detail: 'joined as member',
      },
      {
        action: 'invite.create',
        actor: ws.owner.email,
        actorKind: 'user',
        target: `invite ${member.inviteId} member invite`,
        detail: 'role member',
      },
      {
        action: 'invite.accept',
        actor: admin.email,
        actorKind: 'user',
        target: `invite ${admin.inviteId} admin invite`,
        detail: 'joined as admin',
      },
      {
        action: 'invite.create',
        actor: ws.owner.email,
        actorKind: 'user',
        target: `invite ${admin.inviteId} admin invite`,
        detail: 'role admin',
      },
      ...['member', 'admin', 'owner'].map((role) => ({
        action: 'apikey.create',
        actor: ws.owner.email,
        actorKind: 'user',
        target: expect.stringMatching(new RegExp(`^api_key key_[0-9a-f]{16} ${role}$`)) as unknown,
        detail: `role ${role}`,
      })),
    ]);
    for (const e of page.events) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('filters by action, actor and since, and pages with a cursor', async () => {
    const ws = await seedWorkspace(t);
    const admin = await join(ws, 'admin');
    for (let i = 0; i < 5; i++) {
      await t.request('/apikeys', {
        method: 'POST',
        cookie: admin.cookie,
        json: { name: `k${i}`, role: 'member' },
      });
    }
    const byAdmin = await json<Page>(await t.request(`/audit?actor=${admin.userId}`, { key: ws.keys.owner }));
    expect(byAdmin.events.map((e) => e.action)).toEqual([
      ...Array<string>(5).fill('apikey.create'),
      'invite.accept',
    ]);
    const byEmail = await json<Page>(
      await t.request(`/audit?actor=${encodeURIComponent(admin.email.toUpperCase())}`, {
        key: ws.keys.owner,
      }),
    );
    expect(byEmail.events).toEqual(byAdmin.events);
    const invites = await json<Page>(
      await t.request('/audit?action=invite.create,invite.accept', { key: ws.keys.owner }),
    );
    expect(invites.events.map((e) => e.action)).toEqual(['invite.accept', 'invite.create']);

    const pages: string[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await t.request(`/audit?action=apikey.create&limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
        key: ws.keys.owner,
      });
      const page: Page = await json<Page>(res);
      pages.push(page.events.map((e) => e.target?.label ?? ''));
      cursor = page.nextCursor;
    }
    // Five by the admin, then the three seed keys; the last page ends with a null cursor.
    expect(pages).toEqual([
      ['k4', 'k3', 'k2'],
      ['k1', 'k0', 'member'],
      ['admin', 'owner'],
    ]);
    // `before` keeps working as it did: the events older than an id.
    const all = await json<Page>(await t.request('/audit?action=apikey.create', { key: ws.keys.owner }));
    const older = await json<Page>(
      await t.request(`/audit?action=apikey.create&before=${all.events[4]?.id}`, { key: ws.keys.owner }),
    );
    expect(older.events.map((e) => e.id)).toEqual(all.events.slice(5).map((e) => e.id));

    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await json<Page>(await t.request(`/audit?since=${future}`, { key: ws.keys.owner }))).toEqual({
      events: [],
      nextCursor: null,
    });
    const recent = await json<Page>(
      await t.request(`/audit?since=${encodeURIComponent(all.events[1]?.at ?? '')}&action=apikey.create`, {
        key: ws.keys.owner,
      }),
    );
    expect(recent.events.length).toBeGreaterThanOrEqual(2);

    const bad = await t.request('/audit?action=apikey.exploded', { key: ws.keys.owner });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: 'invalid_query',
        message: 'invalid request query',
        details: [{ path: 'action', message: 'unknown action apikey.exploded' }],
      },
    });
    expect((await t.request('/audit?since=yesterday', { key: ws.keys.owner })).status).toBe(400);
  });
});

describe('GET /apikeys', () => {
  it("shows each key's creator, and whether they are still around", async () => {
    const ws = await seedWorkspace(t);
    const admin = await join(ws, 'admin');
    const byAdmin = await json<{ id: string; key: string }>(
      await t.request('/apikeys', {
        method: 'POST',
        cookie: admin.cookie,
        json: { name: 'by admin', role: 'admin' },
      }),
    );
    const byKey = await json<{ id: string }>(
      await t.request('/apikeys', {
        method: 'POST',
        key: byAdmin.key,
        json: { name: 'by key', role: 'member' },
      }),
    );
    const byCli = await createApiKey(t.deps.db, {
      workspaceId: ws.workspace.id,
      name: 'by cli',
      role: 'member',
      createdBy: { kind: 'system', label: 'deskpulse apikey create' },
    });
    const creators = async () =>
      Object.fromEntries(
        (
          await json<{ apiKeys: { name: string; createdBy: unknown }[] }>(
            await t.request('/apikeys', { key: ws.keys.owner }),
          )
        ).apiKeys.map((k) => [k.name, k.createdBy]),
      );
    expect(await creators()).toMatchObject({
      'by admin': { kind: 'user', id: admin.userId, label: admin.email, isActive: true },
      'by key': { kind: 'api_key', id: byAdmin.id, label: `api key ${byAdmin.id}`, isActive: true },
      'by cli': { kind: 'system', id: null, label: 'deskpulse apikey create', isActive: true },
    });
    expect(byCli.apiKey.createdBy.kind).toBe('system');

    // The admin leaves and their key is revoked: the keys they made stay, marked as made by someone gone.
    expect(
      (await t.request(`/members/${admin.userId}`, { method: 'DELETE', key: ws.keys.owner })).status,
    ).toBe(204);
    expect((await t.request(`/apikeys/${byAdmin.id}`, { method: 'DELETE', key: ws.keys.owner })).status).toBe(
      204,
    );
    expect(await creators()).toMatchObject({
      'by admin': { kind: 'user', id: admin.userId, label: admin.email, isActive: false },
      'by key': { kind: 'api_key', id: byAdmin.id, isActive: false },
      'by cli': { isActive: true },
    });
    expect(byKey.id).toMatch(/^key_/);
  });
});
