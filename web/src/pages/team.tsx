import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AgentsResponse } from '../../../src/contracts/metrics.ts';
import { compareAgents, type AgentSortKey } from '../agent-order.ts';
import { api } from '../api.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { TableScroll } from '../components/table.tsx';
import { csatBand, duration } from '../format.ts';
import { useMetrics, useSelectedSource } from './overview.tsx';
import { SourcePicker } from './sources.tsx';

const COLUMNS: { key: AgentSortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Agent', numeric: false },
  { key: 'tickets', label: 'Tickets (7 days)', numeric: true },
  { key: 'csat', label: 'CSAT (30 days)', numeric: true },
  { key: 'firstResponseSeconds', label: 'Median first response (7 days)', numeric: true },
];
/** Fewer ratings than this and a CSAT says little (flagged, as a small sample). */
const SMALL_SAMPLE = 5;
const BAND_LABEL = { good: 'on target', watch: 'watch', low: 'below target' } as const;

export default function Team() {
  const metrics = useMetrics();
  const agents = useQuery({ queryKey: ['agents'], queryFn: () => api<AgentsResponse>('/metrics/agents') });
  const row = useSelectedSource(metrics.data?.providers);
  const [sort, setSort] = useState<{ key: AgentSortKey; dir: 1 | -1 }>({ key: 'tickets', dir: -1 });
  const [showInactive, setShowInactive] = useState(false);
  if (agents.isPending || metrics.isPending) return <Loading what="the team" />;
  if (agents.isError) return <ErrorState error={agents.error} retry={() => void agents.refetch()} />;
  if (metrics.isError) return <ErrorState error={metrics.error} />;
  const mine = agents.data.agents.filter((a) => a.source.id === row?.source.id);
  const inactive = mine.filter((a) => a.tickets === 0).length;
  const shown = mine
    .filter((a) => showInactive || a.tickets > 0)
    .sort((a, b) => compareAgents(a, b, sort.key, sort.dir));
  const toggle = (key: AgentSortKey) =>
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'name' ? 1 : -1 },
    );
  return (
    <>
      <div className="page-head">
        <h1>Team</h1>
        {row && <SourcePicker rows={metrics.data.providers} selected={row} />}
      </div>
      {mine.length === 0 ? (
        <Empty title="No agents yet">
          <p>Agents with a conversation in the last 30 days appear here after a refresh or an import.</p>
        </Empty>
      ) : (
        <>
          {inactive > 0 && (
            <div className="toolbar">
              <label className="check">
                <input
                  type="checkbox"
                  checked={showInactive}
                  onChange={(e) => setShowInactive(e.target.checked)}
                />{' '}
                Show inactive agents ({inactive}: no tickets in the last 7 days)
              </label>
            </div>
          )}
          <TableScroll label="Agents">
            <table className="table">
              <caption>
                Per agent: conversations assigned and created in the last 7 days, their median first response,
                and CSAT over the last 30 days
              </caption>
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.numeric ? 'num' : undefined}
                      aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                    >
                      <button type="button" className="sort" onClick={() => toggle(c.key)}>
                        {c.label}
                        <span aria-hidden="true">
                          {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => {
                  const band = a.csat === null ? null : csatBand(a.csat);
                  return (
                    <tr key={a.agentId}>
                      <th scope="row">{a.name}</th>
                      <td className="num">{a.tickets}</td>
                      <td className="num">
                        {a.csat === null ? (
                          <span className="muted">no ratings</span>
                        ) : (
                          <>
                            <span className={`band band-${band}`}>
                              {a.csat.toFixed(1)} %
                              <span className="visually-hidden"> ({BAND_LABEL[band ?? 'good']})</span>
                            </span>{' '}
                            <span className="muted">of {a.csatResponses}</span>
                            {a.csatResponses < SMALL_SAMPLE && (
                              <span className="flag" title={`Fewer than ${SMALL_SAMPLE} ratings`}>
                                small sample
                              </span>
                            )}
                          </>
                        )}
                      </td>
                      <td className="num">
                        {a.firstResponseSeconds === null ? '—' : duration(a.firstResponseSeconds)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <p className="legend">
            CSAT bands: <span className="band band-good">≥ 93 % on target</span>{' '}
            <span className="band band-watch">90–92 % watch</span>{' '}
            <span className="band band-low">&lt; 90 % below target</span>
          </p>
        </>
      )}
    </>
  );
}
