import { useLocation } from 'wouter';
import type { ProviderMetricsDto, SourceDto } from '../../../src/contracts/metrics.ts';

const HELPDESK: Record<string, string> = {
  intercom: 'Intercom',
  front: 'Front',
  zendesk: 'Zendesk',
  plain: 'Plain',
};
const STATUS: Record<SourceDto['status'], string> = {
  live: '',
  disconnected: 'disconnected',
  account_changed: 'previous account',
  superseded: 'superseded import',
};

/** "Zendesk · acme.zendesk.com", "Zendesk CSV import". */
export function sourceLabel(s: SourceDto): string {
  const helpdesk = s.provider ? (HELPDESK[s.provider] ?? s.provider) : 'Generic';
  const base =
    s.kind === 'import' ? `${helpdesk} CSV import` : `${helpdesk}${s.account ? ` · ${s.account.name}` : ''}`;
  return STATUS[s.status] ? `${base} (${STATUS[s.status]})` : base;
}

/** Chooses which source's numbers a page shows, when there is more than one. */
export function SourcePicker({
  rows,
  selected,
}: {
  rows: ProviderMetricsDto[];
  selected: ProviderMetricsDto;
}) {
  const [location, navigate] = useLocation();
  if (rows.length < 2) return <p className="source-one">{sourceLabel(selected.source)}</p>;
  return (
    <label className="source-picker">
      <span>Source</span>
      <select
        value={selected.source.id}
        onChange={(e) => navigate(`${location}?source=${encodeURIComponent(e.target.value)}`)}
      >
        {rows.map((r) => (
          <option key={r.source.id} value={r.source.id}>
            {sourceLabel(r.source)}
          </option>
        ))}
      </select>
    </label>
  );
}
