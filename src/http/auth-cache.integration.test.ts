import { describe, expect, it } from 'vitest';
import { API_KEY_CACHE_TTL_MS, createApiKey } from '../domain/api-keys.ts';
import { seedWorkspace, signUp } from '../../test/helpers.ts';
import { twoApiProcesses } from '../../test/processes.ts';

/**
 * Authentication is cached per process (src/domain/api-keys.ts, src/http/authorize.ts); the promise is that a
 * revoked key, an ended session or a removed membership stops working within a second on every process. Two
 * processes here: this one (the test app) and a `deskpulse serve --no-worker` child on the same database. Each
 * check warms both caches first, changes access through one process, and expects the other to refuse one second
 * later (the process that made the change refuses at once).
 */
const WITHIN_MS = 1000;

const procs = twoApiProcesses();

const here = (p: string, init: { key?: string; cookie?: string; method?: string } = {}) =>
  procs.t.request(p, init).then((r) => r.status);
const there = (p: string, init: { key?: string; cookie?: string; method?: string } = {}) =>
  fetch(`${procs.base}${p}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
  }).then((r) => r.status);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('access changes reach every process within a second', () => {
  it('caches for less than the promise', () => {
    expect(API_KEY_CACHE_TTL_MS).toBeLessThan(WITHIN_MS);
  });

  it('a key revoked on one process stops working on the other', async () => {
    const { workspace, keys } = await seedWorkspace(procs.t);
    const mk = async () =>
      createApiKey(procs.t.deps.db, {
        workspaceId: workspace.id,
        name: 'script',
        role: 'member',
        createdBy: { kind: 'system', label: 'test' },
      });

    const first = await mk();
    expect([await here('/me', { key: first.secret }), await there('/me', { key: first.secret })]).toEqual([
      200, 200,
    ]);
    expect(await there(`/apikeys/${first.apiKey.id}`, { method: 'DELETE', key: keys.admin })).toBe(204);
    expect(await there('/me', { key: first.secret })).toBe(401);
    await sleep(WITHIN_MS);
    expect(await here('/me', { key: first.secret })).toBe(401);

    const second = await mk();
    expect([await here('/me', { key: second.secret }), await there('/me', { key: second.secret })]).toEqual([
      200, 200,
    ]);
    expect(await here(`/apikeys/${second.apiKey.id}`, { method: 'DELETE', key: keys.admin })).toBe(204);
    expect(await here('/me', { key: second.secret })).toBe(401);
    await sleep(WITHIN_MS);
    expect(await there('/me', { key: second.secret })).toBe(401);
  });

  it('a session signed out on one process ends on the other', async () => {
    const { cookie } = await signUp(procs.t);
    expect([await here('/me', { cookie }), await there('/me', { cookie })]).toEqual([200, 200]);
    expect(await there('/auth/sign-out', { method: 'POST', cookie })).toBe(204);
    expect(await there('/me', { cookie })).toBe(401);
    await sleep(WITHIN_MS);
    expect(await here('/me', { cookie })).toBe(401);
  });

  it('a teammate removed on one process loses the workspace on the other', async () => {
    const { keys } = await seedWorkspace(procs.t);
    const member = await signUp(procs.t);
    const invite = (await (
      await procs.t.request('/invites', { method: 'POST', key: keys.admin, json: { role: 'member' } })
    ).json()) as { token: string };
    const accepted = await procs.t.request('/invites/accept', {
      method: 'POST',
      cookie: member.cookie,
      json: { token: invite.token },
    });
    expect(accepted.status).toBe(200);
    expect([
      await here('/members', { cookie: member.cookie }),
      await there('/members', { cookie: member.cookie }),
    ]).toEqual([200, 200]);
    expect(await there(`/members/${member.userId}`, { method: 'DELETE', key: keys.admin })).toBe(204);
    expect(await there('/members', { cookie: member.cookie })).toBe(404);
    await sleep(WITHIN_MS);
    expect(await here('/members', { cookie: member.cookie })).toBe(404);
  });
});
