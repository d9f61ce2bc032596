import type { AgentMetrics, MetricsSnapshot, MetricValues, NotMeasured } from '../../metrics/types.ts';
import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';

export interface StoredSnapshot {
  provider: ProviderId;
  period: string;
  measuredAt: Date;
  windowFrom: Date | null;
  windowTo: Date | null;
  csatFrom: Date | null;
  metrics: MetricValues;
  notMeasured: NotMeasured;
  agents: AgentMetrics[] | null;
}

/**
 * Writes a refresh's result: the current row and one row per completed week, all in the caller's transaction so
 * a failed refresh leaves the previous snapshot untouched.
 */
export async function writeSnapshot(
  db: Db,
  input: { workspaceId: string; provider: ProviderId; refreshId: string; snapshot: MetricsSnapshot },
): Promise<void> {
  const s = input.snapshot;
  const rows = [
    {
      period: 'current',
      measured_at: new Date(s.measuredAt),
      window_from: new Date(s.window.from),
      window_to: new Date(s.window.to),
      csat_from: new Date(s.window.csatFrom),
      metrics: JSON.stringify(s.current),
      not_measured: JSON.stringify(s.notMeasured),
      agents: JSON.stringify(s.agents),
    },
    ...s.weeks.map((w) => ({
      period: `week:${w.weekStart}`,
      measured_at: new Date(s.measuredAt),
      // A week is named by its Monday in the workspace's timezone; the label is its window.
      window_from: null,
      window_to: null,
      csat_from: null,
      metrics: JSON.stringify(w.values),
      not_measured: JSON.stringify(w.notMeasured),
      agents: null,
    })),
  ];
  for (const r of rows) {
    const values = {
      ...r,
      workspace_id: input.workspaceId,
      provider: input.provider,
      refresh_id: input.refreshId,
    };
    await db
      .insertInto('metric_snapshots')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'provider', 'period']).doUpdateSet({
          measured_at: values.measured_at,
          window_from: values.window_from,
          window_to: values.window_to,
          csat_from: values.csat_from,
          metrics: values.metrics,
          not_measured: values.not_measured,
          agents: values.agents,
          refresh_id: values.refresh_id,
        }),
      )
      .execute();
  }
}

const toStored = (r: {
  provider: ProviderId;
  period: string;
  measured_at: Date;
  window_from: Date | null;
  window_to: Date | null;
  csat_from: Date | null;
  metrics: Record<string, number | null>;
  not_measured: Record<string, string>;
  agents: unknown[] | null;
}): StoredSnapshot => ({
  provider: r.provider,
  period: r.period,
  measuredAt: r.measured_at,
  windowFrom: r.window_from,
  windowTo: r.window_to,
  csatFrom: r.csat_from,
  metrics: r.metrics as MetricValues,
  notMeasured: r.not_measured,
  agents: r.agents as AgentMetrics[] | null,
});

export async function listCurrentSnapshots(db: Db, workspaceId: string): Promise<StoredSnapshot[]> {
  const rows = await db
    .selectFrom('metric_snapshots')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('period', '=', 'current')
    .orderBy('provider')
    .execute();
  return rows.map(toStored);
}

export async function listWeeklySnapshots(
  db: Db,
  workspaceId: string,
  since: string,
): Promise<StoredSnapshot[]> {
  const rows = await db
    .selectFrom('metric_snapshots')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('period', '>=', `week:${since}`)
    .where('period', 'like', 'week:%')
    .orderBy('provider')
    .orderBy('period')
    .execute();
  return rows.map(toStored);
}
