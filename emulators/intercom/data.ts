import type { Context, Hono } from 'hono';
import type { EmulatorContext } from '../shared/context.ts';
import { epochSeconds } from '../shared/context.ts';
import { takeRequest } from '../shared/rate-limit.ts';
import type { Dataset, DatasetAgent, DatasetConversation } from '../dataset/types.ts';
import { intercomError } from './errors.ts';
import { authenticateIntercom } from './identity.ts';

export const INTERCOM_SEARCH_PATH = '/conversations/search';
export const INTERCOM_ADMINS_PATH = '/admins';

// "The default is 20 results per page and maximum is 150" (spec 2.16, POST /conversations/search).
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 150;
// "There's a limit of max 2 nested filters" / "max 15 filters for each AND or OR group" (same page).
const MAX_NESTING = 2;
const MAX_GROUP_SIZE = 15;

/** Intercom admin ids are numeric strings (`"991267466"`); the dataset's `a001` maps to one stably. */
export function intercomAdminId(agentId: string): string {
  const digits = /(\d+)$/.exec(agentId)?.[1];
  if (digits === undefined) throw new Error(`intercom emulator: agent id ${agentId} has no number`);
  return String(991_200_000 + Number(digits));
}

/** Conversation ids are numeric strings too (`"515"`). */
export function intercomConversationId(conversationId: string): string {
  const digits = /(\d+)$/.exec(conversationId)?.[1];
  if (digits === undefined)
    throw new Error(`intercom emulator: conversation id ${conversationId} has no number`);
  return String(Number(digits));
}

/**
 * Spam and deleted conversations are not served: Intercom deletes conversations for good
 * (DELETE /conversations/{id}), and blocking a spammer archives their conversations out of the inbox
 * (https://www.intercom.com/help/en/articles/8838656-inbox-faqs). **[emulator]** whether archived spam still shows
 * in search is undocumented; the emulator leaves it out, as the metrics definitions do.
 */
export function servedConversations(dataset: Dataset): DatasetConversation[] {
  return dataset.conversations.filter((c) => !c.spam);
}

const sec = (ms: number | null): number | null => (ms === null ? null : epochSeconds(ms));

/** Small stable hash so per-conversation emulator choices (AI involvement, request time) are reproducible. */
function hashOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * When the last admin part was written. The dataset knows only the first reply and the number of replies; with two
 * or more the last one is later than the first **[emulator]**, so `first_admin_reply_at == last_admin_reply_at`
 * exactly when one admin replied.
 */
function lastAdminReplyAt(c: DatasetConversation, now: number): number | null {
  if (c.firstAgentReplyAt === null || c.agentReplies === 0) return null;
  if (c.agentReplies === 1) return c.firstAgentReplyAt;
  const candidates = [c.closedAt, c.updatedAt].filter(
    (t): t is number => t !== null && t > c.firstAgentReplyAt! && t <= now,
  );
  return candidates[0] ?? c.firstAgentReplyAt + 1000;
}

/** When the rating was requested: at the close, or just before the reply when that is unknown **[emulator]**. */
function ratingRequestedAt(c: DatasetConversation, ratedAt: number): number {
  if (c.closedAt !== null && c.closedAt <= ratedAt && c.closedAt >= c.createdAt) return c.closedAt;
  return Math.max(c.createdAt, ratedAt - 60_000);
}

interface Derived {
  conversation: DatasetConversation;
  lastAdminReplyAt: number | null;
  ratingRequestedAt: number | null;
  aiParticipated: boolean;
  resolutionState: string | null;
}

/**
 * Fin's part in a conversation (`ai_agent_participated`, `ai_agent.resolution_state`): Fin resolved the
 * AI-resolved ones; a share of the rest had Fin hand over (escalated) first **[emulator]**.
 */
export function intercomAiAgent(c: DatasetConversation): {
  participated: boolean;
  resolutionState: 'confirmed_resolution' | 'assumed_resolution' | 'escalated' | null;
} {
  const h = hashOf(c.id);
  const participated = c.aiResolved || h % 5 === 0;
  if (c.aiResolved)
    return { participated, resolutionState: h % 2 === 0 ? 'confirmed_resolution' : 'assumed_resolution' };
  return { participated, resolutionState: participated && c.agentReplies > 0 ? 'escalated' : null };
}

function derive(c: DatasetConversation, now: number): Derived {
  const ai = intercomAiAgent(c);
  return {
    conversation: c,
    lastAdminReplyAt: lastAdminReplyAt(c, now),
    ratingRequestedAt: c.rating ? ratingRequestedAt(c, c.rating.ratedAt) : null,
    aiParticipated: ai.participated,
    resolutionState: ai.resolutionState,
  };
}

type FieldValue = string | number | boolean | null;
type FieldKind = 'date' | 'integer' | 'string' | 'boolean';

/** The searchable fields this emulator implements (the "Accepted Fields" table of POST /conversations/search). */
const FIELDS: Record<string, { kind: FieldKind; get: (d: Derived) => FieldValue }> = {
  id: { kind: 'string', get: (d) => intercomConversationId(d.conversation.id) },
  created_at: { kind: 'date', get: (d) => sec(d.conversation.createdAt) },
  updated_at: { kind: 'date', get: (d) => sec(d.conversation.updatedAt) },
  state: { kind: 'string', get: (d) => d.conversation.status },
  open: { kind: 'boolean', get: (d) => d.conversation.status !== 'closed' },
  admin_assignee_id: {
    kind: 'integer',
    get: (d) => (d.conversation.assigneeId === null ? 0 : Number(intercomAdminId(d.conversation.assigneeId))),
  },
  'statistics.first_admin_reply_at': { kind: 'date', get: (d) => sec(d.conversation.firstAgentReplyAt) },
  'statistics.last_admin_reply_at': { kind: 'date', get: (d) => sec(d.lastAdminReplyAt) },
  'statistics.last_close_at': { kind: 'date', get: (d) => sec(d.conversation.closedAt) },
  'statistics.count_reopens': { kind: 'integer', get: (d) => d.conversation.reopens },
  'conversation_rating.score': { kind: 'integer', get: (d) => d.conversation.rating?.score ?? null },
  'conversation_rating.replied_at': { kind: 'date', get: (d) => sec(d.conversation.rating?.ratedAt ?? null) },
  'conversation_rating.requested_at': { kind: 'date', get: (d) => sec(d.ratingRequestedAt) },
  ai_agent_participated: { kind: 'boolean', get: (d) => d.aiParticipated },
  'ai_agent.resolution_state': { kind: 'string', get: (d) => d.resolutionState },
};

// Operators per type: the "Accepted Operators" table, with the shared schema's rule that date fields take only
// `=`, `<`, `>` (single_filter_search_request, spec 2.16).
const OPERATORS: Record<FieldKind, Set<string>> = {
  date: new Set(['=', '<', '>']),
  integer: new Set(['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>=']),
  string: new Set(['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$']),
  boolean: new Set(['=', '!=', 'IN', 'NIN']),
};

type Predicate = (d: Derived) => boolean;
class QueryError extends Error {}

function coerce(kind: FieldKind, raw: unknown): FieldValue {
  // Dates are UNIX seconds, as a number or a string (the spec's own example sends "1306054154").
  if (kind === 'date' || kind === 'integer') {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw new QueryError(`${String(raw)} is not an integer`);
    return n;
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new QueryError(`${String(raw)} is not a boolean`);
  }
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  throw new QueryError(`${String(raw)} is not a string`);
}

function compileFilter(f: Record<string, unknown>): Predicate {
  const { field, operator, value } = f;
  if (typeof field !== 'string' || typeof operator !== 'string')
    throw new QueryError('filter needs field and operator');
  const spec = FIELDS[field];
  if (!spec) throw new QueryError(`${field} is not a searchable field`);
  if (!OPERATORS[spec.kind].has(operator))
    throw new QueryError(`operator ${operator} is not valid for ${field}`);
  if (operator === 'IN' || operator === 'NIN') {
    if (!Array.isArray(value)) throw new QueryError(`${operator} needs an array value`);
    const set = new Set(value.map((v) => coerce(spec.kind, v)));
    return operator === 'IN' ? (d) => set.has(spec.get(d)) : (d) => !set.has(spec.get(d));
  }
  const v = coerce(spec.kind, value);
  const get = spec.get;
  const num = (d: Derived): number | null => {
    const x = get(d);
    return typeof x === 'number' ? x : null;
  };
  const str = (d: Derived): string | null => {
    const x = get(d);
    return typeof x === 'string' ? x : null;
  };
  switch (operator) {
    case '=':
      return (d) => get(d) === v;
    case '!=':
      return (d) => get(d) !== v;
    // The table reads "Greater (or equal) than"; the emulator compares strictly (as Nango and Airbyte rely on),
    // so clients must not depend on either reading at a boundary second.
    case '>':
      return (d) => (num(d) ?? -Infinity) > (v as number);
    case '<':
      return (d) => {
        const x = num(d);
        return x !== null && x < (v as number);
      };
    case '>=':
      return (d) => (num(d) ?? -Infinity) >= (v as number);
    case '<=':
      return (d) => {
        const x = num(d);
        return x !== null && x <= (v as number);
      };
    case '~':
      return (d) => str(d)?.includes(v as string) ?? false;
    case '!~':
      return (d) => !(str(d)?.includes(v as string) ?? false);
    case '^':
      return (d) => str(d)?.startsWith(v as string) ?? false;
    default:
      return (d) => str(d)?.endsWith(v as string) ?? false;
  }
}

function compileQuery(q: unknown, depth = 0): Predicate {
  if (typeof q !== 'object' || q === null || Array.isArray(q))
    throw new QueryError('query must be an object');
  const node = q as Record<string, unknown>;
  if (node.operator === 'AND' || node.operator === 'OR') {
    if (depth >= MAX_NESTING) throw new QueryError(`more than ${MAX_NESTING} levels of nested filters`);
    if (!Array.isArray(node.value) || node.value.length === 0) throw new QueryError('AND/OR needs filters');
    if (node.value.length > MAX_GROUP_SIZE)
      throw new QueryError(`more than ${MAX_GROUP_SIZE} filters in a group`);
    const parts = node.value.map((v) => compileQuery(v, depth + 1));
    return node.operator === 'AND' ? (d) => parts.every((p) => p(d)) : (d) => parts.some((p) => p(d));
  }
  return compileFilter(node);
}

/** Opaque cursor: the position after the last served item, tied to the query it came from **[emulator]**. */
function encodeCursor(offset: number, queryKey: string): string {
  return Buffer.from(JSON.stringify([offset, hashOf(queryKey)])).toString('base64');
}

function decodeCursor(cursor: string, queryKey: string): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString());
    if (Array.isArray(parsed) && Number.isInteger(parsed[0]) && parsed[1] === hashOf(queryKey)) {
      return parsed[0] as number;
    }
  } catch {
    return null;
  }
  return null;
}

/** `conversation_list_item` of the spec (2.16), from one dataset conversation. */
function toListItem(d: Derived, now: number): Record<string, unknown> {
  const c = d.conversation;
  const adminId = c.assigneeId === null ? null : intercomAdminId(c.assigneeId);
  const id = intercomConversationId(c.id);
  const contactId = `6762f14a${id.padStart(16, '0')}`;
  return {
    type: 'conversation',
    id,
    title: null,
    created_at: epochSeconds(c.createdAt),
    updated_at: epochSeconds(c.updatedAt),
    waiting_since: c.status !== 'closed' && c.firstAgentReplyAt === null ? epochSeconds(c.createdAt) : null,
    // Snoozed conversations wake up later; the dataset does not say when, so: a day after `now` **[emulator]**.
    snoozed_until: c.status === 'snoozed' ? epochSeconds(now) + 86_400 : null,
    open: c.status !== 'closed',
    state: c.status,
    read: true,
    priority: 'none',
    // "If it's not assigned to an admin it will return 0" (spec 2.16, conversation_list_item).
    admin_assignee_id: adminId === null ? 0 : Number(adminId),
    team_assignee_id: 0,
    tags: { type: 'tag.list', tags: [] },
    conversation_rating:
      c.rating === null
        ? null
        : {
            rating: c.rating.score,
            remark: '',
            created_at: sec(d.ratingRequestedAt),
            updated_at: epochSeconds(c.rating.ratedAt),
            contact: { type: 'contact', id: contactId, external_id: null },
            teammate: adminId === null ? null : { type: 'admin', id: adminId },
          },
    source: {
      type: 'conversation',
      id: `40${id}`,
      delivered_as: 'customer_initiated',
      subject: '',
      body: '',
      author: { type: 'user', id: contactId, name: null, email: null },
      attachments: [],
      url: null,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contactId, external_id: null }] },
    teammates: {
      type: 'admin.list',
      teammates: adminId !== null && c.agentReplies > 0 ? [{ type: 'admin', id: adminId }] : [],
    },
    custom_attributes: {},
    first_contact_reply: { created_at: epochSeconds(c.createdAt), type: 'conversation', url: null },
    sla_applied: null,
    statistics: {
      type: 'conversation_statistics',
      first_contact_reply_at: epochSeconds(c.createdAt),
      first_admin_reply_at: sec(c.firstAgentReplyAt),
      last_admin_reply_at: sec(d.lastAdminReplyAt),
      last_close_at: sec(c.closedAt),
      last_closed_by_id: c.closedAt !== null && !c.aiResolved ? adminId : null,
      count_reopens: c.reopens,
      count_assignments: adminId === null ? 0 : 1,
      // Opening message + admin replies + one part per close and reopen **[emulator]**.
      count_conversation_parts: 1 + c.agentReplies + (c.closedAt === null ? 0 : 1) + 2 * c.reopens,
    },
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: d.aiParticipated,
    ai_agent: d.aiParticipated
      ? {
          source_type: 'workflow',
          source_title: 'Fin',
          last_answer_type: d.resolutionState === null ? null : 'ai_answer',
          resolution_state: d.resolutionState,
          rating: null,
          rating_remark: null,
          created_at: null,
          updated_at: null,
          content_sources: { type: 'content_source.list', total_count: 0, content_sources: [] },
        }
      : null,
  };
}

function adminOf(agent: DatasetAgent): Record<string, unknown> {
  return {
    type: 'admin',
    id: intercomAdminId(agent.id),
    name: agent.name,
    email: agent.email,
    job_title: null,
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: [],
  };
}

/**
 * Gate shared by the data endpoints: authentication as `GET /me` does it, then the rate limit
 * (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting), then `failDataNext`.
 */
function gate(c: Context, ctx: EmulatorContext): Response | null {
  const found = authenticateIntercom(c, ctx);
  if (!found.ok) return found.response;
  const decision = takeRequest(ctx);
  if (Number.isFinite(decision.limit)) {
    c.header('X-RateLimit-Limit', String(decision.limit));
    c.header('X-RateLimit-Remaining', String(decision.remaining));
    // "X-RateLimit-Reset: Time when rate limit will be reset" as a UNIX timestamp (seconds).
    c.header('X-RateLimit-Reset', String(Math.ceil(decision.resetAt / 1000)));
  }
  if (!decision.allowed) {
    const windowSeconds = Math.round((ctx.knobs.rateLimit?.windowMs ?? 0) / 1000);
    // Message as Intercom words it (https://github.com/intercom/intercom-ruby/issues/475).
    return intercomError(
      c,
      429,
      'rate_limit_exceeded',
      `Exceeded rate limit of ${decision.limit} in ${windowSeconds}_seconds`,
    );
  }
  if (ctx.knobs.failDataNext > 0) {
    ctx.knobs.failDataNext -= 1;
    return intercomError(c, 500, 'server_error', 'Server Error');
  }
  return null;
}

export function mountIntercomData(app: Hono, ctx: EmulatorContext): void {
  // The dataset is fixed for an emulator's life; derive the per-conversation choices once.
  let derived: Derived[] | null = null;
  const all = (): Derived[] =>
    (derived ??= servedConversations(ctx.dataset).map((c) => derive(c, ctx.dataset.now)));
  // Paging a search re-sends the same query; match it once rather than once per page (the data never changes).
  const matchCache = new Map<string, Derived[]>();
  const matching = (queryKey: string, predicate: Predicate): Derived[] => {
    let hit = matchCache.get(queryKey);
    if (!hit) {
      if (matchCache.size >= 16) matchCache.clear();
      hit = all().filter(predicate);
      matchCache.set(queryKey, hit);
    }
    return hit;
  };

  app.get(INTERCOM_ADMINS_PATH, (c) => {
    const blocked = gate(c, ctx);
    if (blocked) return blocked;
    return c.json({ type: 'admin.list', admins: ctx.dataset.agents.map(adminOf) });
  });

  app.post(INTERCOM_SEARCH_PATH, async (c) => {
    const blocked = gate(c, ctx);
    if (blocked) return blocked;
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || !('query' in body)) {
      return intercomError(c, 400, 'parameter_not_found', 'query parameter is required');
    }
    const { query, pagination } = body as { query: unknown; pagination?: unknown };
    let predicate: Predicate;
    try {
      predicate = compileQuery(query);
    } catch (e) {
      if (e instanceof QueryError) return intercomError(c, 400, 'parameter_invalid', e.message);
      throw e;
    }
    const paging = (pagination ?? {}) as { per_page?: unknown; starting_after?: unknown };
    const perPage = paging.per_page ?? DEFAULT_PER_PAGE;
    if (typeof perPage !== 'number' || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
      return intercomError(c, 400, 'parameter_invalid', `per_page must be between 1 and ${MAX_PER_PAGE}`);
    }
    const queryKey = JSON.stringify(query);
    let offset = 0;
    if (paging.starting_after !== undefined && paging.starting_after !== null) {
      const decoded =
        typeof paging.starting_after === 'string' ? decodeCursor(paging.starting_after, queryKey) : null;
      if (decoded === null) return intercomError(c, 400, 'parameter_invalid', 'starting_after is invalid');
      offset = decoded;
    }
    const matches = matching(queryKey, predicate);
    const page = matches.slice(offset, offset + perPage);
    const end = offset + page.length;
    const totalPages = Math.ceil(matches.length / perPage);
    return c.json({
      type: 'conversation.list',
      conversations: page.map((d) => toListItem(d, ctx.dataset.now)),
      total_count: matches.length,
      pages: {
        type: 'pages',
        page: Math.floor(offset / perPage) + 1,
        per_page: perPage,
        total_pages: totalPages,
        ...(end < matches.length
          ? { next: { per_page: perPage, starting_after: encodeCursor(end, queryKey) } }
          : {}),
      },
    });
  });
}
