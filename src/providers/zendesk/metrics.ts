import type { z } from 'zod';
import { completedWeeks } from '../../metrics/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import {
  computeSnapshot,
  DAY_MS,
  inRange,
  type ConversationFacts,
  type Range,
  type RatingFact,
} from '../../metrics/calculator.ts';
import type { AdapterContext, MetricsAdapter, ProviderError } from '../types.ts';
import type { MetricsRequest, MetricsSnapshot } from '../../metrics/types.ts';
import {
  SatisfactionRatingsPageSchema,
  SearchCountSchema,
  SearchPageSchema,
  TicketExportPageSchema,
  TicketMetricEventsPageSchema,
  UsersPageSchema,
  type ExportTicket,
  type MetricSet,
  type SatisfactionRating,
  type TicketMetricEvent,
  type User,
} from './schemas.ts';

/*
 * Zendesk Support metrics (definitions: docs/metrics.md; mapping, call plan and deviations:
 * docs/metrics/zendesk.md). One refresh reads:
 *   users (agents and admins, for names)      GET /api/v2/users?role[]=agent&role[]=admin&page[size]=100
 *   open tickets now                           GET /api/v2/search/count?query=type:ticket status<solved
 *   oldest open ticket                         GET /api/v2/search?query=…&sort_by=created_at&sort_order=asc&per_page=1
 *   tickets + metric sets changed since start  GET /api/v2/incremental/tickets/cursor?start_time=…&include=metric_sets
 *   ratings given since start                  GET /api/v2/satisfaction_ratings?score=received&start_time&end_time
 *   first replies, only for tickets whose metric set has them in minutes only (non-messaging channels)
 *                                              GET /api/v2/incremental/ticket_metric_events?start_time=…
 */

// Incremental exports serve up to 1,000 tickets a page:
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api
const EXPORT_PAGE_SIZE = 1000;
// Cursor pagination caps page[size] at 100: https://developer.zendesk.com/api-reference/introduction/pagination/
const CURSOR_PAGE_SIZE = 100;
// Time-based incremental exports end with a page of fewer than 1,000 items:
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api#time-based-incremental-exports
const TIME_BASED_PAGE_SIZE = 1000;
// `status<solved` = new, open, pending and hold, docs/metrics.md's openNow for Zendesk:
// https://support.zendesk.com/hc/en-us/articles/4408886879258
const OPEN_QUERY = 'type:ticket status<solved';

const INEXACT_FIRST_RESPONSE =
  'Zendesk gave the first reply time of some tickets in the window in whole minutes only, and no reply_time event for them';

export interface ZendeskMetricsRaw {
  users: User[];
  openCount: number;
  /** `created_at` of the oldest ticket with a status below solved; null when the search found none. */
  oldestOpenCreatedAt: string | null;
  tickets: ExportTicket[];
  metricSets: MetricSet[];
  ratings: SatisfactionRating[];
  /** `reply_time` `fulfill` events of instance 1, fetched only for tickets without `reply_time_in_seconds`. */
  firstReplyEvents: TicketMetricEvent[];
}

/**
 * The span the two streams must cover: the 30-day CSAT window and every requested week. Shared with the
 * emulator's call plan so it counts the same pages.
 */
export function zendeskFetchRange(req: MetricsRequest): Range {
  const now = req.now.getTime();
  let from = now - 30 * DAY_MS;
  for (const week of completedWeeks(req.now, req.timezone, req.historyWeeks))
    from = Math.min(from, week.start.getTime());
  return { from, to: now };
}

/** The windows first-response medians are taken over: the 7-day window and every requested week. */
export function zendeskReplyWindows(req: MetricsRequest): Range[] {
  const now = req.now.getTime();
  return [
    { from: now - 7 * DAY_MS, to: now },
    ...completedWeeks(req.now, req.timezone, req.historyWeeks).map((w) => ({
      from: w.start.getTime(),
      to: w.end.getTime(),
    })),
  ];
}

/** The first reply is the `fulfill` of `reply_time` instance 1; later instances are next-reply times. */
function isFirstReply(e: TicketMetricEvent): boolean {
  return e.metric === 'reply_time' && e.type === 'fulfill' && e.instance_id === 1;
}

/**
 * `reply_time_in_minutes` is rounded and `reply_time_in_seconds` exists only for Messaging tickets, so a ticket
 * with minutes but no seconds needs its first-reply event. Returns the earliest creation among such tickets that a
 * first-response window covers, or null when none does.
 */
function needsReplyEventsFrom(
  tickets: ExportTicket[],
  metricSets: MetricSet[],
  req: MetricsRequest,
): number | null {
  const windows = zendeskReplyWindows(req);
  const metricsOf = new Map(metricSets.map((m) => [m.ticket_id, m]));
  let earliest: number | null = null;
  for (const t of tickets) {
    const m = metricsOf.get(t.id);
    if (t.status === 'deleted' || m === undefined) continue;
    if ((m.reply_time_in_seconds?.calendar ?? null) !== null) continue;
    if ((m.reply_time_in_minutes?.calendar ?? null) === null) continue;
    const created = Date.parse(t.created_at);
    if (!windows.some((w) => inRange(created, w))) continue;
    earliest = earliest === null ? created : Math.min(earliest, created);
  }
  return earliest;
}

async function fetchRaw(
  ctx: AdapterContext,
  req: MetricsRequest,
): Promise<Result<ZendeskMetricsRaw, ProviderError>> {
  const base = `${ctx.endpoints.apiBaseUrl}/api/v2`;
  let done = 0;
  const call = async <S extends z.ZodType>(url: string, schema: S) => {
    const r = await callProvider(ctx, { url, credential: ctx.credential, schema });
    done++;
    ctx.onProgress?.({ done });
    return r;
  };
  const range = zendeskFetchRange(req);

  const users: User[] = [];
  let usersUrl: string | null = `${base}/users?${new URLSearchParams([
    ['role[]', 'agent'],
    ['role[]', 'admin'],
    ['page[size]', String(CURSOR_PAGE_SIZE)],
  ]).toString()}`;
  while (usersUrl !== null) {
    const page = await call(usersUrl, UsersPageSchema);
    if (!page.ok) return page;
    users.push(...page.value.users);
    usersUrl = nextCursorUrl(usersUrl, page.value.meta);
  }

  const count = await call(
    `${base}/search/count?${new URLSearchParams({ query: OPEN_QUERY }).toString()}`,
    SearchCountSchema,
  );
  if (!count.ok) return count;
  let oldestOpenCreatedAt: string | null = null;
  if (count.value.count > 0) {
    const oldest = await call(
      `${base}/search?${new URLSearchParams({
        query: OPEN_QUERY,
        sort_by: 'created_at',
        sort_order: 'asc',
        per_page: '1',
      }).toString()}`,
      SearchPageSchema,
    );
    if (!oldest.ok) return oldest;
    oldestOpenCreatedAt = oldest.value.results[0]?.created_at ?? null;
  }

  // The export filters on generated_timestamp (any change), so every ticket created, solved or rated since
  // `start` is in it; older tickets that did not change are not needed by any windowed metric.
  const tickets: ExportTicket[] = [];
  const metricSets: MetricSet[] = [];
  let exportUrl = `${base}/incremental/tickets/cursor?${new URLSearchParams({
    start_time: String(Math.floor(range.from / 1000)),
    include: 'metric_sets',
    per_page: String(EXPORT_PAGE_SIZE),
  }).toString()}`;
  for (;;) {
    const page = await call(exportUrl, TicketExportPageSchema);
    if (!page.ok) return page;
    tickets.push(...page.value.tickets);
    metricSets.push(...page.value.metric_sets);
    if (page.value.end_of_stream || page.value.after_cursor === null) break;
    exportUrl = `${base}/incremental/tickets/cursor?${new URLSearchParams({
      cursor: page.value.after_cursor,
      include: 'metric_sets',
      per_page: String(EXPORT_PAGE_SIZE),
    }).toString()}`;
  }
  const withMetrics = new Set(metricSets.map((m) => m.ticket_id));
  const missing = tickets.find((t) => t.status !== 'deleted' && !withMetrics.has(t.id));
  if (missing) return err({ code: 'unexpected_response', detail: `no metric set for ticket ${missing.id}` });

  const firstReplyEvents: TicketMetricEvent[] = [];
  const eventsFrom = needsReplyEventsFrom(tickets, metricSets, req);
  if (eventsFrom !== null) {
    let startTime = Math.floor(eventsFrom / 1000);
    for (;;) {
      const page = await call(
        `${base}/incremental/ticket_metric_events?${new URLSearchParams({ start_time: String(startTime) }).toString()}`,
        TicketMetricEventsPageSchema,
      );
      if (!page.ok) return page;
      for (const e of page.value.ticket_metric_events) if (isFirstReply(e)) firstReplyEvents.push(e);
      if (page.value.count < TIME_BASED_PAGE_SIZE) break;
      // A full page whose events all share one second cannot advance a time-based export.
      if (page.value.end_time <= startTime)
        return err({
          code: 'unexpected_response',
          detail: 'ticket metric events did not advance past a full page',
        });
      startTime = page.value.end_time;
    }
  }

  const ratings: SatisfactionRating[] = [];
  let ratingsUrl: string | null = `${base}/satisfaction_ratings?${new URLSearchParams({
    score: 'received',
    start_time: String(Math.floor(range.from / 1000)),
    end_time: String(Math.ceil(range.to / 1000)),
    'page[size]': String(CURSOR_PAGE_SIZE),
  }).toString()}`;
  while (ratingsUrl !== null) {
    const page = await call(ratingsUrl, SatisfactionRatingsPageSchema);
    if (!page.ok) return page;
    ratings.push(...page.value.satisfaction_ratings);
    ratingsUrl = nextCursorUrl(ratingsUrl, page.value.meta);
  }

  return ok({
    users,
    openCount: count.value.count,
    oldestOpenCreatedAt,
    tickets,
    metricSets,
    ratings,
    firstReplyEvents,
  });
}

function nextCursorUrl(url: string, meta: { has_more: boolean; after_cursor: string | null }): string | null {
  if (!meta.has_more || meta.after_cursor === null) return null;
  const next = new URL(url);
  next.searchParams.set('page[after]', meta.after_cursor);
  return next.toString();
}

function toTickets(raw: ZendeskMetricsRaw): Map<number, ConversationFacts> {
  const metricsOf = new Map(raw.metricSets.map((m) => [m.ticket_id, m]));
  // Time-based pages repeat the events of their boundary second: keep the earliest per ticket.
  const firstReplyAt = new Map<number, number>();
  for (const e of raw.firstReplyEvents) {
    if (!isFirstReply(e)) continue;
    const at = Date.parse(e.time);
    firstReplyAt.set(e.ticket_id, Math.min(at, firstReplyAt.get(e.ticket_id) ?? at));
  }
  const tickets = new Map<number, ConversationFacts>();
  // A ticket changed during the export can appear twice; the later copy is the newer state.
  for (const t of raw.tickets) {
    const m = metricsOf.get(t.id);
    if (t.status === 'deleted' || m === undefined) {
      tickets.delete(t.id);
      continue;
    }
    const seconds = m.reply_time_in_seconds?.calendar ?? null;
    const minutes = m.reply_time_in_minutes?.calendar ?? null;
    const createdAt = Date.parse(t.created_at);
    const repliedAt = firstReplyAt.get(t.id);
    const solvedAt = m.solved_at === null ? null : Date.parse(m.solved_at);
    tickets.set(t.id, {
      createdAt,
      assigneeId: t.assignee_id === null ? null : String(t.assignee_id),
      // `reply_time_in_seconds` is an integer (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/),
      // so computeSnapshot's (firstReplyAt − createdAt) / 1000 gives it back exactly: all integers below 2^53.
      firstReplyAt:
        seconds !== null ? createdAt + seconds * 1000 : minutes === null ? null : (repliedAt ?? null),
      firstReplyKnown: seconds !== null || minutes === null || repliedAt !== undefined,
      closedNowAt: t.status === 'solved' || t.status === 'closed' ? solvedAt : null,
      oneTouch: m.replies === 1 && m.reopens === 0,
      aiResolved: false,
    });
  }
  return tickets;
}

function toRatings(raw: ZendeskMetricsRaw, tickets: Map<number, ConversationFacts>): RatingFact[] {
  const deleted = new Set(raw.tickets.filter((t) => t.status === 'deleted').map((t) => t.id));
  const byId = new Map<number, RatingFact>();
  for (const r of raw.ratings) {
    if ((r.score !== 'good' && r.score !== 'bad') || deleted.has(r.ticket_id)) continue;
    byId.set(r.id, {
      at: Date.parse(r.updated_at),
      positive: r.score === 'good',
      score: null,
      // "Assigned to the agent" means the ticket's assignee (docs/metrics.md); the rating's own assignee_id is
      // the one at rating time, used when the ticket is not in the export or is unassigned now.
      assigneeId:
        tickets.get(r.ticket_id)?.assigneeId ?? (r.assignee_id === null ? null : String(r.assignee_id)),
    });
  }
  return [...byId.values()];
}

export function toSnapshot(raw: ZendeskMetricsRaw, req: MetricsRequest): MetricsSnapshot {
  const byId = toTickets(raw);
  return computeSnapshot(
    {
      conversations: [...byId.values()],
      ratings: toRatings(raw, byId),
      open: {
        count: raw.openCount,
        oldestCreatedAt: raw.oldestOpenCreatedAt === null ? null : Date.parse(raw.oldestOpenCreatedAt),
      },
      agents: raw.users.map((u) => ({ id: String(u.id), name: u.name })),
      reasons: {
        firstReplyUnknown: INEXACT_FIRST_RESPONSE,
        oldestOpenUnknown: 'Zendesk counted open tickets but the search returned none',
      },
    },
    req,
    { csatMeanScore: false, deflectionRate: false },
  );
}

export const zendeskMetrics: MetricsAdapter<ZendeskMetricsRaw> = {
  // Incremental exports are limited to 10 requests/min per account
  // (https://developer.zendesk.com/api-reference/introduction/rate-limits/): every 15 minutes at most.
  minRefreshIntervalMinutes: 15,
  fetch: fetchRaw,
  toSnapshot,
};
