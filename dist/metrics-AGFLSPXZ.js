import { METRIC_KEYS, listCurrent, requestRefresh, runRefresh, toMetricsResponse } from './chunk-44WSAJAC.js';
import { resolveWorkspace } from './chunk-RJENAUR4.js';
import './chunk-WD5DCS6Y.js';
import './chunk-YP73SNSN.js';
import { progress, withConnections } from './chunk-IQ2SJ6FF.js';
import { recordAudit } from './chunk-6W4WS6LQ.js';
import './chunk-GBRXWDP4.js';
import './chunk-YPT27EPG.js';
import { AppError } from './chunk-KYBJ2MGV.js';
import './chunk-JFRFXCQY.js';
import './chunk-MAMGE6RR.js';

// src/cli/metrics.ts
var UNITS = {
  csat: (v) => `${v.toFixed(1)} %`,
  csatMeanScore: (v) => `${v.toFixed(2)} / 5`,
  firstResponseSeconds: (v) => formatDuration(v),
  firstResponseP90Seconds: (v) => formatDuration(v),
  backlogAgeDays: (v) => `${v} d`,
  oneTouchRate: (v) => `${v.toFixed(1)} %`,
  deflectionRate: (v) => `${v.toFixed(1)} %`,
};
function formatDuration(seconds) {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
function formatMetricsTable(title, values, notMeasured) {
  const rows = METRIC_KEYS.map((k) => {
    const v = values[k];
    return [
      k,
      v === null ? '\u2014' : (UNITS[k]?.(v) ?? String(v)),
      v === null ? (notMeasured[k] ?? 'not measured') : '',
    ];
  });
  const w0 = Math.max(...rows.map((r) => r[0]?.length ?? 0));
  const w1 = Math.max(...rows.map((r) => r[1]?.length ?? 0));
  const lines = rows.map(([a, b, c]) =>
    `  ${(a ?? '').padEnd(w0)}  ${(b ?? '').padStart(w1)}  ${c ?? ''}`.trimEnd(),
  );
  return `${title}
${lines.join('\n')}
`;
}
var sourceLine = (s) =>
  [
    s.account?.name ?? (s.kind === 'import' ? 'import' : null),
    s.sandbox ? 'sandbox demo data' : null,
    s.status === 'live' ? null : s.status.replace('_', ' '),
  ]
    .filter(Boolean)
    .join(' \xB7 ');
var tableOf = (row) =>
  formatMetricsTable(
    `${row.provider ?? 'import'} \u2014 measured ${row.measuredAt}${sourceLine(row.source) ? ` (${sourceLine(row.source)})` : ''}`,
    row.metrics,
    row.notMeasured,
  );
async function runRefreshCommand(ctx, opts) {
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const actor = { kind: 'system', label: 'deskpulse refresh (cli)' };
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
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(row, null, 2)}
`
        : tableOf(row),
    );
  });
}
async function runMetricsCommand(ctx, opts) {
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const body = toMetricsResponse(await listCurrent(deps.db, workspaceId));
    if (opts.json)
      return void process.stdout.write(`${JSON.stringify(body, null, 2)}
`);
    if (body.providers.length === 0) {
      process.stdout.write(
        'no metrics yet: run `deskpulse refresh --provider <p>` or POST /integrations/<p>/refresh\n',
      );
      return;
    }
    process.stdout.write(body.providers.map(tableOf).join('\n'));
  });
}
export { formatMetricsTable, runMetricsCommand, runRefreshCommand };
//# sourceMappingURL=metrics-AGFLSPXZ.js.map
