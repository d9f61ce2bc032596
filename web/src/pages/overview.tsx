import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import type { ConnectionInfo } from '../../../src/contracts/integrations.ts';
import type {
  HistoryResponse,
  MetricsResponse,
  ProviderMetricsDto,
  WeekDto,
} from '../../../src/contracts/metrics.ts';
import { api } from '../api.ts';
import { Sparkline } from '../components/chart.tsx';
import { Empty, ErrorState, Loading, Notice } from '../components/states.tsx';
import { deltaOf, formatValue, METRICS, relative, type MetricMeta } from '../format.ts';
import { sourceLabel, SourcePicker } from './sources.tsx';

export function useMetrics() {
  return useQuery({ queryKey: ['metrics'], queryFn: () => api<MetricsResponse>('/metrics') });
}
export function useHistory() {
  return useQuery({
    queryKey: ['history'],
    queryFn: () => api<HistoryResponse>('/metrics/history?weeks=12'),
  });
}
export function useConnections() {
  return useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ connections: ConnectionInfo[] }>('/integrations/connections'),
  });
}

/** The source the page shows: `?source=` when it names one, else the first (live ones come first). */
export function useSelectedSource(rows: ProviderMetricsDto[] | undefined) {
  const params = new URLSearchParams(useSearch());
  const wanted = params.get('source');
  return rows?.find((r) => r.source.id === wanted) ?? rows?.[0];
}

/** Older than twice the refresh interval: the numbers stopped moving. */
function staleness(row: ProviderMetricsDto, connections: ConnectionInfo[]): string | null {
  if (row.source.status !== 'live') {
    return row.source.status === 'disconnected'
      ? 'disconnected: these numbers no longer update'
      : row.source.status === 'account_changed'
        ? 'the connection now measures another account'
        : row.source.status === 'superseded'
          ? 'a later import continued this one'
          : null;
  }
  if (row.source.kind !== 'connection') return null;
  const c = connections.find((x) => x.provider === row.provider);
  const minutes = c?.schedule.effectiveIntervalMinutes ?? 60;
  const age = Date.now() - new Date(row.measuredAt).getTime();
  return age > 2 * minutes * 60_000 ? `stale: older than twice the ${minutes}-minute refresh interval` : null;
}

function MetricCard({
  meta,
  row,
  weeks,
  stale,
}: {
  meta: MetricMeta;
  row: ProviderMetricsDto;
  weeks: WeekDto[];
  stale: string | null;
}) {
  const value = row.metrics[meta.key];
  const delta = value === null ? null : deltaOf(meta, weeks);
  const reason = row.notMeasured[meta.key];
  const note = row.notes[meta.key];
  const series = weeks.map((w) => w.metrics[meta.key]);
  const href = `/metrics/${meta.key}?source=${encodeURIComponent(row.source.id)}`;
  return (
    <li className="metric-card">
      <Link href={href} className="metric-link" aria-label={`${meta.label}: details and 12-week chart`}>
        <h3 className="metric-label">{meta.label}</h3>
        {value === null ? (
          <>
            <p className="metric-value metric-missing">Not measured</p>
            <p className="metric-reason">{reason ?? 'no data'}</p>
          </>
        ) : (
          <>
            <p className="metric-value">
              {formatValue(meta.unit, value)}
              {meta.key === 'csat' && row.metrics.csatResponses !== null && (
                <span className="metric-sub"> from {row.metrics.csatResponses} ratings</span>
              )}
            </p>
            {delta ? (
              <p className={`delta delta-${delta.tone}`}>
                <span aria-hidden="true">{delta.value > 0 ? '▲' : delta.value < 0 ? '▼' : '●'}</span>{' '}
                {delta.text} <span className="delta-against">{delta.against}</span>
              </p>
            ) : (
              <p className="delta delta-neutral">
                {meta.pointInTime ? 'right now' : 'no earlier week to compare'}
              </p>
            )}
          </>
        )}
        <p className="metric-window">{meta.window}</p>
        {!meta.pointInTime && series.some((v) => v !== null) && (
          <Sparkline values={series} label={`${meta.label} over the last ${series.length} weeks`} />
        )}
        {note && <p className="metric-note">Note: {note}</p>}
        <p className={`freshness${stale ? ' freshness-stale' : ''}`}>
          Measured {relative(row.measuredAt)} · {sourceLabel(row.source)}
          {stale && <> · {stale}</>}
        </p>
      </Link>
    </li>
  );
}

export function Overview() {
  const metrics = useMetrics();
  const history = useHistory();
  const connections = useConnections();
  const row = useSelectedSource(metrics.data?.providers);
  if (metrics.isPending) return <Loading what="your metrics" />;
  if (metrics.isError) return <ErrorState error={metrics.error} retry={() => void metrics.refetch()} />;
  if (!row) {
    return (
      <>
        <h1>Overview</h1>
        <Empty title="No numbers yet">
          <p>
            <Link href="/integrations">Connect a helpdesk</Link> or{' '}
            <Link href="/import">import an export</Link>, and the weekly numbers appear here.
          </p>
        </Empty>
      </>
    );
  }
  const weeks = (history.data?.weeks ?? []).filter((w) => w.source.id === row.source.id);
  const stale = staleness(row, connections.data?.connections ?? []);
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <SourcePicker rows={metrics.data.providers} selected={row} />
      </div>
      {row.source.sandbox && (
        <Notice tone="info">
          Demo data: these numbers come from the built-in emulator, not a real helpdesk.
        </Notice>
      )}
      {history.isError && (
        <Notice tone="warn">
          The weekly history could not be loaded: changes and sparklines are missing.
        </Notice>
      )}
      <ul className="metric-grid" aria-label="Metrics">
        {METRICS.map((meta) => (
          <MetricCard key={meta.key} meta={meta} row={row} weeks={weeks} stale={stale} />
        ))}
      </ul>
    </>
  );
}
