import { sql } from 'kysely';
import type { MetricsSnapshot, MetricValues, StoredSnapshot } from '../../metrics/types.ts';
import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';
import { SOURCE_COLUMNS, toSource, type SourceRow } from './sources.ts';

/**
 * Writes a snapshot into its source: the current row and one row per completed week, all in the caller's
 * transaction so a failed refresh or import leaves the previous snapshot untouched.
 */
export async function writeSnapshot(
  db: Db,
  input: {
    workspaceId: string;
    sourceId: string;
    provider: ProviderId | null;
    refreshId: string | null;
    snapshot: MetricsSnapshot;
  },
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
      notes: JSON.stringify(s.notes ?? {}),
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
      notes: JSON.stringify(s.notes ?? {}),
      agents: null,
    })),
  ];
  const values = rows.map((r) => ({
    ...r,
    workspace_id: input.workspaceId,
    source_id: input.sourceId,
    provider: input.provider,
    refresh_id: input.refreshId,
  }));
  await db
    .insertInto('metric_snapshots')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['source_id', 'period']).doUpdateSet((eb) => ({
        measured_at: eb.ref('excluded.measured_at'),
        window_from: eb.ref('excluded.window_from'),
        window_to: eb.ref('excluded.window_to'),
        csat_from: eb.ref('excluded.csat_from'),
        metrics: eb.ref('excluded.metrics'),
        not_measured: eb.ref('excluded.not_measured'),
        notes: eb.ref('excluded.notes'),
        agents: eb.ref('excluded.agents'),
        refresh_id: eb.ref('excluded.refresh_id'),
      })),
    )
    .execute();
}

type Row = SourceRow & {
  period: string;
  measured_at: Date;
  window_from: Date | null;
  window_to: Date | null;
  csat_from: Date | null;
  metrics: Record<string, number | null>;
  not_measured: Record<string, string>;
  notes: Record<string, string>;
  agents: unknown[] | null;
};

const toStored = (r: Row): StoredSnapshot => ({
  source: toSource(r),
  period: r.period,
  measuredAt: r.measured_at,
  windowFrom: r.window_from,
  windowTo: r.window_to,
  csatFrom: r.csat_from,
  metrics: r.metrics as MetricValues,
  notMeasured: r.not_measured,
  notes: r.notes,
  agents: r.agents as StoredSnapshot['agents'],
});

const joined = (db: Db, workspaceId: string) =>
  db
    .selectFrom('metric_snapshots')
    .innerJoin('metric_sources', 'metric_sources.id', 'metric_snapshots.source_id')
    .select([
      ...SOURCE_COLUMNS,
      'metric_snapshots.period',
      'metric_snapshots.measured_at',
      'metric_snapshots.window_from',
      'metric_snapshots.window_to',
      'metric_snapshots.csat_from',
      'metric_snapshots.metrics',
      'metric_snapshots.not_measured',
      'metric_snapshots.notes',
      'metric_snapshots.agents',
    ])
    .where('metric_snapshots.workspace_id', '=', workspaceId);

/**
 * Sources still measuring come first (connections, then imports, by helpdesk), ended ones after them, newest
 * ending first: the order every read lists sources in.
 */
const SOURCE_ORDER = sql`metric_sources.ended_at desc nulls first, metric_sources.kind,
  metric_sources.provider, metric_sources.created_at`;

export async function listCurrentSnapshots(db: Db, workspaceId: string): Promise<StoredSnapshot[]> {
  const q = joined(db, workspaceId).where('metric_snapshots.period', '=', 'current').orderBy(SOURCE_ORDER);
  return (await q.execute()).map(toStored);
}

export async function listWeeklySnapshots(
  db: Db,
  workspaceId: string,
  since: string,
): Promise<StoredSnapshot[]> {
  const q = joined(db, workspaceId)
    .where('metric_snapshots.period', '>=', `week:${since}`)
    .where('metric_snapshots.period', 'like', 'week:%')
    .orderBy(SOURCE_ORDER)
    .orderBy('metric_snapshots.period');
  return (await q.execute()).map(toStored);
}
