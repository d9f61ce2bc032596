import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import type { DatabaseHealth } from '../db/health.ts';
import { pendingMigrations } from '../db/migrate.ts';

/** The database handle every layer above the domain passes along without touching its tables. */
export type { Db } from '../db/client.ts';
export type { DatabaseHealth } from '../db/health.ts';
export { isDatabaseUnavailable } from '../db/health.ts';

/**
 * Why the process should be restarted (`/healthz` fails): the database has not answered for longer than
 * `unhealthyAfterSeconds`. A shorter outage is one the embedded supervisor, or the database's own failover,
 * is expected to heal; until then the API answers 503 and `/readyz` fails, but the process is alive.
 */
export function livenessProblem(
  health: DatabaseHealth,
  unhealthyAfterSeconds: number,
  now = Date.now(),
): string | null {
  if (!health.unreachableSince) return null;
  const seconds = (now - health.unreachableSince.getTime()) / 1000;
  if (seconds <= unhealthyAfterSeconds) return null;
  return `database unreachable for ${Math.floor(seconds)} s (limit ${unhealthyAfterSeconds} s)`;
}

/** Why the service is not ready: the database does not answer, or a migration is still pending. */
export async function notReadyReason(db: Db): Promise<string | null> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return 'database unreachable';
  }
  const pending = await pendingMigrations(db);
  return pending.length > 0 ? `migrations pending: ${pending.join(', ')}` : null;
}

/** Fleet state for the Prometheus gauges, read from Postgres at scrape time. */
export {
  CONNECTION_STATUSES,
  countConnectionsByProviderAndStatus,
  countJobsByQueueAndState,
  countRefreshesByProviderAndState,
  JOB_STATES,
  REFRESH_STATES,
} from '../db/repositories/fleet-stats.ts';
