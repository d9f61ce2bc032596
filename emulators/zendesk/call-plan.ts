import { zendeskFetchRange, zendeskReplyWindows } from '../../src/providers/zendesk/metrics.ts';
import type { MetricsRequest } from '../../src/metrics/types.ts';
import type { Dataset } from '../dataset/types.ts';
import { CURSOR_PAGE_SIZE, INCREMENTAL_PAGE_SIZE, metricEvents, TIME_BASED_PAGE_SIZE } from './data.ts';

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * Requests one refresh needs against this emulator (docs/metrics/zendesk.md, "Call plan").
 * minimal: users pages + search/count + the oldest-open search (only when something is open) + export pages
 * (tickets whose generated_timestamp ≥ start, deleted ones included) + rating pages (ratings in [start, end]).
 * naive: what a client without the export and its metric_sets side-load would do (Airbyte's pattern,
 * https://github.com/airbytehq/airbyte/blob/master/docs/integrations/sources/zendesk-support.md): all tickets
 * in 100-ticket pages, one `GET /tickets/{id}/metrics` per ticket in the span, the same ratings and users pages,
 * and one search/count per windowed count (current + each week).
 */
export function zendeskCallPlan(
  dataset: Dataset,
  req: MetricsRequest,
  options: { secondsInMetricSets?: boolean } = {},
): { minimal: number; naive: number } {
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
  const eventPages = options.secondsInMetricSets === false ? replyEventPages(dataset, req) : 0;
  const minimal =
    userPages + 1 + (open ? 1 : 0) + pages(exported.length, INCREMENTAL_PAGE_SIZE) + ratingPages + eventPages;
  const naive =
    userPages +
    2 +
    pages(dataset.conversations.length, CURSOR_PAGE_SIZE) +
    exported.filter((c) => !c.spam).length +
    ratingPages +
    eventPages +
    1 +
    req.historyWeeks;
  return { minimal, naive };
}

/**
 * Pages of `incremental/ticket_metric_events` when metric sets carry minutes only (non-messaging tickets): from the
 * earliest replied ticket a first-response window covers, 1,000 events a page, each next page starting at the
 * previous page's `end_time` (so boundary seconds repeat), until a page has fewer than 1,000.
 */
function replyEventPages(dataset: Dataset, req: MetricsRequest): number {
  const windows = zendeskReplyWindows(req);
  let earliest: number | null = null;
  for (const c of dataset.conversations) {
    if (c.spam || c.firstAgentReplyAt === null) continue;
    if (!windows.some((w) => c.createdAt >= w.from && c.createdAt < w.to)) continue;
    earliest = earliest === null ? c.createdAt : Math.min(earliest, c.createdAt);
  }
  if (earliest === null) return 0;
  const events = metricEvents(dataset);
  let startTime = Math.floor(earliest / 1000);
  for (let n = 1; ; n++) {
    const page = events.filter((e) => e.at >= startTime * 1000).slice(0, TIME_BASED_PAGE_SIZE);
    const last = page.at(-1);
    if (page.length < TIME_BASED_PAGE_SIZE || last === undefined) return n;
    startTime = Math.floor(last.at / 1000);
  }
}
