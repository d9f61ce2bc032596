import { sql } from 'kysely';
import type { Db } from '../../client.ts';
import type { ConnectionStatus, ProviderId } from '../../schema.ts';
import { COLUMNS, toConnection, type Connection } from './rows.ts';

export async function setRefreshInterval(
  db: Db,
  id: string,
  minutes: number | null,
  nextRefreshAt: Date,
): Promise<Connection> {
  const row = await db
    .updateTable('helpdesk_connections')
    .set({
      refresh_interval_minutes: minutes,
      next_refresh_at: sql<Date>`least(next_refresh_at, ${nextRefreshAt})`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toConnection(row);
}

/**
 * A manual refresh of a connection whose slot is due takes that slot's place: its next slot moves one interval on
 * (the scheduler realigns it to the connection's offset when it next claims it). A slot not yet due is left alone.
 */
export async function takeDueSlot(
  db: Db,
  id: string,
  now: Date,
  minutes: { defaultInterval: number; degradedInterval: number },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      next_refresh_at: sql<Date>`${now}::timestamptz + make_interval(mins => case when status = 'degraded'
        then ${minutes.degradedInterval}::int
        else coalesce(refresh_interval_minutes, ${minutes.defaultInterval}::int) end)`,
    })
    .where('id', '=', id)
    .where('next_refresh_at', '<=', now)
    .execute();
}

export interface DueConnection {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  status: ConnectionStatus;
  refreshIntervalMinutes: number | null;
}

/**
 * Claims connections whose next slot has started, inside the caller's transaction. SKIP LOCKED lets several
 * schedulers share the work; the caller moves `next_refresh_at` past `now` before committing.
 */
export async function claimDueConnections(db: Db, now: Date, limit: number): Promise<DueConnection[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['id', 'workspace_id', 'provider', 'status', 'refresh_interval_minutes'])
    .where('status', '<>', 'needs_reauth')
    .where('next_refresh_at', '<=', now)
    .orderBy('next_refresh_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    provider: r.provider,
    status: r.status,
    refreshIntervalMinutes: r.refresh_interval_minutes,
  }));
}

export async function setNextRefreshTimes(db: Db, next: { id: string; at: Date }[]): Promise<void> {
  if (next.length === 0) return;
  await sql`update helpdesk_connections c set next_refresh_at = v.at::timestamptz
    from (values ${sql.join(next.map((n) => sql`(${n.id}, ${n.at.toISOString()})`))}) as v(id, at)
    where c.id = v.id`.execute(db);
}

/** The last time anything called the helpdesk for a connection: a refresh, a token refresh or an idle check. */
const lastActivity = sql<Date>`greatest(connected_at, coalesce(last_refreshed_at, connected_at),
  coalesce(token_refreshed_at, connected_at), coalesce(touched_at, connected_at))`;

/** Connections nothing has called since `idleSince`, longest idle first: the sweep verifies them. */
export async function listIdleConnectionIds(db: Db, idleSince: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('status', '<>', 'needs_reauth')
    .where(lastActivity, '<', idleSince)
    .orderBy(lastActivity)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** OAuth connections whose access token expires before `before` and that can still be refreshed. */
export async function listExpiringConnectionIds(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('refresh_token_ct', 'is not', null)
    .where('status', '<>', 'needs_reauth')
    .where('access_token_expires_at', '<', before)
    .orderBy('access_token_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
