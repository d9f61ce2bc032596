import { completedWeeks } from '../../lib/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import type {
  AdapterContext,
  AgentMetrics,
  MetricValues,
  MetricsAdapter,
  MetricsRequest,
  MetricsSnapshot,
  NotMeasured,
  WeekMetrics,
} from '../metrics-types.ts';
import type { ProviderError } from '../types.ts';
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

const DAY_MS = 86_400_000;
// "The default is 20 results per page and maximum is 150" (POST /conversations/search, spec 2.16):
// https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/
export const INTERCOM_PAGE_SIZE = 150;
// A cursor that never ends is a provider bug; stop rather than loop forever.
const MAX_PAGES = 100_000;

/** The words docs/metrics.md and the ground truth use, so every provider reports the same reasons. */
const NOT_MEASURED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  noRatings: 'no ratings in the window',
  noFirstResponse: 'no conversation created in the window got a human reply',
  noneClosed: 'no conversation closed in the window',
  pointInTime: 'point-in-time metric: not reconstructible for past weeks',
} as const;

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

/** A conversation in the terms of docs/metrics.md, times in epoch ms. */
interface Conversation {
  createdAt: number;
  isOpen: boolean;
  isClosed: boolean;
  assigneeId: string | null;
  firstReplyAt: number | null;
  /** Exactly one admin reply: the first admin reply is also the last one. */
  hasOneReply: boolean;
  lastCloseAt: number | null;
  reopens: number;
  rating: { score: number; at: number } | null;
  /** Closed by Fin with no human reply. */
  isAiResolved: boolean;
}

const ms = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : seconds * 1000;

function normalise(c: IntercomConversation): Conversation {
  const stats = c.statistics;
  const firstReplyAt = ms(stats?.first_admin_reply_at);
  const lastReplyAt = ms(stats?.last_admin_reply_at);
  const rating = c.conversation_rating;
  const ratedAt = ms(rating?.updated_at);
  return {
    createdAt: c.created_at * 1000,
    isOpen: c.state !== 'closed',
    isClosed: c.state === 'closed',
    assigneeId: c.admin_assignee_id ? String(c.admin_assignee_id) : null,
    firstReplyAt,
    // `last_admin_reply_at` is "the last conversation part from an admin": equal to the first reply iff one.
    hasOneReply: firstReplyAt !== null && lastReplyAt === firstReplyAt,
    lastCloseAt: ms(stats?.last_close_at),
    reopens: stats?.count_reopens ?? 0,
    rating:
      rating?.rating !== null && rating?.rating !== undefined && ratedAt !== null
        ? { score: rating.rating, at: ratedAt }
        : null,
    isAiResolved:
      c.ai_agent_participated &&
      AI_RESOLVED_STATES.has(c.ai_agent?.resolution_state ?? '') &&
      firstReplyAt === null,
  };
}

interface Range {
  from: number;
  to: number;
}

const inRange = (t: number | null, r: Range): t is number => t !== null && t >= r.from && t < r.to;

function median(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2] as number;
  return ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

function p90(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.ceil(0.9 * n) - 1] as number;
}

function firstResponseSeconds(conversations: readonly Conversation[]): Float64Array {
  const values: number[] = [];
  for (const c of conversations) {
    if (c.firstReplyAt !== null) values.push((c.firstReplyAt - c.createdAt) / 1000);
  }
  return Float64Array.from(values).sort();
}

function csatOf(conversations: readonly Conversation[], range: Range) {
  let responses = 0;
  let positive = 0;
  let scoreSum = 0;
  for (const c of conversations) {
    if (c.rating === null || !inRange(c.rating.at, range)) continue;
    responses++;
    scoreSum += c.rating.score;
    // Positive = 4–5 of 5 stars (docs/metrics.md).
    if (c.rating.score >= 4) positive++;
  }
  return { percent: responses === 0 ? null : (100 * positive) / responses, responses, scoreSum };
}

function windowed(
  conversations: readonly Conversation[],
  range: Range,
  ratingRange: Range,
): { values: MetricValues; notMeasured: NotMeasured } {
  const notMeasured: NotMeasured = { utilisation: NOT_MEASURED.utilisation };
  const created = conversations.filter((c) => inRange(c.createdAt, range));

  const csat = csatOf(conversations, ratingRange);
  if (csat.responses === 0) {
    notMeasured.csat = NOT_MEASURED.noRatings;
    notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
  }

  const replySeconds = firstResponseSeconds(created);
  if (replySeconds.length === 0) {
    notMeasured.firstResponseSeconds = NOT_MEASURED.noFirstResponse;
    notMeasured.firstResponseP90Seconds = NOT_MEASURED.noFirstResponse;
  }

  // Closed in the window and still closed now: `last_close_at` of a conversation whose state is closed.
  const resolved = conversations.filter((c) => c.isClosed && inRange(c.lastCloseAt, range));
  let oneTouch = 0;
  let aiResolved = 0;
  for (const c of resolved) {
    if (c.hasOneReply && c.reopens === 0) oneTouch++;
    if (c.isAiResolved) aiResolved++;
  }
  if (resolved.length === 0) {
    notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
    notMeasured.deflectionRate = NOT_MEASURED.noneClosed;
  }

  return {
    values: {
      weeklyVolume: created.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      csatMeanScore: csat.responses === 0 ? null : csat.scoreSum / csat.responses,
      firstResponseSeconds: median(replySeconds),
      firstResponseP90Seconds: p90(replySeconds),
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: resolved.length === 0 ? null : (100 * oneTouch) / resolved.length,
      deflectionRate: resolved.length === 0 ? null : (100 * aiResolved) / resolved.length,
      utilisation: null,
    },
    notMeasured,
  };
}

function agentRows(
  conversations: readonly Conversation[],
  admins: readonly IntercomAdmin[],
  now: number,
): AgentMetrics[] {
  const week: Range = { from: now - 7 * DAY_MS, to: now };
  const month: Range = { from: now - 30 * DAY_MS, to: now };
  const byAgent = new Map<string, Conversation[]>();
  for (const c of conversations) {
    if (c.assigneeId === null) continue;
    let list = byAgent.get(c.assigneeId);
    if (list === undefined) byAgent.set(c.assigneeId, (list = []));
    list.push(c);
  }
  const names = new Map(admins.map((a) => [a.id, a.name]));
  const rows: AgentMetrics[] = [];
  for (const [agentId, assigned] of byAgent) {
    if (!assigned.some((c) => inRange(c.createdAt, month))) continue;
    const recent = assigned.filter((c) => inRange(c.createdAt, week));
    const csat = csatOf(assigned, month);
    rows.push({
      agentId,
      // An admin removed from the workspace is no longer listed: show the id rather than drop the row.
      name: names.get(agentId) ?? agentId,
      tickets: recent.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      firstResponseSeconds: median(firstResponseSeconds(recent)),
    });
  }
  return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

export function toSnapshot(raw: IntercomMetricsRaw, req: MetricsRequest): MetricsSnapshot {
  const now = req.now.getTime();
  const conversations = raw.conversations.map(normalise);
  const from = now - 7 * DAY_MS;
  const csatFrom = now - 30 * DAY_MS;

  const current = windowed(conversations, { from, to: now }, { from: csatFrom, to: now });
  let openNow = 0;
  let oldestOpen = Infinity;
  for (const c of conversations) {
    if (!c.isOpen) continue;
    openNow++;
    oldestOpen = Math.min(oldestOpen, c.createdAt);
  }
  current.values.openNow = openNow;
  current.values.backlogAgeDays = openNow === 0 ? 0 : Math.floor((now - oldestOpen) / DAY_MS);

  const weeks: WeekMetrics[] = completedWeeks(req.now, req.timezone, req.historyWeeks).map((week) => {
    const range = { from: week.start.getTime(), to: week.end.getTime() };
    const { values, notMeasured } = windowed(conversations, range, range);
    notMeasured.openNow = NOT_MEASURED.pointInTime;
    notMeasured.backlogAgeDays = NOT_MEASURED.pointInTime;
    return { weekStart: week.label, values, notMeasured };
  });

  return {
    measuredAt: req.now.toISOString(),
    window: {
      from: new Date(from).toISOString(),
      to: req.now.toISOString(),
      csatFrom: new Date(csatFrom).toISOString(),
    },
    current: current.values,
    notMeasured: current.notMeasured,
    agents: agentRows(conversations, raw.admins, now),
    weeks,
  };
}

export const intercomMetrics: MetricsAdapter<IntercomMetricsRaw> = {
  fetch: fetchRaw,
  toSnapshot,
};
