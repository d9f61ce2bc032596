import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { scheduleDue } from '../domain/schedule.ts';
import {
  cliEnv,
  createTestApp,
  seedTokenConnections,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/**
 * Issue 6: three `deskpulse worker` processes and a scheduler over 200 connections for several hour slots →
 * every connection refreshed exactly once per slot, however many schedulers run the tick.
 */
const BIN = path.resolve('bin/deskpulse.js');
const CONNECTIONS = 200;
const HOUR = 3_600_000;

let helpdesks: TestHelpdesks;
let t: TestApp;
const children: ChildProcess[] = [];
let fleet: Awaited<ReturnType<typeof seedTokenConnections>>;

beforeAll(async () => {
  const dataset = generateDataset({ seed: 11, conversations: 40, now: Date.now() });
  const tokens = (p: string) =>
    Array.from({ length: CONNECTIONS / 2 }, (_, i) => ({ token: `fleet-${p}-token-${i}` }));
  helpdesks = await startHelpdesks((id) => ({
    dataset,
    apiTokens: id === 'intercom' || id === 'front' ? tokens(id) : [],
  }));
  // 200 connections share one emulated account per helpdesk here (each is its own account in real life), so
  // the helpdesks' documented limits would make this a rate-limit test; that one is below.
  helpdesks.emulators.intercom.knobs.rateLimit = null;
  helpdesks.emulators.front.knobs.rateLimit = null;
  t = await createTestApp(helpdesks.env, { worker: false });
  fleet = await seedTokenConnections(t, [
    ...tokens('intercom').map((x) => ({ provider: 'intercom' as const, token: x.token })),
    ...tokens('front').map((x) => ({ provider: 'front' as const, token: x.token })),
  ]);
  for (let i = 0; i < 3; i++) {
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: cliEnv(t, helpdesks, {
        LOG_LEVEL: 'warn',
        DESKPULSE_SCHEDULER: '0',
        DESKPULSE_WORKER_CONCURRENCY: '4',
      }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
  }
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t.close();
  await helpdesks.close();
});

const unfinished = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('metric_refreshes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('state', 'in', ['queued', 'running', 'retrying'])
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('fleet scheduling across worker processes', () => {
  it('refreshes every connection exactly once per hour slot, with three schedulers racing each tick', async () => {
    const deps = { db: t.deps.db, jobs: t.deps.jobs, config: t.deps.config, logger: t.deps.logger };
    const start = Date.now();
    for (let slot = 0; slot < 3; slot++) {
      const now = new Date(start + slot * HOUR);
      // Three schedulers tick at the same instant, then a restarted one ticks again: one refresh per connection.
      const ticks = await Promise.all([
        scheduleDue(deps, now),
        scheduleDue(deps, now),
        scheduleDue(deps, now),
      ]);
      const late = await scheduleDue(deps, now);
      expect(ticks.reduce((n, r) => n + r.scheduled, 0) + late.scheduled).toBe(CONNECTIONS);
      await waitFor(`slot ${slot} to finish`, async () => (await unfinished()) === 0, 90_000);
    }

    const rows = await t.deps.db
      .selectFrom('metric_refreshes')
      .select(['workspace_id', 'provider', 'slot', 'state', 'trigger', 'error_code'])
      .execute();
    expect(rows).toHaveLength(CONNECTIONS * 3);
    expect(rows.filter((r) => r.state !== 'succeeded')).toEqual([]);
    const perConnection = new Map<string, Set<number>>();
    for (const r of rows) {
      expect(r.trigger).toBe('schedule');
      const key = `${r.workspace_id}/${r.provider}`;
      const slots = perConnection.get(key) ?? new Set<number>();
      slots.add(r.slot?.getTime() ?? NaN);
      perConnection.set(key, slots);
    }
    expect(perConnection.size).toBe(CONNECTIONS);
    for (const [key, slots] of perConnection) {
      expect(slots.size, key).toBe(3);
      const [a, b, c] = [...slots].sort((x, y) => x - y);
      // Consecutive slots of one connection are one interval (an hour) apart.
      expect([(b ?? 0) - (a ?? 0), (c ?? 0) - (b ?? 0)], key).toEqual([HOUR, HOUR]);
    }
    // One snapshot per (connection, period): the current one and the 12 backfilled weeks, nothing doubled.
    const snapshots = await sql<{ workspace_id: string; provider: string; period: string; n: number }>`
      select workspace_id, provider, period, count(*)::int as n from metric_snapshots
      group by workspace_id, provider, period`.execute(t.deps.db);
    expect(snapshots.rows.every((r) => r.n === 1)).toBe(true);
    expect(snapshots.rows.filter((r) => r.period === 'current')).toHaveLength(CONNECTIONS);
    expect(snapshots.rows.filter((r) => r.period.startsWith('week:'))).toHaveLength(CONNECTIONS * 12);
    // Only the first refresh of each connection backfilled; later slots redo the last week.
    const weeks = await t.deps.db
      .selectFrom('metric_refreshes')
      .select(['history_weeks'])
      .where('slot', '>', new Date(start))
      .execute();
    expect(weeks.every((w) => w.history_weeks === 1)).toBe(true);
    // The connections' next slots moved past the last tick.
    const next = await t.deps.db.selectFrom('helpdesk_connections').select('next_refresh_at').execute();
    expect(next.every((c) => c.next_refresh_at.getTime() > start + 2 * HOUR)).toBe(true);
    expect(fleet).toHaveLength(CONNECTIONS);
  }, 300_000);
});
