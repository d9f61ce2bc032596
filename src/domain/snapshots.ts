import type { Db } from '../db/client.ts';
import * as snapshots from '../db/repositories/snapshots.ts';
import { findWorkspace } from '../db/repositories/workspaces.ts';
import { AppError } from '../lib/app-error.ts';
import type { MetricsSnapshot, SnapshotSource, StoredSnapshot } from '../metrics/types.ts';
import { completedWeeks } from '../metrics/weeks.ts';
import type { JobQueue } from './queue.ts';
import { publishEvent } from './webhooks.ts';

/** What produced a snapshot: a refresh of a connection, or an import of an export. */
export type SnapshotOrigin =
  | { kind: 'refresh'; refreshId: string; trigger: 'manual' | 'schedule' }
  | { kind: 'import'; importId: string; format: string };

/**
 * The one way a snapshot lands, for refreshes and imports alike: its rows — the rolling windows and every
 * completed week it carries — into its source, and the `metrics.updated` event, in the caller's transaction.
 * The caller writes its own bookkeeping (the refresh's outcome, the import's record) in the same transaction,
 * so a failure anywhere leaves the previous numbers untouched.
 */
export async function commitSnapshot(
  trx: Db,
  jobs: JobQueue | undefined,
  c: { workspaceId: string; source: SnapshotSource; snapshot: MetricsSnapshot; origin: SnapshotOrigin },
): Promise<void> {
  await snapshots.writeSnapshot(trx, {
    workspaceId: c.workspaceId,
    sourceId: c.source.id,
    provider: c.source.provider,
    refreshId: c.origin.kind === 'refresh' ? c.origin.refreshId : null,
    snapshot: c.snapshot,
  });
  const { kind: _kind, ...origin } = c.origin;
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'metrics.updated',
    data: {
      provider: c.source.provider,
      ...origin,
      source: { id: c.source.id, kind: c.source.kind, account: c.source.account },
      measuredAt: c.snapshot.measuredAt,
      current: c.snapshot.current,
      weeks: c.snapshot.weeks.map((w) => w.weekStart),
    },
  });
}

export const listCurrent = snapshots.listCurrentSnapshots;

/** The last `weeks` completed weeks (Monday–Sunday in the workspace's timezone) of every source. */
export async function listHistory(
  db: Db,
  workspaceId: string,
  weeks: number,
): Promise<{ timezone: string; rows: StoredSnapshot[] }> {
  const ws = await findWorkspace(db, workspaceId);
  if (!ws) throw new AppError('not_found', 'workspace not found');
  const first = completedWeeks(new Date(), ws.timezone, weeks)[0]?.label ?? '9999-12-31';
  return { timezone: ws.timezone, rows: await snapshots.listWeeklySnapshots(db, workspaceId, first) };
}
