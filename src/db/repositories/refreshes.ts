import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import type { ProviderId, RefreshErrorCode, RefreshState } from '../schema.ts';

export interface Refresh {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  state: RefreshState;
  requestedBy: string;
  historyWeeks: number;
  progressDone: number;
  progressTotal: number | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCode: RefreshErrorCode | null;
  errorDetail: string | null;
  trigger: 'manual' | 'schedule';
  slot: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  providerCalls: number;
  rateLimitedCalls: number;
  /** The running attempt's last sign of life (src/domain/metrics.ts). */
  heartbeatAt: Date | null;
}

type Row = {
  id: string;
  workspace_id: string;
  provider: ProviderId;
  state: RefreshState;
  requested_by: string;
  history_weeks: number;
  progress_done: number;
  progress_total: number | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error_code: RefreshErrorCode | null;
  error_detail: string | null;
  trigger: 'manual' | 'schedule';
  slot: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  provider_calls: number;
  rate_limited_calls: number;
  heartbeat_at: Date | null;
  job_id: string | null;
};

const toRefresh = (r: Row): Refresh => ({
  id: r.id,
  workspaceId: r.workspace_id,
  provider: r.provider,
  state: r.state,
  requestedBy: r.requested_by,
  historyWeeks: r.history_weeks,
  progressDone: r.progress_done,
  progressTotal: r.progress_total,
  queuedAt: r.queued_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  errorCode: r.error_code,
  errorDetail: r.error_detail,
  trigger: r.trigger,
  slot: r.slot,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  providerCalls: r.provider_calls,
  rateLimitedCalls: r.rate_limited_calls,
  heartbeatAt: r.heartbeat_at,
});

/**
 * How many weeks a refresh computes: `backfillWeeks` until the connection's source (the helpdesk account it
 * measures now) has weekly history, then only the last one. The one rule for manual and scheduled refreshes alike (the scheduler applies it to a whole batch).
 */
const historyWeeksFor = (
  workspaceId: RawBuilder<unknown>,
  provider: RawBuilder<unknown>,
  backfillWeeks: number,
) =>
  sql<number>`case when exists (
    select 1 from metric_snapshots s
    join metric_sources m on m.id = s.source_id and m.ended_at is null
    join helpdesk_connections c on c.id = m.connection_id
    where c.workspace_id = ${workspaceId} and c.provider = ${provider} and s.period like 'week:%'
  ) then 1 else ${backfillWeeks}::int end`;

export async function insertRefresh(
  db: Db,
  r: {
    id: string;
    workspaceId: string;
    provider: ProviderId;
    requestedBy: string;
    /** A number, or the backfill rule (historyWeeksFor). */
    historyWeeks: number | { backfillWeeks: number };
  },
): Promise<Refresh> {
  const row = await db
    .insertInto('metric_refreshes')
    .values({
      id: r.id,
      workspace_id: r.workspaceId,
      provider: r.provider,
      requested_by: r.requestedBy,
      history_weeks:
        typeof r.historyWeeks === 'number'
          ? r.historyWeeks
          : historyWeeksFor(
              sql`${r.workspaceId}`,
              sql`${r.provider}::provider_id`,
              r.historyWeeks.backfillWeeks,
            ),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRefresh(row);
}

/** The connection's newest refresh still queued, running or retrying, queued after `staleBefore`. */
export async function findInFlightRefresh(
  db: Db,
  workspaceId: string,
  provider: ProviderId,
  staleBefore: Date,
): Promise<Refresh | undefined> {
  const r = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .where('state', 'in', ['queued', 'running', 'retrying'])
    .where('queued_at', '>', staleBefore)
    .orderBy('queued_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && toRefresh(r);
}

/**
 * Whether the connection has had `limit` manual refreshes in the last `windowMinutes` (database clock), and if
 * so, in how many seconds the window has room again: when the `limit`-th newest of them leaves it.
 */
export async function manualRefreshRoom(
  db: Db,
  workspaceId: string,
  provider: ProviderId,
  limit: number,
  windowMinutes: number,
): Promise<{ full: false } | { full: true; count: number; retryAfterSeconds: number }> {
  const window = sql`make_interval(mins => ${windowMinutes}::int)`;
  const rows = await db
    .selectFrom('metric_refreshes')
    .select([
      sql<number>`ceil(extract(epoch from (queued_at + ${window} - now())))::int`.as('retry_after'),
      sql<number>`(count(*) over ())::int`.as('count'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .where('trigger', '=', 'manual')
    .where('queued_at', '>', sql<Date>`now() - ${window}`)
    .orderBy('queued_at', 'desc')
    .offset(limit - 1)
    .limit(1)
    .execute();
  const r = rows[0];
  return r ? { full: true, count: r.count, retryAfterSeconds: Math.max(1, r.retry_after) } : { full: false };
}

export async function findRefresh(db: Db, id: string, workspaceId?: string): Promise<Refresh | undefined> {
  let q = db.selectFrom('metric_refreshes').selectAll().where('id', '=', id);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const r = await q.executeTakeFirst();
  return r && toRefresh(r);
}

/** `now() - seconds` on the database's clock, which every process shares (theirs may drift). */
const secondsAgo = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;
const lastSignOfLife = sql<Date>`coalesce(heartbeat_at, started_at)`;

/**
 * Starts an attempt, unless the refresh is finished or another attempt is alive: a refresh that is queued or
 * retrying starts; a running one only when nothing has heard from it for `deadAfterSeconds`. Its own pg-boss job
 * handed out again (the job's lease ran out) does not start it while its attempt still heartbeats: a refresh of a
 * large account may run longer than the lease, and a second attempt beside it would call the helpdesk twice and
 * restart it at every lease. Returns undefined when it does not start.
 */
export async function markRunning(
  db: Db,
  id: string,
  attempt: { jobId: string | null; deadAfterSeconds: number },
): Promise<Refresh | undefined> {
  const row = await db
    .updateTable('metric_refreshes')
    .set({
      state: 'running',
      started_at: new Date(),
      heartbeat_at: sql<Date>`now()`,
      job_id: attempt.jobId,
      progress_done: 0,
      finished_at: null,
      next_attempt_at: null,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['queued', 'retrying']),
        eb.and([eb('state', '=', 'running'), eb(lastSignOfLife, '<', secondsAgo(attempt.deadAfterSeconds))]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row && toRefresh(row);
}

/**
 * The running attempt's heartbeat, with its latest progress when it has some. Only the attempt that runs the
 * refresh now writes (a worker presumed dead that was not has been superseded and writes nothing).
 */
export async function recordHeartbeat(
  db: Db,
  id: string,
  attempt: number,
  progress?: { done: number; total: number | null },
): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({
      heartbeat_at: sql<Date>`now()`,
      ...(progress ? { progress_done: progress.done, progress_total: progress.total } : {}),
    })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('state', '=', 'running')
    .execute();
}

export interface AttemptCounts {
  providerCalls: number;
  rateLimitedCalls: number;
}

/** An attempt failed with a retryable code: visible as `retrying` until `retryAt`. */
export async function markRetrying(
  db: Db,
  id: string,
  r: { errorCode: RefreshErrorCode; errorDetail: string; retryAt: Date } & AttemptCounts,
): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: 'retrying',
      error_code: r.errorCode,
      error_detail: r.errorDetail,
      next_attempt_at: r.retryAt,
      provider_calls: sql<number>`provider_calls + ${r.providerCalls}`,
      rate_limited_calls: sql<number>`rate_limited_calls + ${r.rateLimitedCalls}`,
    })
    .where('id', '=', id)
    .execute();
}

/** Locks the refresh row for the final write; a zombie attempt finding it already finished writes nothing. */
export async function lockRefresh(db: Db, id: string): Promise<Refresh | undefined> {
  const r = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r && toRefresh(r);
}

export async function finishRefresh(
  db: Db,
  id: string,
  outcome: ({ state: 'succeeded' } | { state: 'failed'; errorCode: RefreshErrorCode; errorDetail: string }) &
    Partial<AttemptCounts>,
): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: outcome.state,
      finished_at: new Date(),
      next_attempt_at: null,
      provider_calls: sql<number>`provider_calls + ${outcome.providerCalls ?? 0}`,
      rate_limited_calls: sql<number>`rate_limited_calls + ${outcome.rateLimitedCalls ?? 0}`,
      ...(outcome.state === 'failed'
        ? { error_code: outcome.errorCode, error_detail: outcome.errorDetail }
        : { error_code: null, error_detail: null }),
    })
    .where('id', '=', id)
    .execute();
}

export interface ScheduledRefresh {
  id: string;
  connectionId: string;
  workspaceId: string;
  provider: ProviderId;
  slot: Date;
}

/**
 * One refresh row per (connection, slot); a slot already taken (another scheduler, a restart) is skipped by the
 * unique index, and so is a connection whose previous refresh has not finished yet (no pile-up behind a slow
 * helpdesk). The first refresh of a connection backfills `backfillWeeks`. Returns the ids inserted.
 */
export async function insertScheduledRefreshes(
  db: Db,
  rows: ScheduledRefresh[],
  options: { backfillWeeks: number; staleBefore: Date },
): Promise<string[]> {
  if (rows.length === 0) return [];
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}, ${r.workspaceId}, ${r.provider}::provider_id, ${r.slot.toISOString()}::timestamptz)`,
    ),
  );
  const result = await sql<{ id: string }>`
    insert into metric_refreshes (id, workspace_id, provider, requested_by, history_weeks, trigger, slot)
    select v.id, v.workspace_id, v.provider, 'schedule',
      ${historyWeeksFor(sql.ref('v.workspace_id'), sql.ref('v.provider'), options.backfillWeeks)},
      'schedule', v.slot
    from (values ${values}) as v(id, workspace_id, provider, slot)
    where not exists (
      select 1 from metric_refreshes r
      where r.workspace_id = v.workspace_id and r.provider = v.provider
        and r.state in ('queued', 'running', 'retrying') and r.queued_at > ${options.staleBefore}
    )
    on conflict (workspace_id, provider, slot) where slot is not null do nothing
    returning id`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Running refreshes nothing has heard from for `deadAfterSeconds`: their worker was killed or lost its database. */
export async function listLostRefreshes(db: Db, deadAfterSeconds: number, limit: number): Promise<Refresh[]> {
  const rows = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('state', '=', 'running')
    .where(lastSignOfLife, '<', secondsAgo(deadAfterSeconds))
    .limit(limit)
    .execute();
  return rows.map(toRefresh);
}

/**
 * Retries that never started: their job was due long ago (`before`) and no worker took it (a job lost with its
 * pg-boss archive, say). The scheduler fails them so they stop blocking their connection's schedule.
 */
export async function listAbandonedRefreshes(db: Db, before: Date, limit: number): Promise<Refresh[]> {
  const rows = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('state', '=', 'retrying')
    .where(sql<Date>`coalesce(next_attempt_at, started_at)`, '<', before)
    .limit(limit)
    .execute();
  return rows.map(toRefresh);
}

export async function deleteFinishedBefore(db: Db, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('metric_refreshes')
    .where('state', 'in', ['succeeded', 'failed'])
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
