import { completedWeeks } from '../../src/metrics/weeks.ts';
import type { MetricsRequest } from '../../src/metrics/types.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';

const DAY_MS = 86_400_000;
// "default 25, max 100": team-plain/docs graphql/pagination.mdx
const MAX_PAGE = 100;
const DEFAULT_PAGE = 25;

/** A paginated query costs one call even when it matches nothing. */
const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

interface Range {
  from: number;
  to: number;
}
const inRange = (t: number | null, r: Range): boolean => t !== null && t >= r.from && t < r.to;

/**
 * Calls a Plain refresh needs (docs/metrics/plain.md "Call plan"). `minimal` is what `plainMetrics` sends:
 * `users` pages of 100, then one `threads` query of 100 per page whose filter is the union of "created, rated
 * or closed since the earliest window start" and "open now", spam excluded. `naive` is a straightforward
 * client: one query per metric family and window (plus one per agent), each paged at the default size of 25.
 */
export function plainCallPlan(dataset: Dataset, req: MetricsRequest): { minimal: number; naive: number } {
  const now = req.now.getTime();
  const weeks = completedWeeks(req.now, req.timezone, req.historyWeeks).map((w) => ({
    from: w.start.getTime(),
    to: w.end.getTime(),
  }));
  const since = Math.min(now - 30 * DAY_MS, weeks[0]?.from ?? Infinity);
  const threads = dataset.conversations.filter((c) => !c.spam);
  const isOpen = (c: DatasetConversation) => c.status !== 'closed';
  const needed = threads.filter(
    (c) =>
      c.createdAt >= since ||
      (c.rating !== null && c.rating.ratedAt >= since) ||
      (c.status === 'closed' && (c.closedAt ?? -Infinity) >= since) ||
      isOpen(c),
  ).length;
  const minimal = pages(dataset.agents.length, MAX_PAGE) + pages(needed, MAX_PAGE);

  const week = { from: now - 7 * DAY_MS, to: now };
  const month = { from: now - 30 * DAY_MS, to: now };
  const perWindow = (created: Range, rated: Range): number =>
    pages(threads.filter((c) => inRange(c.createdAt, created)).length, DEFAULT_PAGE) +
    pages(threads.filter((c) => inRange(c.rating?.ratedAt ?? null, rated)).length, DEFAULT_PAGE) +
    pages(threads.filter((c) => c.status === 'closed' && inRange(c.closedAt, created)).length, DEFAULT_PAGE);
  let naive = pages(dataset.agents.length, DEFAULT_PAGE) + pages(threads.filter(isOpen).length, DEFAULT_PAGE);
  naive += perWindow(week, month);
  for (const w of weeks) naive += perWindow(w, w);
  for (const agent of dataset.agents) {
    const mine = threads.filter((c) => c.assigneeId === agent.id);
    naive += pages(mine.filter((c) => inRange(c.createdAt, month)).length, DEFAULT_PAGE);
    naive += pages(mine.filter((c) => inRange(c.rating?.ratedAt ?? null, month)).length, DEFAULT_PAGE);
  }
  return { minimal, naive };
}
