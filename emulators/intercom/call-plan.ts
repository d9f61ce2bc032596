import { completedWeeks } from '../../src/metrics/weeks.ts';
import type { MetricsRequest } from '../../src/metrics/types.ts';
import type { Dataset } from '../dataset/types.ts';
import { servedConversations } from './data.ts';

const DAY_MS = 86_400_000;
// Maximum `per_page` of every Intercom list and search API:
// https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/
const PAGE = 150;

/**
 * Calls a refresh needs against Intercom (docs/metrics/intercom.md, "Call plan"):
 *
 * - minimal = 1 (`GET /admins`) + max(1, ⌈M / 150⌉) pages of one `POST /conversations/search`, where M counts the
 *   served (not spam/deleted) conversations created, last closed or rated at or after S, or open/snoozed now;
 *   S = min(now − 30 days, start of the oldest requested history week), with the query's 1-second margin.
 * - naive = ⌈N / 150⌉ pages of `GET /conversations` + N × `GET /conversations/{id}` + 1 (`GET /admins`), N = every
 *   served conversation: a full sync that reads each conversation's parts.
 */
export function intercomCallPlan(dataset: Dataset, req: MetricsRequest): { minimal: number; naive: number } {
  const monthStart = req.now.getTime() - 30 * DAY_MS;
  const oldestWeek = completedWeeks(req.now, req.timezone, req.historyWeeks)[0];
  const since = oldestWeek === undefined ? monthStart : Math.min(monthStart, oldestWeek.start.getTime());
  // The search asks for `> ⌊S / 1 s⌋ − 1` on second-resolution fields, i.e. at or after ⌊S / 1 s⌋ seconds.
  const from = Math.floor(since / 1000) * 1000;
  const served = servedConversations(dataset);
  const matching = served.filter(
    (c) =>
      c.createdAt >= from ||
      (c.closedAt !== null && c.closedAt >= from) ||
      (c.rating !== null && c.rating.ratedAt >= from) ||
      c.status !== 'closed',
  ).length;
  return {
    minimal: 1 + Math.max(1, Math.ceil(matching / PAGE)),
    naive: Math.max(1, Math.ceil(served.length / PAGE)) + served.length + 1,
  };
}
