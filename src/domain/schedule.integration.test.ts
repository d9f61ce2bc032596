import { createServer } from 'node:http';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import * as webhookRepo from '../db/repositories/webhooks.ts';
import type { ProviderId } from '../providers/types.ts';
import {
  createTestApp,
  seedTokenConnections,
  seedWorkspace,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
  snapshotsOf,
} from '../../test/helpers.ts';
import { touchIdleConnections } from './connections/index.ts';
import { requestRefresh, runRefresh, type Refresh } from './metrics.ts';
import { pruneHistory, scheduleDue } from './schedule.ts';

/** Issue 6: per-connection intervals, the retry policy by error code, degraded back-off, needs_reauth. */
let helpdesks: TestHelpdesks;
let t: TestApp;
const DAY = 86_400_000;
const MINUTE = 60_000;

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 4, conversations: 60, now: Date.now() }),
    apiTokens: Array.from({ length: 14 }, (_, i) => ({ token: `sched-token-${i}` })),
  }));
  t = await createTestApp(
    {
      ...helpdesks.env,
      DESKPULSE_RETRY_BASE_SECONDS: '0.05',
      DESKPULSE_RETRY_MAX_SECONDS: '0.2',
      DESKPULSE_DEGRADED_AFTER_DAYS: '3',
    },
    { worker: true },
  );
}, 60_000);
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

const schedulerDeps = () => ({
  db: t.deps.db,
  jobs: t.deps.jobs,
  config: t.deps.config,
  logger: t.deps.logger,
});
const connectionsDeps = () => ({ ...t.deps, resolve: t.deps.resolveProvider });

async function refreshNow(workspaceId: string, provider: 'front' | 'intercom'): Promise<Refresh> {
  const r = (
    await requestRefresh(
      connectionsDeps(),
      { workspaceId, provider, actor: { kind: 'system', label: 'test' } },
      { queue: t.deps.jobs },
    )
  ).refresh;
  let final: Refresh | undefined;
  await waitFor(
    'the refresh to finish',
    async () => {
      final = await refreshes.findRefresh(t.deps.db, r.id);
      return final?.state === 'succeeded' || final?.state === 'failed';
    },
    30_000,
  );
  if (!final) throw new Error('no refresh');
  return final;
}

/** Waits until no refresh of the workspace is queued, running or retrying. */
const settledIn = (workspaceId: string) =>
  waitFor("the workspace's refreshes to finish", async () => {
    const open = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('state', 'in', ['queued', 'running', 'retrying'])
      .execute();
    return open.length === 0;
  });

const connectionRow = (id: string) =>
  t.deps.db.selectFrom('helpdesk_connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditActions = async (workspaceId: string) =>
  (
    await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute()
  ).map((a) => `${a.action}:${a.outcome}`);

describe('per-connection refresh interval', () => {
  it('PATCH /integrations/connections bounds the interval by the helpdesk and reschedules', async () => {
    const { keys, workspace } = await seedWorkspace(t, 'Interval');
    await t.request('/integrations/front/token', {
      method: 'POST',
      key: keys.admin,
      json: { apiToken: 'sched-token-0' },
    });
    const patch = (body: unknown, provider = 'front', key = keys.admin) =>
      t.request(`/integrations/connections?provider=${provider}`, { method: 'PATCH', key, json: body });

    const tooOften = await patch({ refreshIntervalMinutes: 10 });
    expect(tooOften.status).toBe(400);
    const error = ((await tooOften.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_body');
    expect(error.message).toMatch(/between 15 and 1440/);
    expect((await patch({ refreshIntervalMinutes: 1441 })).status).toBe(400);
    expect((await patch({ refreshIntervalMinutes: 30.5 })).status).toBe(400);
    expect((await patch({ refreshIntervalMinutes: 30, extra: 1 })).status).toBe(400);
    expect((await patch({ refreshIntervalMinutes: 30 }, 'zendesk')).status).toBe(404);
    expect((await patch({ refreshIntervalMinutes: 30 }, 'front', keys.member)).status).toBe(403);

    const ok = await patch({ refreshIntervalMinutes: 30 });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { schedule: Record<string, unknown> };
    expect(body.schedule).toMatchObject({
      refreshIntervalMinutes: 30,
      effectiveIntervalMinutes: 30,
      minIntervalMinutes: 15,
      failingSince: null,
      consecutiveFailures: 0,
    });
    const list = (await (await t.request('/integrations/connections', { key: keys.member })).json()) as {
      connections: { schedule: { refreshIntervalMinutes: number | null } }[];
    };
    expect(list.connections[0]?.schedule.refreshIntervalMinutes).toBe(30);

    // Two slots an interval apart inside one hour → two scheduled refreshes for this connection.
    const settled = () => settledIn(workspace.id);
    const start = Date.now();
    await scheduleDue(schedulerDeps(), new Date(start));
    await settled();
    await scheduleDue(schedulerDeps(), new Date(start + 30 * MINUTE));
    await scheduleDue(schedulerDeps(), new Date(start + 31 * MINUTE));
    await settled();
    const rows = await t.deps.db
      .selectFrom('metric_refreshes')
      .select(['slot', 'state'])
      .where('workspace_id', '=', workspace.id)
      .where('trigger', '=', 'schedule')
      .orderBy('slot')
      .execute();
    expect(rows.map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
    expect((rows[1]?.slot?.getTime() ?? 0) - (rows[0]?.slot?.getTime() ?? 0)).toBe(30 * MINUTE);

    const reset = await patch({ refreshIntervalMinutes: null });
    expect(((await reset.json()) as { schedule: Record<string, unknown> }).schedule).toMatchObject({
      refreshIntervalMinutes: null,
      effectiveIntervalMinutes: 60,
    });
    expect(await auditActions(workspace.id)).toContain('connection.schedule:ok');
  });
});

describe('retry policy by error code', () => {
  it('retries upstream_unavailable with backoff and succeeds on a later attempt', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-1' }]);
    if (!c) throw new Error('no connection');
    helpdesks.emulators.front.knobs.failDataNext = 2;
    const done = await refreshNow(c.workspaceId, 'front');
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'succeeded', attempts: 3, errorCode: null });
    expect(done.rateLimitedCalls).toBe(0);
    expect(done.providerCalls).toBeGreaterThan(2);
    expect((await connectionRow(c.connectionId)).last_refresh_status).toBe('ok');
  });

  it('never retries unauthorized: one attempt, needs_reauth, and the schedule skips the connection', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'revoked-or-unknown-token' }]);
    if (!c) throw new Error('no connection');
    const done = await refreshNow(c.workspaceId, 'intercom');
    expect(done).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'unauthorized' });
    // A failed refresh is a warning, with its code.
    const logged = await waitFor('the failure to be logged', async () =>
      t.logs
        .map((l) => JSON.parse(l) as { msg: string; refreshId?: string })
        .find((l) => l.refreshId === done.id && l.msg === 'metrics refresh failed'),
    );
    expect(logged).toMatchObject({ level: 'warn', errorCode: 'unauthorized', provider: 'intercom' });
    const row = await connectionRow(c.connectionId);
    expect(row.status).toBe('needs_reauth');
    expect(await auditActions(c.workspaceId)).toContain('connection.refresh_failed:needs_reauth');
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ next_refresh_at: new Date(0) })
      .where('id', '=', c.connectionId)
      .execute();
    await scheduleDue(schedulerDeps(), new Date());
    const scheduled = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', c.workspaceId)
      .where('trigger', '=', 'schedule')
      .execute();
    expect(scheduled).toEqual([]);
  });

  it('fails unexpected_response visibly without retrying', async () => {
    // A helpdesk answering in a shape its spec does not allow (schema drift).
    const drift = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'conversation.list', conversations: 'not a list' }));
    });
    await new Promise<void>((r) => drift.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(drift.address() as AddressInfo).port}`;
    try {
      const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'sched-token-4' }]);
      if (!c) throw new Error('no connection');
      const deps = {
        ...connectionsDeps(),
        resolve: (id: ProviderId) => {
          const r = t.deps.resolveProvider(id);
          return {
            ...r,
            settings: { ...r.settings, endpoints: () => ({ ...r.settings.endpoints({}), apiBaseUrl: url }) },
          };
        },
      };
      const r = (
        await requestRefresh(deps, {
          workspaceId: c.workspaceId,
          provider: 'intercom',
          actor: { kind: 'system', label: 'test' },
        })
      ).refresh;
      const done = await runRefresh(deps, r.id);
      expect(done).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'unexpected_response' });
      expect(done.errorDetail).toMatch(/unexpected response shape/);
      const row = await connectionRow(c.connectionId);
      expect(row).toMatchObject({
        status: 'ok',
        last_refresh_status: 'unexpected_response',
        consecutive_failures: 1,
      });
      expect(row.last_error).toMatch(/refresh failed: unexpected response shape/);
    } finally {
      drift.close();
    }
  });
});

describe('abandoned refreshes', () => {
  it('fails a refresh whose last attempt lost its worker (worker_lost) and frees its connection for the next slot', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-11' }]);
    if (!c) throw new Error('no connection');
    const hoursAgo = new Date(Date.now() - 5 * 3_600_000);
    await t.deps.db
      .insertInto('metric_refreshes')
      .values({
        id: 'ref_00000000000000abandon',
        workspace_id: c.workspaceId,
        provider: 'front',
        requested_by: 'schedule',
        history_weeks: 12,
        state: 'running',
        trigger: 'schedule',
        slot: hoursAgo,
        attempts: 5,
        queued_at: hoursAgo,
        started_at: hoursAgo,
      })
      .execute();
    // Only this connection is due (the other tests' connections stay out of this tick).
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ next_refresh_at: new Date(Date.now() + DAY) })
      .where('id', '<>', c.connectionId)
      .execute();
    await scheduleDue(schedulerDeps(), new Date());
    const lost = await refreshes.findRefresh(t.deps.db, 'ref_00000000000000abandon');
    expect(lost).toMatchObject({ state: 'failed', errorCode: 'worker_lost' });
    const row = await connectionRow(c.connectionId);
    expect(row.consecutive_failures).toBe(1);
    // The same tick scheduled the connection's current slot: the lost refresh no longer blocks it.
    const scheduled = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('state')
      .where('workspace_id', '=', c.workspaceId)
      .where('id', '<>', 'ref_00000000000000abandon')
      .execute();
    expect(scheduled).toHaveLength(1);
    await settledIn(c.workspaceId);
  });
});

describe('lost refreshes (no heartbeat)', () => {
  const HOUR = 3_600_000;
  const insertRunning = async (
    c: { workspaceId: string },
    id: string,
    r: { heartbeatAt: Date; jobId?: string; attempts?: number },
  ) =>
    t.deps.db
      .insertInto('metric_refreshes')
      .values({
        id,
        workspace_id: c.workspaceId,
        provider: 'front',
        requested_by: 'test',
        history_weeks: 12,
        state: 'running',
        attempts: r.attempts ?? 1,
        queued_at: new Date(Date.now() - HOUR),
        started_at: new Date(Date.now() - HOUR),
        heartbeat_at: r.heartbeatAt,
        job_id: r.jobId ?? null,
      })
      .execute();
  /** Only `connectionId` is due: the other tests' connections stay out of the tick. */
  const onlyDue = (connectionId: string) =>
    t.deps.db
      .updateTable('helpdesk_connections')
      .set({ next_refresh_at: new Date(Date.now() + DAY) })
      .where('id', '<>', connectionId)
      .execute();

  it('queues a refresh silent for the heartbeat timeout again, well inside its lease, and it finishes once', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-12' }]);
    if (!c) throw new Error('no connection');
    // Silent for 10 minutes: past the 2-minute heartbeat timeout, far inside three 30-minute leases.
    const id = 'ref_0000000000000000a5e1';
    await insertRunning(c, id, { heartbeatAt: new Date(Date.now() - 10 * MINUTE) });
    await onlyDue(c.connectionId);
    await scheduleDue(schedulerDeps(), new Date());
    expect(t.logs.some((l) => l.includes('refresh lost its worker: queued again') && l.includes(id))).toBe(
      true,
    );
    await settledIn(c.workspaceId);
    expect(await refreshes.findRefresh(t.deps.db, id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    // The connection's slot was not taken by a second refresh meanwhile, and its history is written once.
    const rows = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', c.workspaceId)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([id]);
    const periods = await snapshotsOf(t, c.workspaceId);
    expect(periods).toHaveLength(13);
    expect(new Set(periods.map((p) => p.period)).size).toBe(13);
  });

  it('leaves a refresh with a live heartbeat alone, however long it has run', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-13' }]);
    if (!c) throw new Error('no connection');
    const id = 'ref_0000000000000000bea7';
    await insertRunning(c, id, { heartbeatAt: new Date() });
    await onlyDue(c.connectionId);
    await scheduleDue(schedulerDeps(), new Date());
    expect(await refreshes.findRefresh(t.deps.db, id)).toMatchObject({ state: 'running', attempts: 1 });
    await t.deps.db.deleteFrom('metric_refreshes').where('id', '=', id).execute();
  });

  it('starts an attempt of a running refresh only once it is silent, its own job handed out again included', async () => {
    const { workspace } = await seedWorkspace(t, 'Heartbeat');
    const c = { workspaceId: workspace.id };
    const id = 'ref_0000000000000000c0b5';
    await insertRunning(c, id, { heartbeatAt: new Date(), jobId: 'job-a' });
    const start = (jobId: string | null) =>
      refreshes.markRunning(t.deps.db, id, { jobId, deadAfterSeconds: 120 });
    // Another job (a duplicate) finds a live attempt: it does not start one.
    expect(await start('job-b')).toBeUndefined();
    expect(await start(null)).toBeUndefined();
    // pg-boss hands the attempt's own job out again (its lease ran out) while the attempt heartbeats: a refresh
    // longer than the lease runs on alone.
    expect(await start('job-a')).toBeUndefined();
    // Silent past the timeout: any job takes it over.
    await t.deps.db
      .updateTable('metric_refreshes')
      .set({ heartbeat_at: new Date(Date.now() - 3 * MINUTE) })
      .where('id', '=', id)
      .execute();
    expect(await start('job-c')).toMatchObject({ state: 'running', attempts: 2 });
    // A heartbeat of a superseded attempt writes nothing.
    await refreshes.recordHeartbeat(t.deps.db, id, 1, { done: 99, total: 100 });
    expect(await refreshes.findRefresh(t.deps.db, id)).toMatchObject({ attempts: 2, progressDone: 0 });
    await refreshes.recordHeartbeat(t.deps.db, id, 2, { done: 7, total: 100 });
    expect(await refreshes.findRefresh(t.deps.db, id)).toMatchObject({ progressDone: 7, progressTotal: 100 });
    await t.deps.db.deleteFrom('metric_refreshes').where('id', '=', id).execute();
  });
});

describe('rate limits', () => {
  it('waits out a 429 storm inside the refresh and finishes, never drawing more than a few 429s each', async () => {
    const emulator = helpdesks.emulators.intercom;
    const saved = emulator.knobs.rateLimit;
    emulator.knobs.rateLimit = { limit: 3, windowMs: 1500 };
    const before = { ...emulator.stats };
    try {
      const fleet = await seedTokenConnections(
        t,
        [5, 6, 7, 8].map((i) => ({ provider: 'intercom' as const, token: `sched-token-${i}` })),
      );
      const requested = await Promise.all(
        fleet.map((c) =>
          requestRefresh(connectionsDeps(), {
            workspaceId: c.workspaceId,
            provider: 'intercom',
            actor: { kind: 'system', label: 'test' },
          }).then((r) => r.refresh),
        ),
      );
      // Spend the account's budget for this window, then start four refreshes at once: a storm.
      for (let i = 0; i < 3; i++) {
        await fetch(`${helpdesks.urls.intercom}/admins`, {
          headers: { authorization: 'Bearer sched-token-5' },
        });
      }
      const done = await Promise.all(requested.map((r) => runRefresh(connectionsDeps(), r.id)));
      expect(done.map((r) => r.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expect(done.every((r) => r.attempts === 1)).toBe(true);
      const limited = emulator.stats.rateLimited - before.rateLimited;
      const calls = emulator.stats.dataRequests - before.dataRequests;
      expect(limited).toBeGreaterThanOrEqual(4);
      // Every 429 is recorded on its refresh, and each refresh waited for the reset instead of hammering.
      expect(done.reduce((n, r) => n + r.rateLimitedCalls, 0)).toBe(limited);
      expect(limited).toBeLessThan(calls / 2);
    } finally {
      emulator.knobs.rateLimit = saved;
    }
  });

  it('puts a refresh back on the queue until the reset when the helpdesk asks for a long wait', async () => {
    const emulator = helpdesks.emulators.intercom;
    const saved = emulator.knobs.rateLimit;
    // One call per ten minutes: the second call's 429 asks for a wait longer than a refresh holds a worker.
    emulator.knobs.rateLimit = { limit: 1, windowMs: 10 * MINUTE };
    try {
      const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'sched-token-9' }]);
      if (!c) throw new Error('no connection');
      const r = (
        await requestRefresh(
          connectionsDeps(),
          { workspaceId: c.workspaceId, provider: 'intercom', actor: { kind: 'system', label: 'test' } },
          { queue: t.deps.jobs },
        )
      ).refresh;
      let retrying: Refresh | undefined;
      await waitFor('the refresh to wait for the reset', async () => {
        retrying = await refreshes.findRefresh(t.deps.db, r.id);
        return retrying?.state === 'retrying';
      });
      expect(retrying).toMatchObject({ attempts: 1, errorCode: 'rate_limited', rateLimitedCalls: 1 });
      const wait = (retrying?.nextAttemptAt?.getTime() ?? 0) - Date.now();
      expect(wait).toBeGreaterThan(5 * MINUTE);
      expect(wait).toBeLessThan(11 * MINUTE);
      // The retry is a queued job that starts after the reset, not a worker sleeping on it.
      const job = await sql<{ start_after: Date; state: string }>`
        select start_after, state from pgboss.job
        where name = 'metrics-refresh' and data->>'refreshId' = ${r.id} and state = 'created'`.execute(
        t.deps.db,
      );
      expect(job.rows).toHaveLength(1);
      expect(
        Math.abs((job.rows[0]?.start_after.getTime() ?? 0) - (retrying?.nextAttemptAt?.getTime() ?? 0)),
      ).toBeLessThan(1000);
    } finally {
      emulator.knobs.rateLimit = saved;
    }
  });
});

describe('idle touch (token sweep)', () => {
  it('verifies connections idle for 24 hours and marks a revoked one needs_reauth', async () => {
    const [alive, revoked] = await seedTokenConnections(t, [
      { provider: 'intercom', token: 'sched-token-10' },
      { provider: 'intercom', token: 'token-the-helpdesk-revoked' },
    ]);
    if (!alive || !revoked) throw new Error('no connections');
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ connected_at: twoDaysAgo })
      .where('id', 'in', [alive.connectionId, revoked.connectionId])
      .execute();
    const identityCalls = helpdesks.emulators.intercom.stats.identityRequests;
    const result = await touchIdleConnections(connectionsDeps());
    expect(result.checked).toBeGreaterThanOrEqual(2);
    expect(helpdesks.emulators.intercom.stats.identityRequests - identityCalls).toBeGreaterThanOrEqual(2);
    const [a, r] = await Promise.all([
      connectionRow(alive.connectionId),
      connectionRow(revoked.connectionId),
    ]);
    expect(a.status).toBe('ok');
    expect(a.touched_at?.getTime()).toBeGreaterThan(Date.now() - MINUTE);
    expect(r.status).toBe('needs_reauth');
    expect(r.last_error).toMatch(/^idle check failed: /);
    expect(await auditActions(revoked.workspaceId)).toContain('connection.refresh_failed:needs_reauth');
    // Touched connections are not idle any more: the next sweep leaves them alone.
    const again = await touchIdleConnections(connectionsDeps());
    expect(again.checked).toBe(0);
  });
});

describe('retention', () => {
  it('prunes finished refreshes and deliveries older than 30 days, and nothing pending', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-11' }]);
    if (!c) throw new Error('no connection');
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const refresh = (id: string, state: 'succeeded' | 'failed' | 'queued', days: number) => ({
      id,
      workspace_id: c.workspaceId,
      provider: 'front' as const,
      requested_by: 'test',
      history_weeks: 1,
      state,
      queued_at: ago(days),
      finished_at: state === 'queued' ? null : ago(days),
    });
    await t.deps.db
      .insertInto('metric_refreshes')
      .values([
        refresh('ref_0000000000000000old1', 'succeeded', 40),
        refresh('ref_0000000000000000old2', 'failed', 31),
        refresh('ref_0000000000000000new1', 'succeeded', 10),
        refresh('ref_0000000000000000que1', 'queued', 40),
      ])
      .execute();
    await webhookRepo.insertEndpoint(t.deps.db, t.deps.keyring, {
      id: 'wh_retention000000000',
      workspaceId: c.workspaceId,
      url: 'https://hooks.example.com/x',
      events: ['refresh.failed'],
      secret: 'whsec_retention',
      createdByUserId: null,
    });
    const delivery = (id: string, days: number) => ({
      id,
      endpointId: 'wh_retention000000000',
      workspaceId: c.workspaceId,
      eventId: `evt_${id}`,
      eventType: 'refresh.failed',
      body: '{}',
      createdAt: ago(days),
    });
    await webhookRepo.insertDeliveries(t.deps.db, [
      delivery('whd_old_delivered', 45),
      delivery('whd_old_pending', 45),
      delivery('whd_new_delivered', 2),
    ]);
    await t.deps.db
      .updateTable('webhook_deliveries')
      .set({ state: 'succeeded', next_attempt_at: null, delivered_at: new Date() })
      .where('id', 'in', ['whd_old_delivered', 'whd_new_delivered'])
      .execute();

    const pruned = await pruneHistory(t.deps.db, new Date());
    expect(pruned.refreshes).toBeGreaterThanOrEqual(2);
    expect(pruned.deliveries).toBe(1);
    const refreshesLeft = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', c.workspaceId)
      .orderBy('id')
      .execute();
    expect(refreshesLeft.map((r) => r.id)).toEqual(['ref_0000000000000000new1', 'ref_0000000000000000que1']);
    const deliveriesLeft = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('workspace_id', '=', c.workspaceId)
      .orderBy('id')
      .execute();
    expect(deliveriesLeft.map((d) => d.id)).toEqual(['whd_new_delivered', 'whd_old_pending']);
  });
});

describe('degraded connections', () => {
  it('become degraded after N failed days, back off to daily, and recover on the next success', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'front', token: 'sched-token-3' }]);
    if (!c) throw new Error('no connection');
    // Failing since four days ago (N = 3).
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({
        failing_since: new Date(Date.now() - 4 * DAY),
        consecutive_failures: 90,
        last_refresh_status: 'upstream_unavailable',
      })
      .where('id', '=', c.connectionId)
      .execute();
    helpdesks.emulators.front.knobs.failDataNext = 1000;
    const failed = await refreshNow(c.workspaceId, 'front');
    helpdesks.emulators.front.knobs.failDataNext = 0;
    expect(failed).toMatchObject({ state: 'failed', attempts: 5, errorCode: 'upstream_unavailable' });
    const degraded = await connectionRow(c.connectionId);
    expect(degraded.status).toBe('degraded');
    expect(degraded.consecutive_failures).toBe(91);
    expect(degraded.next_refresh_at.getTime()).toBeGreaterThan(Date.now() + DAY - 5 * MINUTE);
    expect(await auditActions(c.workspaceId)).toContain('connection.degraded:degraded');

    // The hourly tick leaves it alone; a day later it is tried again, on a daily slot.
    await scheduleDue(schedulerDeps(), new Date(Date.now() + 2 * 3_600_000));
    const hourly = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', c.workspaceId)
      .where('trigger', '=', 'schedule')
      .execute();
    expect(hourly).toEqual([]);

    const recovered = await refreshNow(c.workspaceId, 'front');
    expect(recovered.state).toBe('succeeded');
    const row = await connectionRow(c.connectionId);
    expect(row).toMatchObject({
      status: 'ok',
      failing_since: null,
      consecutive_failures: 0,
      last_refresh_status: 'ok',
    });
    expect(await auditActions(c.workspaceId)).toContain('connection.recovered:ok');
    // Back on the hourly schedule at once, not a day away.
    expect(row.next_refresh_at.getTime()).toBeLessThanOrEqual(Date.now() + 60 * MINUTE);
  });
});
