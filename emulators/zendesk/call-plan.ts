import { zendeskFetchRange } from '../../src/providers/zendesk/metrics.ts';
import type { MetricsRequest } from '../../src/providers/metrics-types.ts';
import type { Dataset } from '../dataset/types.ts';
import { CURSOR_PAGE_SIZE, INCREMENTAL_PAGE_SIZE } from './data.ts';

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * Requests one refresh needs against this emulator (docs/metrics/zendesk.md, "Call plan").
 * minimal: users pages + search/count + the oldest-open search (only when something is open) + export pages
 * (tickets whose generated_timestamp ≥ start, deleted ones included) + rating pages (ratings in [start, end]).
 * naive: what a client without the export and its metric_sets side-load would do (Airbyte's pattern, zendesk.md
 * §6): all tickets in 100-ticket pages, one `GET /tickets/{id}/metrics` per ticket in the span, the same ratings
 * and users pages, and one search/count per windowed count (current + each week).
 */
export function zendeskCallPlan(dataset: Dataset, req: MetricsRequest): { minimal: number; naive: number } {
  const range = zendeskFetchRange(req);
  const startSec = Math.floor(range.from / 1000);
  const endSec = Math.ceil(range.to / 1000);
  const exported = dataset.conversations.filter((c) => Math.floor(c.updatedAt / 1000) >= startSec);
  const ratings = dataset.conversations.filter((c) => {
    if (c.spam || c.rating === null) return false;
    const at = Math.floor(c.rating.ratedAt / 1000);
    return at >= startSec && at <= endSec;
  }).length;
  const open = dataset.conversations.some((c) => !c.spam && c.status !== 'closed');
  const userPages = pages(dataset.agents.length, CURSOR_PAGE_SIZE);
  const ratingPages = pages(ratings, CURSOR_PAGE_SIZE);
  const minimal =
    userPages + 1 + (open ? 1 : 0) + pages(exported.length, INCREMENTAL_PAGE_SIZE) + ratingPages;
  const naive =
    userPages +
    2 +
    pages(dataset.conversations.length, CURSOR_PAGE_SIZE) +
    exported.filter((c) => !c.spam).length +
    ratingPages +
    1 +
    req.historyWeeks;
  return { minimal, naive };
}
