import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import { requestRefresh } from '../domain/metrics.ts';
import {
  cliEnv,
  createTestApp,
  seedTokenConnections,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
  snapshotsOf,
} from '../../test/helpers.ts';
import { BIN } from '../../test/processes.ts';

/**
 * A worker killed with SIGKILL mid-refresh, under the default 30-minute lease: the refresh stops heartbeating, and
 * the minute tick of another worker queues it again once DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS has passed,
 * so it is retried within the timeout plus a minute, not the lease. Exactly one snapshot per period results.
 */
const HEARTBEAT_TIMEOUT_SECONDS = 3;

let helpdesks: TestHelpdesks;
let t: TestApp;
const children: ChildProcess[] = [];

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 23, conversations: 2000, now: Date.now() }),
    apiTokens: [{ token: 'heartbeat-intercom-token' }],
  }));
  // ~16 paged calls at 150 ms each: a refresh runs for a few seconds, long enough to be killed in the middle.
  helpdesks.emulators.intercom.knobs.latencyMs = 150;
  // The lease is the enqueuer's (this process): the default 30 minutes, far beyond this test.
  t = await createTestApp(helpdesks.env, { worker: false });
  expect(t.deps.config.jobs.leaseSeconds).toBe(1800);
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t.close();
  await helpdesks.close();
});

function worker(options: { scheduler: boolean }): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: cliEnv(t, helpdesks, {
      LOG_LEVEL: 'warn',
      DESKPULSE_SCHEDULER: options.scheduler ? '1' : '0',
      DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS: String(HEARTBEAT_TIMEOUT_SECONDS),
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

describe('a worker killed mid-refresh', () => {
  it('has its refresh retried within the heartbeat timeout plus a minute, whatever the lease', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'heartbeat-intercom-token' }]);
    if (!c) throw new Error('no connection');
    const { refresh } = await requestRefresh(
      { ...t.deps, resolve: t.deps.resolveProvider },
      { workspaceId: c.workspaceId, provider: 'intercom', actor: { kind: 'system', label: 'test' } },
      { queue: t.deps.jobs },
    );
    const first = worker({ scheduler: false });
    await waitFor(
      'the refresh to be under way',
      async () => ((await refreshes.findRefresh(t.deps.db, refresh.id))?.progressDone ?? 0) > 0,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = Date.now();
    const killed = await refreshes.findRefresh(t.deps.db, refresh.id);
    expect(killed).toMatchObject({ state: 'running', attempts: 1 });
    // The last sign of life the dead worker wrote: the retry may come no sooner than the timeout after it.
    const lastBeatAt = (killed?.heartbeatAt ?? killed?.startedAt)?.getTime() ?? killedAt;

    // Another worker, running the crons: its minute tick finds the silent refresh and queues it again.
    worker({ scheduler: true });
    const bound = (HEARTBEAT_TIMEOUT_SECONDS + 60 + 10) * 1000;
    await waitFor(
      'the refresh to be retried',
      async () => ((await refreshes.findRefresh(t.deps.db, refresh.id))?.attempts ?? 0) >= 2,
      bound,
      200,
    );
    const retriedAfterMs = Date.now() - killedAt;
    const retried = await refreshes.findRefresh(t.deps.db, refresh.id);
    expect((retried?.startedAt?.getTime() ?? 0) - lastBeatAt).toBeGreaterThanOrEqual(
      HEARTBEAT_TIMEOUT_SECONDS * 1000,
    );
    await waitFor(
      'the retried refresh to finish',
      async () => {
        const r = await refreshes.findRefresh(t.deps.db, refresh.id);
        return r?.state === 'succeeded' || r?.state === 'failed';
      },
      60_000,
    );
    const done = await refreshes.findRefresh(t.deps.db, refresh.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, errorCode: null });
    expect(done?.progressDone).toBe(done?.progressTotal);
    const rows = await snapshotsOf(t, c.workspaceId);
    const periods = rows.map((r) => r.period);
    expect(new Set(periods).size).toBe(periods.length);
    expect(periods).toHaveLength(13); // current + 12 backfilled weeks
    expect(rows.every((r) => r.refresh_id === refresh.id)).toBe(true);
    console.log(`kill -9 → retried after ${Math.round(retriedAfterMs / 100) / 10} s (lease: 1800 s)`);
  }, 180_000);
});
