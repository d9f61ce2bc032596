import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as refreshes from '../db/repositories/refreshes.ts';
import { insertTokenConnections } from '../db/repositories/connections/index.ts';
import { newId } from '../domain/ids.ts';
import { scheduleDue } from '../domain/schedule.ts';
import { createTestApp, secondApiProcess, seedWorkspace, type TestApp } from '../../test/helpers.ts';

/**
 * `POST /integrations/:p/refresh` as scripts use it: repeated and concurrent requests, across two API processes
 * (two apps with their own pools on one database), never queue more than one refresh of a connection; new manual
 * refreshes stop at the configured limit with 429 and Retry-After. No worker runs here, so a queued refresh stays
 * queued until the test finishes it.
 */
let t: TestApp;
let other: ReturnType<typeof secondApiProcess>;

beforeAll(async () => {
  t = await createTestApp(
    { DESKPULSE_MANUAL_REFRESH_LIMIT: '3', DESKPULSE_MANUAL_REFRESH_WINDOW_MINUTES: '60' },
    { worker: false },
  );
  other = secondApiProcess(t);
}, 60_000);
afterAll(async () => {
  await other.close();
  await t.close();
});

/** A workspace with a Front connection (stored directly: no helpdesk is called here). */
async function connected() {
  const seeded = await seedWorkspace(t);
  await insertTokenConnections(t.deps.db, t.deps.keyring, [
    {
      id: newId('con'),
      workspaceId: seeded.workspace.id,
      provider: 'front',
      params: {},
      account: { id: `acct-${seeded.workspace.id}`, name: 'Front account' },
      accessToken: 'refresh-requests-token',
    },
  ]);
  return seeded;
}

/** What the scheduler writes for the connection's current slot: a scheduled refresh, queued. */
async function scheduleNow(workspaceId: string): Promise<string> {
  const connection = await t.deps.db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const [id] = await refreshes.insertScheduledRefreshes(
    t.deps.db,
    [{ id: newId('ref'), connectionId: connection.id, workspaceId, provider: 'front', slot: new Date() }],
    { backfillWeeks: 12, staleBefore: new Date(Date.now() - 86_400_000) },
  );
  if (!id) throw new Error('no scheduled refresh inserted');
  return id;
}

function post(app: { request: typeof t.app.request }, key: string) {
  return app.request('/integrations/front/refresh', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
}

const refreshRows = (workspaceId: string) =>
  t.deps.db
    .selectFrom('metric_refreshes')
    .select(['id', 'state', 'trigger'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('queued_at')
    .execute();

const jobsFor = async (ids: string[]) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from pgboss.job
      where name = 'metrics-refresh' and data->>'refreshId' = any(${ids})`.execute(t.deps.db)
  ).rows[0]?.n;

describe('one refresh in flight per connection', () => {
  it('answers three concurrent requests on two API processes with one refresh and one job', async () => {
    const { workspace, keys } = await connected();
    const answers = await Promise.all([
      post(t.app, keys.admin),
      post(other.app, keys.owner),
      post(t.app, keys.admin),
    ]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { refreshId: string }[];
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    const ids = new Set(bodies.map((b) => b.refreshId));
    expect(ids.size).toBe(1);
    const rows = await refreshRows(workspace.id);
    expect(rows).toEqual([{ id: [...ids][0], state: 'queued', trigger: 'manual' }]);
    expect(await jobsFor([...ids])).toBe(1);
  });

  it('answers the refresh in flight while it runs or retries, whoever started it, and queues anew once it ends', async () => {
    const { workspace, keys } = await connected();
    const first = (await (await post(t.app, keys.admin)).json()) as { refreshId: string };
    await refreshes.markRunning(t.deps.db, first.refreshId, { jobId: null, deadAfterSeconds: 120 });
    const running = await post(other.app, keys.admin);
    expect(running.status).toBe(200);
    expect(await running.json()).toEqual(first);
    await refreshes.markRetrying(t.deps.db, first.refreshId, {
      errorCode: 'upstream_unavailable',
      errorDetail: 'down',
      retryAt: new Date(Date.now() + 60_000),
      providerCalls: 1,
      rateLimitedCalls: 0,
    });
    expect(await (await post(t.app, keys.admin)).json()).toEqual(first);
    await refreshes.finishRefresh(t.deps.db, first.refreshId, { state: 'succeeded' });

    // A scheduled refresh holds the connection's place just the same.
    const scheduled = await scheduleNow(workspace.id);
    const during = await post(t.app, keys.admin);
    expect(during.status).toBe(200);
    expect(await during.json()).toEqual({ refreshId: scheduled });
    await refreshes.finishRefresh(t.deps.db, scheduled, { state: 'succeeded' });

    const next = await post(t.app, keys.admin);
    expect(next.status).toBe(202);
    const { refreshId } = (await next.json()) as { refreshId: string };
    expect(refreshId).not.toBe(first.refreshId);
    expect((await refreshRows(workspace.id)).map((r) => r.trigger)).toEqual(['manual', 'schedule', 'manual']);
  });
});

describe('a manual refresh and the schedule', () => {
  const nextRefreshAt = async (workspaceId: string) =>
    (
      await t.deps.db
        .selectFrom('helpdesk_connections')
        .select('next_refresh_at')
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).next_refresh_at;

  it('takes the place of the scheduled refresh that is due, and leaves a later slot alone', async () => {
    const { workspace, keys } = await connected();
    // A new connection is due at once: the scheduler would refresh it within the minute.
    expect((await nextRefreshAt(workspace.id)).getTime()).toBeLessThanOrEqual(Date.now());
    const before = Date.now();
    const first = (await (await post(t.app, keys.admin)).json()) as { refreshId: string };
    const moved = (await nextRefreshAt(workspace.id)).getTime();
    expect(moved).toBeGreaterThanOrEqual(before + 59 * 60_000);
    expect(moved).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
    // So the scheduler's tick right after queues nothing for it.
    expect(await scheduleDue({ ...t.deps, jobs: t.deps.jobs }, new Date())).toEqual({ scheduled: 0 });
    await refreshes.finishRefresh(t.deps.db, first.refreshId, { state: 'succeeded' });

    // A slot not due yet stays where it is.
    const later = new Date(Date.now() + 30 * 60_000);
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ next_refresh_at: later })
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect((await post(t.app, keys.admin)).status).toBe(202);
    expect((await nextRefreshAt(workspace.id)).getTime()).toBe(later.getTime());
  });
});

describe('manual refresh limit', () => {
  it('refuses a new manual refresh past the limit with 429 and Retry-After, and still answers one in flight', async () => {
    const { workspace, keys } = await connected();
    for (let i = 0; i < 3; i++) {
      const res = await post(i % 2 ? other.app : t.app, keys.admin);
      expect(res.status).toBe(202);
      const { refreshId } = (await res.json()) as { refreshId: string };
      await refreshes.finishRefresh(t.deps.db, refreshId, { state: 'succeeded' });
    }
    for (const app of [t.app, other.app]) {
      const refused = await post(app, keys.admin);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      // The oldest of the three leaves the hour's window first: within the hour, and not before a minute from now.
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await refused.json()).toEqual({
        error: {
          code: 'rate_limited',
          message: `front was refreshed by hand 3 times in the last 60 minutes, the most allowed; try again in ${retryAfter} s (its scheduled refreshes go on)`,
        },
      });
    }
    expect(await refreshRows(workspace.id)).toHaveLength(3);

    // Scheduled refreshes do not count, and one in flight is answered whatever the count.
    const scheduled = await scheduleNow(workspace.id);
    const during = await post(t.app, keys.admin);
    expect(during.status).toBe(200);
    expect(await during.json()).toEqual({ refreshId: scheduled });

    // Once the oldest manual refresh is outside the window, there is room for one more.
    await refreshes.finishRefresh(t.deps.db, scheduled, { state: 'succeeded' });
    const [oldest] = await refreshRows(workspace.id);
    await sql`update metric_refreshes set queued_at = now() - interval '61 minutes' where id = ${oldest?.id ?? ''}`.execute(
      t.deps.db,
    );
    expect((await post(t.app, keys.admin)).status).toBe(202);
    expect((await post(t.app, keys.admin)).status).toBe(200);
  });

  it('counts per connection', async () => {
    const a = await connected();
    const b = await connected();
    for (let i = 0; i < 3; i++) {
      const { refreshId } = (await (await post(t.app, a.keys.admin)).json()) as { refreshId: string };
      await refreshes.finishRefresh(t.deps.db, refreshId, { state: 'succeeded' });
    }
    expect((await post(t.app, a.keys.admin)).status).toBe(429);
    expect((await post(t.app, b.keys.admin)).status).toBe(202);
  });
});
