import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Db } from '../client.ts';
import type { ConnectionStatus, ProviderId, RefreshState } from '../schema.ts';

/**
 * Fleet-wide counts read at scrape time (`/metrics/prometheus`, the worker's `/metrics`), so every process
 * answers the same numbers. Each is one grouped count over a small, indexed-or-tiny table.
 */

/** Every pg-boss 10 job state, so a gauge series exists (at 0) before the first job reaches it. */
export const JOB_STATES = Object.keys({
  created: true,
  retry: true,
  active: true,
  completed: true,
  cancelled: true,
  failed: true,
} satisfies Record<keyof PgBoss.JobStates, true>);

export const CONNECTION_STATUSES = Object.keys({
  ok: true,
  needs_reauth: true,
  degraded: true,
} satisfies Record<ConnectionStatus, true>) as ConnectionStatus[];

export const REFRESH_STATES = Object.keys({
  queued: true,
  running: true,
  retrying: true,
  succeeded: true,
  failed: true,
} satisfies Record<RefreshState, true>) as RefreshState[];

export interface JobCount {
  queue: string;
  state: string;
  count: number;
}

/**
 * pg-boss 10 keeps live and recently finished jobs in `pgboss.job` (finished ones move to `pgboss.archive`
 * after its retention). The schema is created by pg-boss when it starts, so a scrape that comes first sees none.
 */
export async function countJobsByQueueAndState(db: Db): Promise<JobCount[]> {
  const exists = await sql<{ present: boolean }>`
    select to_regclass('pgboss.job') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  const { rows } = await sql<{ queue: string; state: string; count: string }>`
    select name as queue, state::text as state, count(*) as count
    from pgboss.job
    group by name, state`.execute(db);
  return rows.map((r) => ({ queue: r.queue, state: r.state, count: Number(r.count) }));
}

export interface ConnectionCount {
  provider: ProviderId;
  status: ConnectionStatus;
  count: number;
}

export async function countConnectionsByProviderAndStatus(db: Db): Promise<ConnectionCount[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['provider', 'status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(['provider', 'status'])
    .execute();
  return rows.map((r) => ({ provider: r.provider, status: r.status, count: Number(r.count) }));
}

export interface RefreshCount {
  provider: ProviderId;
  state: RefreshState;
  count: number;
}

/**
 * Refreshes requested in the last 24 hours, by provider and state. Bounded (index on queued_at) because the
 * refresh log holds 30 days: at 10,000 hourly connections a full count would scan millions of rows per scrape.
 */
export async function countRefreshesByProviderAndState(db: Db, now = new Date()): Promise<RefreshCount[]> {
  const rows = await db
    .selectFrom('metric_refreshes')
    .select(['provider', 'state', (eb) => eb.fn.countAll<string>().as('count')])
    .where('queued_at', '>', new Date(now.getTime() - 24 * 3_600_000))
    .groupBy(['provider', 'state'])
    .execute();
  return rows.map((r) => ({ provider: r.provider, state: r.state, count: Number(r.count) }));
}
