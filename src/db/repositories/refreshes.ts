import type { Db } from '../client.ts';
import type { ProviderId, RefreshState } from '../schema.ts';

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
  errorCode: string | null;
  errorDetail: string | null;
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
  error_code: string | null;
  error_detail: string | null;
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
});

export async function insertRefresh(
  db: Db,
  r: { id: string; workspaceId: string; provider: ProviderId; requestedBy: string; historyWeeks: number },
): Promise<Refresh> {
  const row = await db
    .insertInto('metric_refreshes')
    .values({
      id: r.id,
      workspace_id: r.workspaceId,
      provider: r.provider,
      requested_by: r.requestedBy,
      history_weeks: r.historyWeeks,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRefresh(row);
}

export async function findRefresh(db: Db, id: string, workspaceId?: string): Promise<Refresh | undefined> {
  let q = db.selectFrom('metric_refreshes').selectAll().where('id', '=', id);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const r = await q.executeTakeFirst();
  return r && toRefresh(r);
}

export async function markRunning(db: Db, id: string): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: 'running',
      started_at: new Date(),
      progress_done: 0,
      finished_at: null,
      error_code: null,
      error_detail: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function updateProgress(db: Db, id: string, done: number, total: number | null): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({ progress_done: done, progress_total: total })
    .where('id', '=', id)
    .execute();
}

export async function finishRefresh(
  db: Db,
  id: string,
  outcome: { state: 'succeeded' } | { state: 'failed'; errorCode: string; errorDetail: string },
): Promise<void> {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: outcome.state,
      finished_at: new Date(),
      ...(outcome.state === 'failed'
        ? { error_code: outcome.errorCode, error_detail: outcome.errorDetail }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}
