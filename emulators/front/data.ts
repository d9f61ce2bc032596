import type { Context, Hono } from 'hono';
import type { DatasetAgent, DatasetConversation } from '../dataset/types.ts';
import { publicBase, type EmulatorContext } from '../shared/context.ts';
import { bearerToken } from '../shared/http.ts';
import { takeRequest } from '../shared/rate-limit.ts';
import { frontError } from './errors.ts';

/** Front ids are prefixed by resource type (`tea_…`, `cnv_…`): https://dev.frontapp.com/reference/introduction */
export const teammateId = (agentId: string) => `tea_${agentId}`;
export const conversationId = (id: string) => `cnv_${id}`;

/** Front timestamps are Unix seconds with 3 decimals: https://dev.frontapp.com/reference/introduction */
export const frontTime = (ms: number) => ms / 1000;

/** `limit` is capped at 100: https://dev.frontapp.com/docs/pagination */
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 50;

export type FrontStatus = 'archived' | 'unassigned' | 'deleted' | 'assigned';

/**
 * `ConversationResponse.status` (core-api.json): archived | unassigned | deleted | assigned. A snoozed
 * conversation is archived with a scheduled reminder that brings it back (docs/metrics/front.md); spam/deleted ones
 * are `deleted` and sit in the trash.
 */
export function frontStatus(c: DatasetConversation): FrontStatus {
  if (c.spam) return 'deleted';
  if (c.status === 'open') return c.assigneeId === null ? 'unassigned' : 'assigned';
  return 'archived';
}

export const isSnoozed = (c: DatasetConversation) => !c.spam && c.status === 'snoozed';

/**
 * Wraps a data route: bearer auth exactly like `GET /me`, then the company rate limit with Front's headers
 * (https://dev.frontapp.com/docs/rate-limiting: `x-ratelimit-limit/remaining/reset` on every response, reset in
 * epoch seconds; 429 with `retry-after` in seconds), then `failDataNext` as a 503 in Front's error shape.
 */
export function guarded(
  ctx: EmulatorContext,
  handler: (c: Context) => Response | Promise<Response>,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    if (!found?.ok) {
      return frontError(
        c,
        401,
        'Unauthorized',
        found?.reason === 'expired' ? 'Expired token' : 'Invalid token',
      );
    }
    const decision = takeRequest(ctx);
    if (Number.isFinite(decision.limit)) {
      c.header('x-ratelimit-limit', String(decision.limit));
      c.header('x-ratelimit-remaining', String(decision.remaining));
      c.header('x-ratelimit-reset', String(Math.ceil(decision.resetAt / 1000)));
    }
    if (!decision.allowed) {
      c.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
      return frontError(
        c,
        429,
        'Too Many Requests',
        'Rate limit exceeded. Retry after the delay in retry-after.',
      );
    }
    if (ctx.knobs.failDataNext > 0) {
      ctx.knobs.failDataNext -= 1;
      return frontError(c, 503, 'Service Unavailable', 'The service is temporarily unavailable.');
    }
    return handler(c);
  };
}

function splitName(name: string): { first: string; last: string } {
  const at = name.indexOf(' ');
  return at < 0 ? { first: name, last: '' } : { first: name.slice(0, at), last: name.slice(at + 1) };
}

/** `TeammateResponse` of core-api.json. */
export function teammateBody(base: string, agent: DatasetAgent) {
  const id = teammateId(agent.id);
  const { first, last } = splitName(agent.name);
  return {
    _links: {
      self: `${base}/teammates/${id}`,
      related: {
        inboxes: `${base}/teammates/${id}/inboxes`,
        conversations: `${base}/teammates/${id}/conversations`,
      },
    },
    id,
    email: agent.email,
    username: agent.email.split('@')[0] ?? agent.id,
    first_name: first,
    last_name: last,
    license_type: 'regular',
    is_admin: false,
    is_available: true,
    is_blocked: false,
    type: 'user',
    custom_fields: {},
  };
}

/**
 * Front lists its CSAT pseudo-teammate beside real users (`TeammateResponse.type` in core-api.json of
 * https://github.com/frontapp/front-api-specs); clients must filter on `type`.
 */
function csatBot(base: string) {
  return {
    ...teammateBody(base, { id: 'csat', name: 'CSAT', email: 'csat@bots.frontapp.test' }),
    type: 'csat',
  };
}

function conversationBody(base: string, ctx: EmulatorContext, c: DatasetConversation) {
  const id = conversationId(c.id);
  const agent = c.assigneeId === null ? undefined : agentsOf(ctx).get(c.assigneeId);
  // [emulator] A snoozed conversation's reminder fires one day after the dataset's `now`.
  const reminders = isSnoozed(c)
    ? [
        {
          _links: { related: { owner: `${base}/teammates/${teammateId(c.assigneeId ?? 'csat')}` } },
          created_at: frontTime(c.updatedAt),
          scheduled_at: frontTime(ctx.dataset.now + 86_400_000),
          updated_at: frontTime(c.updatedAt),
        },
      ]
    : [];
  return {
    _links: {
      self: `${base}/conversations/${id}`,
      related: {
        events: `${base}/conversations/${id}/events`,
        followers: `${base}/conversations/${id}/followers`,
        messages: `${base}/conversations/${id}/messages`,
        comments: `${base}/conversations/${id}/comments`,
        inboxes: `${base}/conversations/${id}/inboxes`,
      },
    },
    id,
    type: 'conversation',
    subject: `Conversation ${c.id}`,
    status: frontStatus(c),
    ticket_ids: [],
    assignee: agent ? teammateBody(base, agent) : null,
    recipient: {
      _links: { related: { contact: null } },
      name: null,
      handle: `customer-${c.id}@example.test`,
      role: 'from',
    },
    tags: [],
    links: [],
    custom_fields: {},
    created_at: frontTime(c.createdAt),
    updated_at: frontTime(c.updatedAt),
    is_private: false,
    scheduled_reminders: reminders,
    metadata: {},
  };
}

const agentMaps = new WeakMap<object, Map<string, DatasetAgent>>();
function agentsOf(ctx: EmulatorContext): Map<string, DatasetAgent> {
  let map = agentMaps.get(ctx.dataset);
  if (map === undefined)
    agentMaps.set(ctx.dataset, (map = new Map(ctx.dataset.agents.map((a) => [a.id, a]))));
  return map;
}

/** Most recently updated first, as `GET /conversations` documents. */
function byUpdatedDesc(a: DatasetConversation, b: DatasetConversation): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function parseLimit(raw: string | undefined): number | null {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT ? n : null;
}

/** [emulator] Page tokens are opaque offsets; `next` embeds the original query like Front's links. */
function page<T>(
  c: Context,
  items: readonly T[],
  limit: number,
): { results: T[]; next: string | null } | null {
  const token = c.req.query('page_token');
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) return null;
  const results = items.slice(offset, offset + limit);
  if (offset + limit >= items.length) return { results, next: null };
  const url = new URL(c.req.url);
  url.searchParams.set('page_token', Buffer.from(String(offset + limit)).toString('base64url'));
  return { results, next: url.toString() };
}

const LIST_STATUSES = ['assigned', 'unassigned', 'archived', 'trashed'] as const;

/**
 * `q[statuses]` in both the `q[statuses]=a&q[statuses]=b` form (https://dev.frontapp.com/docs/query-object-q) and
 * the `q[statuses][]=a` form third-party clients send.
 */
function statusesQuery(c: Context): string[] {
  return [...(c.req.queries('q[statuses]') ?? []), ...(c.req.queries('q[statuses][]') ?? [])];
}

function matchesListStatus(conv: DatasetConversation, statuses: readonly string[]): boolean {
  const status = frontStatus(conv);
  return statuses.some((s) => (s === 'trashed' ? status === 'deleted' : s === status));
}

/** The `is:` filters of https://dev.frontapp.com/docs/search-1 this emulator understands. */
const SEARCH_FILTERS: Record<string, (c: DatasetConversation) => boolean> = {
  'is:open': (c) => frontStatus(c) === 'assigned' || frontStatus(c) === 'unassigned',
  'is:archived': (c) => frontStatus(c) === 'archived',
  'is:snoozed': isSnoozed,
  'is:assigned': (c) => !c.spam && c.assigneeId !== null,
  'is:unassigned': (c) => !c.spam && c.assigneeId === null,
  'is:trashed': (c) => c.spam,
};

export function mountFrontData(app: Hono, ctx: EmulatorContext): void {
  app.get(
    '/teammates',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      // `listOfTeammates` has no `_pagination`: one page
      // (core-api.json of https://github.com/frontapp/front-api-specs).
      return c.json({
        _links: { self: `${base}/teammates` },
        _results: [...ctx.dataset.agents.map((a) => teammateBody(base, a)), csatBot(base)],
      });
    }),
  );

  app.get(
    '/conversations',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      const limit = parseLimit(c.req.query('limit'));
      const statuses = statusesQuery(c);
      if (limit === null || statuses.some((s) => !(LIST_STATUSES as readonly string[]).includes(s))) {
        return frontError(c, 400, 'Bad Request', 'Invalid query parameters.');
      }
      const selected = ctx.dataset.conversations
        .filter((conv) =>
          statuses.length === 0 ? frontStatus(conv) !== 'deleted' : matchesListStatus(conv, statuses),
        )
        .sort(byUpdatedDesc);
      const paged = page(c, selected, limit);
      if (paged === null) return frontError(c, 400, 'Bad Request', 'Invalid page_token.');
      return c.json({
        _pagination: { next: paged.next },
        _links: { self: `${base}/conversations` },
        _results: paged.results.map((conv) => conversationBody(base, ctx, conv)),
      });
    }),
  );

  app.get(
    '/conversations/search/:query',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      const limit = parseLimit(c.req.query('limit'));
      const terms = (c.req.param('query') ?? '').trim().split(/\s+/);
      const filters = terms.map((t) => SEARCH_FILTERS[t.toLowerCase()]);
      if (limit === null || filters.some((f) => f === undefined)) {
        return frontError(c, 400, 'Bad Request', 'Unsupported search query.');
      }
      const selected = ctx.dataset.conversations
        .filter((conv) => filters.every((f) => f?.(conv) === true))
        .sort(byUpdatedDesc);
      const paged = page(c, selected, limit);
      if (paged === null) return frontError(c, 400, 'Bad Request', 'Invalid page_token.');
      return c.json({
        _pagination: { next: paged.next },
        _links: { self: `${base}/conversations/search/${encodeURIComponent(c.req.param('query') ?? '')}` },
        _total: selected.length,
        _results: paged.results.map((conv) => conversationBody(base, ctx, conv)),
      });
    }),
  );
}
