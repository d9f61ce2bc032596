import type { Context, Hono } from 'hono';
import type { Dataset, DatasetAgent, DatasetConversation } from '../dataset/types.ts';
import { epochSeconds, publicBase, type EmulatorContext } from '../shared/context.ts';
import { takeRequest, type RateDecision } from '../shared/rate-limit.ts';
import { authenticate } from './identity.ts';
import { zendeskBasicAuthFailed, zendeskUnavailable } from './errors.ts';

/**
 * The Zendesk Support data API the metrics adapter reads, in the official OAS shapes
 * (https://developer.zendesk.com/zendesk/oas.yaml). Facts and deviations: docs/metrics/zendesk.md.
 */

// Incremental exports have their own limit of 10 requests per minute on top of the account limit:
// https://developer.zendesk.com/api-reference/introduction/rate-limits . Here it is 10 per window of the account
// limit, so a test that shortens the window shortens this one too.
export const INCREMENTAL_EXPORT_LIMIT = 10;
// "per_page … up to 1,000 (default 1,000)" on the cursor export:
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api
export const INCREMENTAL_PAGE_SIZE = 1000;
// Cursor pagination: `page[size]` at most 100 (https://developer.zendesk.com/api-reference/introduction/pagination/).
export const CURSOR_PAGE_SIZE = 100;
// Search: at most 100 per page and 1,000 results per query (422 past it):
// https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/
export const SEARCH_PAGE_SIZE = 100;
export const SEARCH_RESULT_CAP = 1000;
// The default automation closes a ticket 4 days after it was solved:
// https://support.zendesk.com/hc/en-us/articles/4408832151834-Updating-and-solving-tickets
const CLOSE_AFTER_MS = 4 * 86_400_000;

const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
type TicketStatus = (typeof STATUS_ORDER)[number] | 'deleted';

/** Zendesk ids are integers: the dataset's `c000123` is ticket 123. */
export function zendeskTicketId(conversationId: string): number {
  return Number.parseInt(conversationId.replace(/\D/g, ''), 10);
}

/** The dataset's agent `a007` is Zendesk user 100007. */
export function zendeskUserId(agentId: string): number {
  return 100_000 + Number.parseInt(agentId.replace(/\D/g, ''), 10);
}

/**
 * Dataset state → Zendesk status. Spam/deleted → `deleted` (shown only by incremental exports:
 * https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api);
 * open without a reply → `new`; open/snoozed alternate between `open`/`pending` and `hold`/`pending` by id;
 * closed → `solved` in its first 4 days, `closed` afterwards.
 */
export function zendeskStatus(conv: DatasetConversation, now: number): TicketStatus {
  if (conv.spam) return 'deleted';
  const odd = zendeskTicketId(conv.id) % 2 === 1;
  if (conv.status === 'open') {
    if (conv.firstAgentReplyAt === null) return 'new';
    return odd ? 'open' : 'pending';
  }
  if (conv.status === 'snoozed') return odd ? 'hold' : 'pending';
  return conv.closedAt !== null && now - conv.closedAt >= CLOSE_AFTER_MS ? 'closed' : 'solved';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

function subdomainOf(c: Context): string {
  return c.req.param('subdomain') ?? '';
}

function encodeCursor(value: string): string {
  return Buffer.from(value).toString('base64url');
}

function decodeCursor(value: string): string | null {
  const decoded = Buffer.from(value, 'base64url').toString();
  return decoded === '' ? null : decoded;
}

function invalid(c: Context, description: string): Response {
  return c.json({ error: 'InvalidPaginationParameter', description }, 400);
}

const incrementalWindows = new WeakMap<EmulatorContext, { start: number; used: number }>();

function takeIncremental(ctx: EmulatorContext): number {
  const rl = ctx.knobs.rateLimit;
  if (!rl) return 0;
  const now = ctx.now();
  let w = incrementalWindows.get(ctx);
  if (!w || now >= w.start + rl.windowMs) {
    w = { start: now - (now % rl.windowMs), used: 0 };
    incrementalWindows.set(ctx, w);
  }
  if (w.used >= INCREMENTAL_EXPORT_LIMIT) return w.start + rl.windowMs - now;
  w.used++;
  return 0;
}

function rateHeaders(c: Context, decision: RateDecision, now: number): void {
  if (!Number.isFinite(decision.limit)) return;
  // Account-wide headers on every response, plus the `ratelimit-*` trio of Ticketing endpoints:
  // https://developer.zendesk.com/api-reference/introduction/rate-limits
  c.header('X-Rate-Limit', String(decision.limit));
  c.header('X-Rate-Limit-Remaining', String(decision.remaining));
  c.header('ratelimit-limit', String(decision.limit));
  c.header('ratelimit-remaining', String(decision.remaining));
  c.header('ratelimit-reset', String(Math.max(1, Math.ceil((decision.resetAt - now) / 1000))));
}

function tooManyRequests(c: Context, retryAfterMs: number): Response {
  c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return c.json(
    { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
    429,
  );
}

type Handler = (c: Context) => Response;

/** Authenticates like `users/me` (Bearer or Basic API token), then applies the rate limits and `failDataNext`. */
function guarded(ctx: EmulatorContext, handler: Handler, options: { incremental?: boolean } = {}) {
  return (c: Context): Response => {
    const auth = authenticate(c, ctx, subdomainOf(c));
    if (auth.kind === 'failed') return auth.response;
    if (auth.kind === 'anonymous') return zendeskBasicAuthFailed(c);
    const decision = takeRequest(ctx);
    const now = ctx.now();
    if (!decision.allowed) return tooManyRequests(c, decision.retryAfterMs);
    if (options.incremental) {
      const wait = takeIncremental(ctx);
      if (wait > 0) {
        ctx.stats.rateLimited++;
        return tooManyRequests(c, wait);
      }
    }
    if (ctx.knobs.failDataNext > 0) {
      ctx.knobs.failDataNext -= 1;
      return zendeskUnavailable(c);
    }
    rateHeaders(c, decision, now);
    return handler(c);
  };
}

/** The OAS path only, as in identity.ts: no `.json` variant. */
function paths(path: string): string[] {
  return [`/:subdomain/api/v2/${path}`];
}

function ticketJson(c: Context, ctx: EmulatorContext, conv: DatasetConversation): Record<string, unknown> {
  const id = zendeskTicketId(conv.id);
  const rated = conv.rating !== null && !conv.spam;
  return {
    url: `${publicBase(c, ctx)}/${subdomainOf(c)}/api/v2/tickets/${id}.json`,
    id,
    external_id: null,
    via: { channel: 'native_messaging', source: { from: {}, to: {}, rel: null } },
    created_at: iso(conv.createdAt),
    updated_at: iso(conv.updatedAt),
    generated_timestamp: epochSeconds(conv.updatedAt),
    type: null,
    subject: `Conversation ${conv.id}`,
    raw_subject: `Conversation ${conv.id}`,
    description: '',
    priority: null,
    status: zendeskStatus(conv, ctx.dataset.now),
    requester_id: 900_000 + id,
    submitter_id: 900_000 + id,
    assignee_id: conv.assigneeId === null ? null : zendeskUserId(conv.assigneeId),
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: [],
    custom_fields: [],
    satisfaction_rating:
      rated && conv.rating
        ? { id: id, score: conv.rating.score >= 4 ? 'good' : 'bad', comment: '' }
        : { score: 'unoffered' },
    brand_id: 1,
    allow_channelback: false,
    allow_attachments: true,
  };
}

export function minutes(
  fromMs: number,
  toMs: number | null,
): { calendar: number | null; business: number | null } {
  if (toMs === null) return { calendar: null, business: null };
  // Zendesk reports whole minutes; the emulator has no business hours, so business = calendar.
  const value = Math.round((toMs - fromMs) / 60_000);
  return { calendar: value, business: value };
}

/** `TicketMetricObject` of the OAS (the same object `include=metric_sets` side-loads). */
function metricSetJson(c: Context, ctx: EmulatorContext, conv: DatasetConversation): Record<string, unknown> {
  const id = zendeskTicketId(conv.id);
  const solvedAt = conv.status === 'closed' ? conv.closedAt : null;
  const reply = conv.firstAgentReplyAt;
  return {
    url: `${publicBase(c, ctx)}/${subdomainOf(c)}/api/v2/ticket_metrics/${id}.json`,
    id,
    ticket_id: id,
    created_at: iso(conv.createdAt),
    updated_at: iso(conv.updatedAt),
    group_stations: 1,
    assignee_stations: conv.assigneeId === null ? 0 : 1,
    reopens: conv.reopens,
    replies: conv.agentReplies,
    assignee_updated_at: isoOrNull(reply),
    requester_updated_at: iso(conv.createdAt),
    status_updated_at: iso(conv.updatedAt),
    initially_assigned_at: conv.assigneeId === null ? null : iso(conv.createdAt),
    assigned_at: conv.assigneeId === null ? null : iso(conv.createdAt),
    solved_at: isoOrNull(solvedAt),
    latest_comment_added_at: iso(reply ?? conv.createdAt),
    reply_time_in_minutes: minutes(conv.createdAt, reply),
    // "only available for Messaging tickets": every emulated ticket comes in over messaging.
    reply_time_in_seconds: { calendar: reply === null ? null : (reply - conv.createdAt) / 1000 },
    first_resolution_time_in_minutes: minutes(conv.createdAt, solvedAt),
    full_resolution_time_in_minutes: minutes(conv.createdAt, solvedAt),
    agent_wait_time_in_minutes: minutes(conv.createdAt, reply),
    requester_wait_time_in_minutes: minutes(conv.createdAt, reply),
    on_hold_time_in_minutes: { calendar: 0, business: 0 },
  };
}

// ---- search -------------------------------------------------------------------------------------------------

type Predicate = (conv: DatasetConversation, status: TicketStatus) => boolean;

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case ':':
      return a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

function parseDate(value: string): number | null {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The subset of the search syntax the adapter uses (https://support.zendesk.com/hc/en-us/articles/4408886879258):
 * `type:ticket`, `status` and `created`/`updated` with `: < <= > >=`. Anything else is a 400 here (Zendesk would
 * fall back to full-text search), so a request outside the subset fails loudly.
 */
function parseQuery(query: string): Predicate[] | string {
  const predicates: Predicate[] = [];
  let isTicketSearch = false;
  for (const token of query.trim().split(/\s+/)) {
    if (token === 'type:ticket') {
      isTicketSearch = true;
      continue;
    }
    const match = /^(status|created|updated)(<=|>=|:|<|>)(.+)$/.exec(token);
    if (!match) return `unsupported search term: ${token}`;
    const [, field, op = ':', value = ''] = match;
    if (field === 'status') {
      const rank = STATUS_ORDER.indexOf(value as (typeof STATUS_ORDER)[number]);
      if (rank < 0) return `unknown status: ${value}`;
      predicates.push(
        (_conv, status) => status !== 'deleted' && compare(op, STATUS_ORDER.indexOf(status), rank),
      );
    } else {
      const at = parseDate(value);
      if (at === null) return `invalid date: ${value}`;
      const pick = (conv: DatasetConversation) => (field === 'created' ? conv.createdAt : conv.updatedAt);
      predicates.push((conv) => compare(op, pick(conv), at));
    }
  }
  if (!isTicketSearch) return 'the emulator searches tickets only: add type:ticket';
  return predicates;
}

function searchTickets(ctx: EmulatorContext, query: string): DatasetConversation[] | string {
  const predicates = parseQuery(query);
  if (typeof predicates === 'string') return predicates;
  const now = ctx.dataset.now;
  // Deleted tickets are not searchable.
  return ctx.dataset.conversations.filter((conv) => {
    if (conv.spam) return false;
    const status = zendeskStatus(conv, now);
    return predicates.every((p) => p(conv, status));
  });
}

function searchError(c: Context, description: string): Response {
  return c.json({ error: 'invalid', description }, 400);
}

function mountSearch(app: Hono, ctx: EmulatorContext): void {
  for (const path of paths('search/count')) {
    app.get(
      path,
      guarded(ctx, (c) => {
        const found = searchTickets(ctx, c.req.query('query') ?? '');
        if (typeof found === 'string') return searchError(c, found);
        return c.json({ count: found.length });
      }),
    );
  }
  for (const path of paths('search')) {
    app.get(
      path,
      guarded(ctx, (c) => {
        const query = c.req.query('query') ?? '';
        const found = searchTickets(ctx, query);
        if (typeof found === 'string') return searchError(c, found);
        const perPage = Number(c.req.query('per_page') ?? SEARCH_PAGE_SIZE);
        const page = Number(c.req.query('page') ?? 1);
        if (!Number.isInteger(perPage) || perPage < 1 || perPage > SEARCH_PAGE_SIZE)
          return invalid(c, `per_page must be between 1 and ${SEARCH_PAGE_SIZE}`);
        if (!Number.isInteger(page) || page < 1) return invalid(c, 'page must be a positive integer');
        if (page * perPage > SEARCH_RESULT_CAP)
          return c.json(
            {
              error: 'invalid',
              description: 'Requested response size was greater than Search Response Limits',
            },
            422,
          );
        const sortBy = c.req.query('sort_by') ?? 'created_at';
        if (sortBy !== 'created_at' && sortBy !== 'updated_at')
          return searchError(c, `the emulator sorts by created_at or updated_at, not ${sortBy}`);
        const sign = c.req.query('sort_order') === 'asc' ? 1 : -1;
        const key = (conv: DatasetConversation) =>
          sortBy === 'created_at' ? conv.createdAt : conv.updatedAt;
        const sorted = [...found].sort(
          (a, b) => sign * (key(a) - key(b) || zendeskTicketId(a.id) - zendeskTicketId(b.id)),
        );
        const results = sorted
          .slice((page - 1) * perPage, page * perPage)
          .map((conv) => ({ ...ticketJson(c, ctx, conv), result_type: 'ticket' }));
        const pageUrl = (n: number) => {
          const url = new URL(c.req.url);
          url.searchParams.set('page', String(n));
          return url.toString();
        };
        return c.json({
          results,
          facets: null,
          next_page: page * perPage < sorted.length ? pageUrl(page + 1) : null,
          previous_page: page > 1 ? pageUrl(page - 1) : null,
          count: sorted.length,
        });
      }),
    );
  }
}

// ---- incremental ticket export (cursor) ---------------------------------------------------------------------

function mountIncremental(app: Hono, ctx: EmulatorContext): void {
  for (const path of paths('incremental/tickets/cursor')) {
    app.get(
      path,
      guarded(
        ctx,
        (c) => {
          const perPage = Number(c.req.query('per_page') ?? INCREMENTAL_PAGE_SIZE);
          if (!Number.isInteger(perPage) || perPage < 1 || perPage > INCREMENTAL_PAGE_SIZE)
            return invalid(c, `per_page must be between 1 and ${INCREMENTAL_PAGE_SIZE}`);
          const cursor = c.req.query('cursor');
          const startTime = c.req.query('start_time');
          // Ordered by generated_timestamp, then id; a cursor is the position after the last ticket served.
          let after: [number, number];
          if (cursor !== undefined) {
            const parts = (decodeCursor(cursor) ?? '').split('|').map(Number);
            if (parts.length !== 2 || !parts.every(Number.isInteger)) return invalid(c, 'invalid cursor');
            after = [parts[0] ?? 0, parts[1] ?? 0];
          } else if (startTime !== undefined && /^\d+$/.test(startTime)) {
            after = [Number(startTime), -1];
          } else {
            return invalid(c, 'start_time is required for the first request');
          }
          const includes = (c.req.query('include') ?? '').split(',');
          const ordered = ctx.dataset.conversations
            .map((conv) => ({ conv, gen: epochSeconds(conv.updatedAt), id: zendeskTicketId(conv.id) }))
            .filter((t) => t.gen > after[0] || (t.gen === after[0] && t.id > after[1]))
            .sort((a, b) => a.gen - b.gen || a.id - b.id);
          const page = ordered.slice(0, perPage);
          const last = page.at(-1);
          const afterCursor = encodeCursor(last ? `${last.gen}|${last.id}` : `${after[0]}|${after[1]}`);
          const base = `${publicBase(c, ctx)}/${subdomainOf(c)}/api/v2/incremental/tickets/cursor`;
          const body: Record<string, unknown> = {
            tickets: page.map((t) => ticketJson(c, ctx, t.conv)),
            after_cursor: afterCursor,
            after_url: `${base}?cursor=${afterCursor}`,
            before_cursor: null,
            before_url: null,
            end_of_stream: ordered.length <= perPage,
          };
          if (includes.includes('metric_sets'))
            body.metric_sets = page.map((t) => metricSetJson(c, ctx, t.conv));
          return c.json(body);
        },
        { incremental: true },
      ),
    );
  }
}

// ---- ticket metric events (time-based) ----------------------------------------------------------------------

// Time-based incremental exports return up to 1,000 items a page; fewer means the end of the stream:
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api#time-based-incremental-exports
export const TIME_BASED_PAGE_SIZE = 1000;

export interface MetricEvent {
  id: number;
  ticketId: number;
  at: number;
  type: 'activate' | 'fulfill';
}

/**
 * The `reply_time` events of every ticket: `activate` at creation and `fulfill` at the first agent reply, both
 * instance 1 (the first reply; later instances are next-reply times). Zendesk also emits agent_work_time,
 * requester_wait_time, … events, which the emulator leaves out.
 */
export function metricEvents(dataset: Dataset): MetricEvent[] {
  const events: MetricEvent[] = [];
  for (const conv of dataset.conversations) {
    if (conv.spam) continue;
    const ticketId = zendeskTicketId(conv.id);
    events.push({ id: ticketId * 10 + 1, ticketId, at: conv.createdAt, type: 'activate' });
    if (conv.firstAgentReplyAt !== null)
      events.push({ id: ticketId * 10 + 2, ticketId, at: conv.firstAgentReplyAt, type: 'fulfill' });
  }
  return events.sort((a, b) => a.at - b.at || a.id - b.id);
}

function mountTicketMetricEvents(app: Hono, ctx: EmulatorContext): void {
  for (const path of paths('incremental/ticket_metric_events')) {
    app.get(
      path,
      guarded(
        ctx,
        (c) => {
          const startTime = c.req.query('start_time');
          if (startTime === undefined || !/^\d+$/.test(startTime))
            return invalid(c, 'start_time is required (Unix epoch seconds)');
          const from = Number(startTime) * 1000;
          const page = metricEvents(ctx.dataset)
            .filter((e) => e.at >= from)
            .slice(0, TIME_BASED_PAGE_SIZE);
          const last = page.at(-1);
          const endTime = last ? epochSeconds(last.at) : Number(startTime);
          const next = new URL(c.req.url);
          next.searchParams.set('start_time', String(endTime));
          return c.json({
            ticket_metric_events: page.map((e) => ({
              id: e.id,
              ticket_id: e.ticketId,
              metric: 'reply_time',
              instance_id: 1,
              type: e.type,
              time: iso(e.at),
            })),
            next_page: next.toString(),
            count: page.length,
            end_time: endTime,
          });
        },
        { incremental: true },
      ),
    );
  }
}

// ---- cursor-paginated lists ---------------------------------------------------------------------------------

/** `page[size]` / `page[after]` pagination with `meta` and `links` (https://developer.zendesk.com/api-reference/introduction/pagination/). */
function cursorPage<T>(c: Context, items: T[], key: string, render: (item: T) => unknown): Response {
  const size = Number(c.req.query('page[size]') ?? CURSOR_PAGE_SIZE);
  if (!Number.isInteger(size) || size < 1 || size > CURSOR_PAGE_SIZE)
    return invalid(c, `page[size] must be between 1 and ${CURSOR_PAGE_SIZE}`);
  const afterParam = c.req.query('page[after]');
  let start = 0;
  if (afterParam !== undefined) {
    const decoded = decodeCursor(afterParam);
    if (decoded === null || !/^\d+$/.test(decoded)) return invalid(c, 'invalid page[after]');
    start = Number(decoded);
  }
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  const hasMore = end < items.length;
  const next = new URL(c.req.url);
  next.searchParams.set('page[after]', encodeCursor(String(end)));
  return c.json({
    [key]: slice.map(render),
    meta: {
      has_more: hasMore,
      after_cursor: slice.length > 0 ? encodeCursor(String(end)) : null,
      before_cursor: slice.length > 0 ? encodeCursor(String(start)) : null,
    },
    links: { next: hasMore ? next.toString() : null, prev: null },
  });
}

const SCORE_FILTERS: Record<string, (good: boolean) => boolean> = {
  received: () => true,
  received_without_comment: () => true,
  good: (good) => good,
  good_without_comment: (good) => good,
  bad: (good) => !good,
  bad_without_comment: (good) => !good,
  // Emulated ratings carry no comment, and every rating in the dataset was received.
  received_with_comment: () => false,
  good_with_comment: () => false,
  bad_with_comment: () => false,
  offered: () => false,
  unoffered: () => false,
};

function mountSatisfactionRatings(app: Hono, ctx: EmulatorContext): void {
  for (const path of paths('satisfaction_ratings')) {
    app.get(
      path,
      guarded(ctx, (c) => {
        const scoreParam = c.req.query('score');
        const filter = scoreParam === undefined ? () => true : SCORE_FILTERS[scoreParam];
        if (!filter) return invalid(c, `unknown score filter: ${scoreParam ?? ''}`);
        const start = c.req.query('start_time');
        const end = c.req.query('end_time');
        if ((start !== undefined && !/^\d+$/.test(start)) || (end !== undefined && !/^\d+$/.test(end)))
          return invalid(c, 'start_time and end_time are Unix epoch seconds');
        const rated = ctx.dataset.conversations
          .filter(
            (conv): conv is DatasetConversation & { rating: NonNullable<DatasetConversation['rating']> } => {
              if (conv.spam || conv.rating === null) return false;
              const at = epochSeconds(conv.rating.ratedAt);
              if (start !== undefined && at < Number(start)) return false;
              if (end !== undefined && at > Number(end)) return false;
              return filter(conv.rating.score >= 4);
            },
          )
          .sort(
            (a, b) => a.rating.ratedAt - b.rating.ratedAt || zendeskTicketId(a.id) - zendeskTicketId(b.id),
          );
        const base = `${publicBase(c, ctx)}/${subdomainOf(c)}/api/v2/satisfaction_ratings`;
        return cursorPage(c, rated, 'satisfaction_ratings', (conv) => {
          const id = zendeskTicketId(conv.id);
          return {
            id,
            url: `${base}/${id}.json`,
            assignee_id: conv.assigneeId === null ? null : zendeskUserId(conv.assigneeId),
            group_id: null,
            requester_id: 900_000 + id,
            ticket_id: id,
            score: conv.rating.score >= 4 ? 'good' : 'bad',
            comment: null,
            reason: 'No reason provided',
            reason_code: 0,
            reason_id: 0,
            created_at: iso(conv.rating.ratedAt),
            updated_at: iso(conv.rating.ratedAt),
          };
        });
      }),
    );
  }
}

function mountUsers(app: Hono, ctx: EmulatorContext): void {
  for (const path of paths('users')) {
    app.get(
      path,
      guarded(ctx, (c) => {
        const roles = [...(c.req.queries('role[]') ?? []), ...(c.req.queries('role') ?? [])];
        // Every dataset agent is an `agent`; with no role filter Zendesk lists every user, agents included.
        const agents = roles.length === 0 || roles.includes('agent') ? ctx.dataset.agents : [];
        const base = `${publicBase(c, ctx)}/${subdomainOf(c)}/api/v2/users`;
        return cursorPage(c, agents, 'users', (agent: DatasetAgent) => {
          const id = zendeskUserId(agent.id);
          return {
            id,
            url: `${base}/${id}.json`,
            name: agent.name,
            email: agent.email,
            role: 'agent',
            active: true,
            suspended: false,
            verified: true,
            time_zone: 'UTC',
            iana_time_zone: 'Etc/UTC',
            created_at: '2024-01-02T03:04:05Z',
            updated_at: '2024-01-02T03:04:05Z',
          };
        });
      }),
    );
  }
}

export function mountZendeskData(app: Hono, ctx: EmulatorContext): void {
  mountSearch(app, ctx);
  mountIncremental(app, ctx);
  mountTicketMetricEvents(app, ctx);
  mountSatisfactionRatings(app, ctx);
  mountUsers(app, ctx);
}
