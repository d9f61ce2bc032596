import { completedWeeks } from '../../metrics/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import {
  computeSnapshot,
  DAY_MS,
  openStateOf,
  type ConversationFacts,
  type RatingFact,
} from '../../metrics/calculator.ts';
import type { AdapterContext, MetricsAdapter, ProviderError } from '../types.ts';
import type { MetricsRequest, MetricsSnapshot } from '../../metrics/types.ts';
import { INTERCOM_VERSION } from './auth.ts';
import {
  IntercomAdminListSchema,
  IntercomConversationListSchema,
  type IntercomAdmin,
  type IntercomConversation,
} from './schemas.ts';

/*
 * Intercom metrics (definitions: docs/metrics.md; mapping and call plan: docs/metrics/intercom.md). One
 * `POST /conversations/search` paged at 150 brings every conversation any metric needs, plus one `GET /admins` for
 * names. Floating-point expressions follow emulators/dataset/ground-truth.ts so results are bit-identical.
 */

// "The default is 20 results per page and maximum is 150" (POST /conversations/search, spec 2.16):
// https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/
export const INTERCOM_PAGE_SIZE = 150;
// A cursor that never ends is a provider bug; stop rather than loop forever.
const MAX_PAGES = 100_000;

// Fin's resolution states that mean "resolved by the AI agent" (`ai_agent.resolution_state`, spec 2.16;
// https://www.intercom.com/help/en/articles/7022438-reporting-metrics-attributes).
const AI_RESOLVED_STATES = new Set(['assumed_resolution', 'confirmed_resolution']);

export interface IntercomMetricsRaw {
  conversations: IntercomConversation[];
  admins: IntercomAdmin[];
}

const headers = { 'Intercom-Version': INTERCOM_VERSION };

/** The earliest instant any requested window starts at: the 30-day CSAT window or the oldest history week. */
export function oldestWindowStart(req: MetricsRequest): number {
  const monthStart = req.now.getTime() - 30 * DAY_MS;
  const oldestWeek = completedWeeks(req.now, req.timezone, req.historyWeeks)[0];
  return oldestWeek === undefined ? monthStart : Math.min(monthStart, oldestWeek.start.getTime());
}

/**
 * The one search the metrics need: conversations created, last closed or rated since `since`, or open now.
 * Date fields take only `=`, `<`, `>`, and the docs read `>` as "Greater (or equal)" while the schema reads it as
 * strict (single_filter_search_request, spec 2.16); asking for `> since − 1 s` covers `since` under both
 * readings, and toSnapshot filters exact bounds.
 */
export function intercomSearchQuery(since: number): Record<string, unknown> {
  const after = Math.floor(since / 1000) - 1;
  return {
    operator: 'OR',
    value: [
      { field: 'created_at', operator: '>', value: after },
      { field: 'statistics.last_close_at', operator: '>', value: after },
      { field: 'conversation_rating.replied_at', operator: '>', value: after },
      // Open now (openNow, backlogAgeDays) whatever their age; snoozed counts as open (docs/metrics.md).
      { field: 'state', operator: 'IN', value: ['open', 'snoozed'] },
    ],
  };
}

async function fetchRaw(
  ctx: AdapterContext,
  req: MetricsRequest,
): Promise<Result<IntercomMetricsRaw, ProviderError>> {
  const base = ctx.endpoints.apiBaseUrl;
  const admins = await callProvider(ctx, {
    url: `${base}/admins`,
    credential: ctx.credential,
    headers,
    schema: IntercomAdminListSchema,
  });
  if (!admins.ok) return admins;

  const query = intercomSearchQuery(oldestWindowStart(req));
  const byId = new Map<string, IntercomConversation>();
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      return err({ code: 'unexpected_response', detail: 'search pagination never ended' });
    // Search pagination goes in the body; `starting_after` in the URL is ignored:
    // https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/#example-search-conversations-request
    const r = await callProvider(ctx, {
      method: 'POST',
      url: `${base}/conversations/search`,
      credential: ctx.credential,
      headers,
      json: {
        query,
        pagination: {
          per_page: INTERCOM_PAGE_SIZE,
          ...(cursor === undefined ? {} : { starting_after: cursor }),
        },
      },
      schema: IntercomConversationListSchema,
    });
    if (!r.ok) return r;
    // A page boundary can shift while we read: keep the latest copy of each conversation.
    for (const c of r.value.conversations) byId.set(c.id, c);
    ctx.onProgress?.({ done: byId.size, total: r.value.total_count });
    const next = r.value.pages?.next?.starting_after ?? undefined;
    if (next === undefined) break;
    if (seen.has(next)) return err({ code: 'unexpected_response', detail: 'search returned a cursor twice' });
    seen.add(next);
    cursor = next;
  }
  return ok({ conversations: [...byId.values()], admins: admins.value.admins });
}

const ms = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : seconds * 1000;

/** The conversation's facts and, when it was rated, its rating (Intercom keeps one per conversation). */
function factsOf(c: IntercomConversation): { conversation: ConversationFacts; rating: RatingFact | null } {
  const stats = c.statistics;
  const firstReplyAt = ms(stats?.first_admin_reply_at);
  const lastReplyAt = ms(stats?.last_admin_reply_at);
  const assigneeId = c.admin_assignee_id ? String(c.admin_assignee_id) : null;
  const rating = c.conversation_rating;
  const ratedAt = ms(rating?.updated_at);
  return {
    conversation: {
      createdAt: c.created_at * 1000,
      assigneeId,
      firstReplyAt,
      // Closed in the window and still closed now: `last_close_at` of a conversation whose state is closed.
      closedNowAt: c.state === 'closed' ? ms(stats?.last_close_at) : null,
      // `last_admin_reply_at` is "the last conversation part from an admin": equal to the first reply iff one.
      oneTouch: firstReplyAt !== null && lastReplyAt === firstReplyAt && (stats?.count_reopens ?? 0) === 0,
      aiResolved:
        c.ai_agent_participated &&
        AI_RESOLVED_STATES.has(c.ai_agent?.resolution_state ?? '') &&
        firstReplyAt === null,
    },
    rating:
      rating?.rating !== null && rating?.rating !== undefined && ratedAt !== null
        ? // Positive = 4–5 of 5 stars (docs/metrics.md).
          { at: ratedAt, positive: rating.rating >= 4, score: rating.rating, assigneeId }
        : null,
  };
}

export function toSnapshot(raw: IntercomMetricsRaw, req: MetricsRequest): MetricsSnapshot {
  const facts = raw.conversations.map(factsOf);
  return computeSnapshot(
    {
      conversations: facts.map((f) => f.conversation),
      // One rating per conversation at most.
      ratings: facts.flatMap((f) => (f.rating === null ? [] : [f.rating])),
      // Open + snoozed (docs/metrics.md).
      open: openStateOf(
        raw.conversations.filter((c) => c.state !== 'closed').map((c) => c.created_at * 1000),
      ),
      // An admin removed from the workspace is no longer listed: computeSnapshot shows the id instead.
      agents: raw.admins,
    },
    req,
    { csatMeanScore: true, deflectionRate: true },
  );
}

export const intercomMetrics: MetricsAdapter<IntercomMetricsRaw> = {
  // 10,000 calls/min per app, 25,000 per workspace (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting);
  // a refresh is ~1 search call per 150 conversations, so every 5 minutes is well inside it.
  minRefreshIntervalMinutes: 5,
  fetch: fetchRaw,
  toSnapshot,
};
