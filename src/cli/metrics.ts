import { recordAudit } from '../domain/audit.ts';
import { toMetricsResponse, type MetricsResponse, type SourceDto } from '../contracts/metrics.ts';
import type { ConnectionsDeps } from '../domain/connections/index.ts';
import { findRefresh, requestRefresh, runRefresh, type Refresh } from '../domain/metrics.ts';
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

/** A refresh queued this long without a worker starting it is reported rather than waited for. */
const QUEUED_PATIENCE_MS = 30_000;

/**
 * Follows a refresh another process runs (the API's worker, another `deskpulse refresh`) to its end, with the
 * progress it records. One that waits for a later retry, or that no worker starts, is reported instead.
 */
async function followRefresh(
  deps: ConnectionsDeps,
  first: Refresh,
  onProgress: (done: number, total: number) => void,
): Promise<Refresh> {
  const since = Date.now();
  for (let r: Refresh | undefined = first; ; r = await findRefresh(deps.db, first.id)) {
    if (!r) throw new Error(`refresh ${first.id} disappeared`);
    if (r.state === 'succeeded' || r.state === 'failed') return r;
    if (r.state === 'retrying') {
      throw new AppError(
        'conflict',
        `a refresh of ${r.provider} (${r.id}) is waiting to retry at ${r.nextAttemptAt?.toISOString() ?? 'a later time'} after ${r.errorCode}: a worker runs it then (GET /refreshes/${r.id})`,
      );
    }
    if (r.state === 'queued' && Date.now() - since > QUEUED_PATIENCE_MS) {
      throw new AppError(
        'conflict',
        `a refresh of ${r.provider} (${r.id}) has been queued for ${Math.round(QUEUED_PATIENCE_MS / 1000)} s and no worker has started it: it runs once \`deskpulse serve\` or \`deskpulse worker\` is up (GET /refreshes/${r.id})`,
      );
    }
    if (r.state === 'running') onProgress(r.progressDone, r.progressTotal ?? r.progressDone);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runRefreshCommand(
  ctx: CliContext,
  opts: { provider: ProviderId; workspace?: string; json?: boolean },
): Promise<void> {
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const actor = { kind: 'system' as const, label: 'deskpulse refresh (cli)' };
    const { refresh: requested, isNew } = await requestRefresh(deps, {
      workspaceId,
      provider: opts.provider,
      actor,
    });
    const bar = progress(`refreshing ${opts.provider}`);
    if (!isNew) {
      process.stderr.write(
        `a refresh of ${opts.provider} is already ${requested.state} (${requested.id}): following it\n`,
      );
    }
    const refresh = isNew
      ? await runRefresh(deps, requested.id, { onProgress: (p) => bar.update(p.done, p.total ?? p.done) })
      : await followRefresh(deps, requested, bar.update).finally(bar.stop);
    bar.stop();
    if (refresh.state !== 'succeeded') {
      // A refresh this command only followed was run, and its failure recorded, by whoever ran it.
      if (isNew) {
        await recordAudit(deps.db, {
          workspaceId,
          actor,
          action: 'connection.refresh_failed',
          provider: opts.provider,
          outcome: refresh.errorCode ?? 'failed',
          detail: refresh.errorDetail ?? '',
        });
      }
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
