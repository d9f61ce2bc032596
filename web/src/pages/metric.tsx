import { Link } from 'wouter';
import { WeeklyChart } from '../components/chart.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { formatValue, metaOf, shortDate, weeklyWindow } from '../format.ts';
import { useHistory, useMetrics, useSelectedSource } from './overview.tsx';
import { sourceLabel } from './sources.tsx';

/** One metric: its 12 completed weeks as a chart and as a table. */
export default function Metric({ metricKey }: { metricKey: string }) {
  const meta = metaOf(metricKey);
  const metrics = useMetrics();
  const history = useHistory();
  const row = useSelectedSource(metrics.data?.providers);
  if (!meta) return <Empty title="No such metric" />;
  if (metrics.isPending || history.isPending) return <Loading what={meta.label} />;
  if (metrics.isError) return <ErrorState error={metrics.error} />;
  if (history.isError) return <ErrorState error={history.error} />;
  if (!row) return <Empty title="No numbers yet" />;
  const weeks = history.data.weeks.filter((w) => w.source.id === row.source.id);
  const format = (v: number) => formatValue(meta.unit, v);
  const gaps = weeks.some((w) => w.metrics[meta.key] === null);
  const never = weeks.length > 0 && weeks.every((w) => w.metrics[meta.key] === null);
  return (
    <>
      <p className="crumbs">
        <Link href={`/?source=${encodeURIComponent(row.source.id)}`}>Overview</Link> / {meta.label}
      </p>
      <h1>{meta.label}</h1>
      <p className="lede">
        {meta.pointInTime ? meta.window : weeklyWindow(meta)} · {sourceLabel(row.source)} · weeks run Monday
        to Sunday in {history.data.timezone}
      </p>
      {row.notes[meta.key] && <p className="metric-note">Note: {row.notes[meta.key]}</p>}
      {meta.pointInTime ? (
        <Empty title="A point-in-time metric">
          <p>
            {meta.label} describes the present (
            {row.metrics[meta.key] === null ? 'not measured' : format(row.metrics[meta.key] as number)}
            ): it has no weekly history.
          </p>
        </Empty>
      ) : weeks.length === 0 ? (
        <Empty title="No completed weeks yet">
          <p>The first refresh of a connection fills 12 weeks; an import fills the weeks its file covers.</p>
        </Empty>
      ) : never ? (
        <Empty title="Not measured">
          <p>
            {row.notMeasured[meta.key] ??
              weeks.find((w) => w.notMeasured[meta.key])?.notMeasured[meta.key] ??
              'No week of this source has a value for it.'}
          </p>
        </Empty>
      ) : (
        <>
          <WeeklyChart
            title={meta.label}
            labels={weeks.map((w) => shortDate(w.weekStart))}
            values={weeks.map((w) => w.metrics[meta.key])}
            format={format}
          />
          <table className="table">
            <caption>{meta.label}, week by week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" className="num">
                  {meta.label}
                </th>
                {gaps && <th scope="col">Why not measured</th>}
              </tr>
            </thead>
            <tbody>
              {[...weeks].reverse().map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row">{shortDate(w.weekStart)}</th>
                  <td className="num">
                    {w.metrics[meta.key] === null ? '—' : format(w.metrics[meta.key] as number)}
                  </td>
                  {gaps && <td>{w.metrics[meta.key] === null ? (w.notMeasured[meta.key] ?? '') : ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
