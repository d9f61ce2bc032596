import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import { requestRefresh } from '../domain/metrics.ts';
import {
  cliEnv,
  createTestApp,
  seedTokenConnections,
  snapshotsOf,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';
import { BIN } from '../../test/processes.ts';

/**
 * Issue 6, crash safety: a worker killed with SIGKILL mid-refresh. Its job is retried by another worker once the
 * lease expires, and exactly one snapshot per (connection, period) results — nothing doubled, nothing partial.
 */
const LEASE_SECONDS = '8';
const HEARTBEAT_TIMEOUT_SECONDS = '6';

let helpdesks: TestHelpdesks;
let t: TestApp;
const children: ChildProcess[] = [];

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 21, conversations: 2000, now: Date.now() }),
    apiTokens: [{ token: 'crash-intercom-token' }],
  }));
  // ~16 paged calls at 150 ms each: a refresh runs for a few seconds, long enough to be killed in the middle.
  helpdesks.emulators.intercom.knobs.latencyMs = 150;
  // The lease is part of the job, set by whoever enqueues it (this process).
  t = await createTestApp(
    { ...helpdesks.env, DESKPULSE_REFRESH_LEASE_SECONDS: LEASE_SECONDS },
    { worker: false },
  );
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t.close();
  await helpdesks.close();
});

function worker(): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: cliEnv(t, helpdesks, {
      LOG_LEVEL: 'warn',
      DESKPULSE_SCHEDULER: '0',
      DESKPULSE_JOB_MAINTENANCE_SECONDS: '1',
      // Shorter than the lease and pg-boss's retry delay after it (5–10 s): when its job is handed out again, a
      // killed worker's attempt is silent, a live one (beating every 1.5 s) is not.
      DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS: HEARTBEAT_TIMEOUT_SECONDS,
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

/** A seeded Intercom connection with a refresh queued for it. */
async function queueRefresh() {
  const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'crash-intercom-token' }]);
  if (!c) throw new Error('no connection');
  const refresh = (
    await requestRefresh(
      { ...t.deps, resolve: t.deps.resolveProvider },
      { workspaceId: c.workspaceId, provider: 'intercom', actor: { kind: 'system', label: 'test' } },
      { queue: t.deps.jobs },
    )
  ).refresh;
  return { c, refresh };
}

const underWay = (refreshId: string) =>
  waitFor(
    'the refresh to be under way',
    async () => ((await refreshes.findRefresh(t.deps.db, refreshId))?.progressDone ?? 0) > 0,
  );

describe('a worker killed mid-refresh', () => {
  it('is retried after its lease expires and leaves exactly one snapshot per period', async () => {
    const { c, refresh } = await queueRefresh();

    const first = worker();
    await underWay(refresh.id);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killed = await refreshes.findRefresh(t.deps.db, refresh.id);
    expect(killed?.state).toBe('running');
    expect(killed?.attempts).toBe(1);
    expect(await snapshotsOf(t, c.workspaceId)).toEqual([]);

    worker();
    await waitFor(
      'the retried refresh to finish',
      async () => {
        const r = await refreshes.findRefresh(t.deps.db, refresh.id);
        return r?.state === 'succeeded' || r?.state === 'failed';
      },
      60_000,
    );
    const done = await refreshes.findRefresh(t.deps.db, refresh.id);
    expect(done?.state).toBe('succeeded');
    expect(done?.attempts).toBe(2);
    const rows = await snapshotsOf(t, c.workspaceId);
    const periods = rows.map((r) => r.period);
    expect(new Set(periods).size).toBe(periods.length);
    expect(periods).toHaveLength(13); // current + 12 backfilled weeks
    expect(rows.every((r) => r.refresh_id === refresh.id)).toBe(true);
    const connection = await t.deps.db
      .selectFrom('helpdesk_connections')
      .select(['status', 'last_refresh_status', 'consecutive_failures'])
      .where('id', '=', c.connectionId)
      .executeTakeFirstOrThrow();
    expect(connection).toEqual({ status: 'ok', last_refresh_status: 'ok', consecutive_failures: 0 });
  }, 120_000);

  it('runs on alone past its lease while it heartbeats: its job handed out again does not start a second attempt', async () => {
    for (const old of children.splice(0)) old.kill('SIGKILL');
    // ~16 paged calls at 1.6 s: ~26 s, past the 8 s lease and pg-boss's retry of the expired job 5–10 s later.
    helpdesks.emulators.intercom.knobs.latencyMs = 1600;
    try {
      const { c, refresh } = await queueRefresh();
      worker();
      await underWay(refresh.id);
      const { job_id: jobId } = await t.deps.db
        .selectFrom('metric_refreshes')
        .select('job_id')
        .where('id', '=', refresh.id)
        .executeTakeFirstOrThrow();
      expect(jobId).toBeTruthy();
      // pg-boss expired the job, handed it out again, and the handler found the refresh alive and did nothing.
      await waitFor(
        'the expired job to be handed out again and let go',
        async () => {
          const { rows } = await sql<{ state: string; retry_count: number }>`
            select state, retry_count from pgboss.job where id = ${jobId}::uuid`.execute(t.deps.db);
          const r = await refreshes.findRefresh(t.deps.db, refresh.id);
          expect(r).toMatchObject({ state: 'running', attempts: 1 });
          return (rows[0]?.retry_count ?? 0) >= 1 && rows[0]?.state === 'completed';
        },
        40_000,
      );
      await waitFor(
        'the refresh to finish',
        async () => (await refreshes.findRefresh(t.deps.db, refresh.id))?.state !== 'running',
        60_000,
      );
      expect(await refreshes.findRefresh(t.deps.db, refresh.id)).toMatchObject({
        state: 'succeeded',
        attempts: 1,
      });
      expect(await snapshotsOf(t, c.workspaceId)).toHaveLength(13);
    } finally {
      helpdesks.emulators.intercom.knobs.latencyMs = 150;
    }
  }, 120_000);

  it('finishes its running refresh on SIGTERM before exiting', async () => {
    for (const old of children.splice(0)) old.kill('SIGKILL');
    const { refresh } = await queueRefresh();
    const child = worker();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await underWay(refresh.id);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Stopped taking work, but the refresh it held ran to the end in the same attempt.
    expect(await refreshes.findRefresh(t.deps.db, refresh.id)).toMatchObject({
      state: 'succeeded',
      attempts: 1,
    });
  }, 60_000);
});
