import { sql } from 'kysely';
import type { Db } from '../../client.ts';
import type { ConnectionStatus, LastErrorKind, RefreshStatus } from '../../schema.ts';

/** A token-refresh outcome (credentialFor): the status line only, not the metrics failure run. */
export async function recordRefreshOutcome(
  db: Db,
  id: string,
  outcome: {
    status?: ConnectionStatus;
    lastRefreshStatus: RefreshStatus;
    /** null clears the error (and its kind). */
    lastError: { message: string; kind: LastErrorKind } | null;
  },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(outcome.status ? { status: outcome.status } : {}),
      last_refresh_status: outcome.lastRefreshStatus,
      last_error: outcome.lastError?.message ?? null,
      last_error_kind: outcome.lastError?.kind ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A metrics refresh succeeded: the failure run ends, and a degraded connection is healthy again and back on its
 * own interval at once (its next slot was a day away).
 */
export async function recordRefreshSuccess(
  db: Db,
  id: string,
  at: Date,
  defaultIntervalMinutes: number,
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      status: sql<ConnectionStatus>`case when status = 'degraded' then 'ok' else status end`,
      next_refresh_at: sql<Date>`case when status = 'degraded'
        then least(next_refresh_at, ${at}::timestamptz + make_interval(mins => coalesce(refresh_interval_minutes, ${defaultIntervalMinutes}::int)))
        else next_refresh_at end`,
      last_refresh_status: 'ok',
      last_error: null,
      last_error_kind: null,
      last_refreshed_at: at,
      failing_since: null,
      consecutive_failures: 0,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A metrics refresh failed for good (no retry left). Extends the failure run; `status` is the new status the
 * domain decided (needs_reauth, degraded) and `nextRefreshAt` postpones the schedule (degraded: daily).
 */
export async function recordRefreshFailure(
  db: Db,
  id: string,
  f: {
    at: Date;
    lastRefreshStatus: RefreshStatus;
    lastError: string;
    status?: ConnectionStatus;
    nextRefreshAt?: Date;
  },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(f.status ? { status: f.status } : {}),
      ...(f.nextRefreshAt ? { next_refresh_at: f.nextRefreshAt } : {}),
      last_refresh_status: f.lastRefreshStatus,
      last_error: f.lastError,
      last_error_kind: 'metrics_refresh',
      failing_since: sql<Date>`coalesce(failing_since, ${f.at})`,
      consecutive_failures: sql<number>`consecutive_failures + 1`,
      updated_at: f.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function markTouched(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('helpdesk_connections').set({ touched_at: at }).where('id', '=', id).execute();
}
