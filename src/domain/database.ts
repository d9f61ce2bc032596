import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { pendingMigrations } from '../db/migrate.ts';

/** The database handle every layer above the domain passes along without touching its tables. */
export type { Db } from '../db/client.ts';

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
