import type { AgentRowDto } from '../../src/contracts/metrics.ts';

export type AgentSortKey = 'name' | 'tickets' | 'csat' | 'firstResponseSeconds';

/**
 * The team table's order: by `key`, ascending (`dir` 1) or descending (-1), then by name. An agent the column
 * has no value for ("no ratings", "—") comes last whichever way the column runs, as in Zendesk Explore's tables.
 */
export function compareAgents(a: AgentRowDto, b: AgentRowDto, key: AgentSortKey, dir: 1 | -1): number {
  const byName = a.name.localeCompare(b.name);
  if (key === 'name') return dir * byName;
  const x = a[key];
  const y = b[key];
  if (x === null || y === null) return x === y ? byName : x === null ? 1 : -1;
  return dir * (x - y) || byName;
}
