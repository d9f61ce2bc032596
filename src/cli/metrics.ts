import { recordAudit } from '../domain/audit.ts';
import { toMetricsResponse, type MetricsResponse, type SourceDto } from '../contracts/metrics.ts';
import { requestRefresh, runRefresh } from '../domain/metrics.ts';
import { listCurrent } from '../domain/snapshots.ts';
import { AppError } from '../lib/app-error.ts';
import { METRIC_KEYS, type MetricValues, type NotMeasured } from '../metrics/types.ts';
import type { ProviderId } from '../providers/types.ts';
import { progress, withConnections } from './connections.ts';
import type { CliContext } from './context.ts';
import { resolveWorkspace } from './identity.ts';

const UNITS: Partial<Record<keyof MetricValues, (v: number) => string>> = {
  csat: (v) => `${v.toFixed(1)} %`,
  csatMeanScore: (v) => `${v.toFixed(2)} / 5`,
  firstResponseSeconds: (v) => formatDuration(v),
  firstResponseP90Seconds: (v) => formatDuration(v),
  backlogAgeDays: (v) => `${v} d`,
  oneTouchRate: (v) => `${v.toFixed(1)} %`,
  deflectionRate: (v) => `${v.toFixed(1)} %`,
};

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A two-column table a person reads; `null` shows as "—" with the reason, never as 0. */
export function formatMetricsTable(title: string, values: MetricValues, notMeasured: NotMeasured): string {
  const rows = METRIC_KEYS.map((k) => {
    const v = values[k];
    return [
      k,
      v === null ? '—' : (UNITS[k]?.(v) ?? String(v)),
      v === null ? (notMeasured[k] ?? 'not measured') : '',
    ];
  });
  const w0 = Math.max(...rows.map((r) => r[0]?.length ?? 0));
  const w1 = Math.max(...rows.map((r) => r[1]?.length ?? 0));
  const lines = rows.map(([a, b, c]) =>
    `  ${(a ?? '').padEnd(w0)}  ${(b ?? '').padStart(w1)}  ${c ?? ''}`.trimEnd(),
  );
  return `${title}\n${lines.join('\n')}\n`;
}

const sourceLine = (s: SourceDto) =>
  [
    s.account?.name ?? (s.kind === 'import' ? 'import' : null),
    s.sandbox ? 'sandbox demo data' : null,
    s.status === 'live' ? null : s.status.replace('_', ' '),
  ]
    .filter(Boolean)
    .join(' · ');

const tableOf = (row: MetricsResponse['providers'][number]) =>
  formatMetricsTable(
    `${row.provider ?? 'import'} — measured ${row.measuredAt}${sourceLine(row.source) ? ` (${sourceLine(row.source)})` : ''}`,
    row.metrics,
    row.notMeasured,
  );

export async function runRefreshCommand(
  ctx: CliContext,
  opts: { provider: ProviderId; workspace?: string; json?: boolean },
): Promise<void> {
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const actor = { kind: 'system' as const, label: 'deskpulse refresh (cli)' };
    const requested = await requestRefresh(deps, { workspaceId, provider: opts.provider, actor });
    const bar = progress(`refreshing ${opts.provider}`);
    const refresh = await runRefresh(deps, requested.id, {
      onProgress: (p) => bar.update(p.done, p.total ?? p.done),
    });
    bar.stop();
    if (refresh.state !== 'succeeded') {
      await recordAudit(deps.db, {
        workspaceId,
        actor,
        action: 'connection.refresh_failed',
        provider: opts.provider,
        outcome: refresh.errorCode ?? 'failed',
        detail: refresh.errorDetail ?? '',
      });
      throw new AppError(
        'upstream_error',
        `refresh failed (${refresh.errorCode}): ${refresh.errorDetail}; the previous metrics are kept`,
      );
    }
    const row = toMetricsResponse(await listCurrent(deps.db, workspaceId)).providers.find(
      (p) => p.provider === opts.provider && p.source.kind === 'connection' && p.source.status === 'live',
    );
    if (!row) throw new Error('refresh succeeded but wrote no snapshot');
    // The refreshed connection's row of GET /metrics.
    process.stdout.write(opts.json ? `${JSON.stringify(row, null, 2)}\n` : tableOf(row));
  });
}

export async function runMetricsCommand(
  ctx: CliContext,
  opts: { workspace?: string; json?: boolean },
): Promise<void> {
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const body = toMetricsResponse(await listCurrent(deps.db, workspaceId));
    // The body of GET /metrics, byte for byte the same JSON.
    if (opts.json) return void process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    if (body.providers.length === 0) {
      process.stdout.write(
        'no metrics yet: run `deskpulse refresh --provider <p>` or POST /integrations/<p>/refresh\n',
      );
      return;
    }
    process.stdout.write(body.providers.map(tableOf).join('\n'));
  });
}
