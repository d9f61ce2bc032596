import type { MetricsRequest } from '../../src/metrics/types.ts';
import type { Dataset } from '../dataset/types.ts';

/** Front pages hold at most 100 results: https://dev.frontapp.com/docs/pagination */
const PAGE = 100;
const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

/**
 * Data requests one refresh needs (docs/metrics/front.md, "Call plan"):
 *
 *   minimal = 1 (GET /teammates)
 *           + 1 (POST /analytics/exports) + 1 (GET the export: the emulator finishes on the first poll)
 *           + 1 (download the CSV)
 *           + ⌈open / 100⌉ (GET /conversations, statuses assigned + unassigned; at least 1)
 *           + ⌈snoozed / 100⌉ (GET /conversations/search/is:snoozed; at least 1)
 *
 * independent of history depth and of how many conversations were created, rated or closed: the export carries
 * every activity of the covered days in one file. `naive` is a full sync without analytics: every teammate,
 * every conversation page (archived included), and one `GET /conversations/{id}/events` per conversation for its
 * replies, closes, reopens and rating (a lower bound: long timelines page further).
 */
export function frontCallPlan(dataset: Dataset, _req: MetricsRequest): { minimal: number; naive: number } {
  const kept = dataset.conversations.filter((c) => !c.spam);
  const open = kept.filter((c) => c.status === 'open').length;
  const snoozed = kept.filter((c) => c.status === 'snoozed').length;
  return {
    minimal: 4 + pages(open) + pages(snoozed),
    naive: 1 + pages(kept.length) + kept.length,
  };
}
