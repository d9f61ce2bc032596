import type { z } from 'zod';
import { completedWeeks } from '../../lib/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import type {
  AdapterContext,
  AgentMetrics,
  MetricsAdapter,
  MetricsRequest,
  MetricsSnapshot,
  MetricValues,
  NotMeasured,
  WeekMetrics,
} from '../metrics-types.ts';
import type { ProviderError } from '../types.ts';
import {
  ThreadsResponseSchema,
  UsersResponseSchema,
  type ThreadNode,
  type ThreadsPage,
  type UserNode,
  type UsersPage,
} from './schemas.ts';

/*
 * Plain metrics from raw threads (docs/metrics/plain.md). The Reporting API is not used: its FRT is charted by
 * reply time and counts from the first inbound message, its durations are minutes and its CSAT rating filter is
 * undocumented (https://www.plain.com/docs/graphql/reporting), so none of it equals docs/metrics.md exactly.
 */

const DAY_MS = 86_400_000;
// "default 25, max 100": team-plain/docs graphql/pagination.mdx
export const PLAIN_PAGE_SIZE = 100;

export const NOT_MEASURED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  deflectionUnsupported: 'the helpdesk does not report AI-resolved conversations',
  noRatings: 'no ratings in the window',
  noFirstResponse: 'no conversation created in the window got a human reply',
  noneClosed: 'no conversation closed in the window',
  pointInTime: 'point-in-time metric: not reconstructible for past weeks',
} as const;

export const THREADS_QUERY = `query DeskpulseThreads($filters: ThreadsFilter, $sortBy: ThreadsSort, $first: Int, $after: String) {
  threads(filters: $filters, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id
      status
      createdAt { iso8601 }
      statusChangedAt { iso8601 }
      assignedTo { __typename ... on User { id } }
      firstOutboundMessageInfo { timestamp { iso8601 } }
      lastOutboundMessageInfo { timestamp { iso8601 } }
      lastInboundMessageInfo { timestamp { iso8601 } }
      surveyResponse { rating respondedAt { iso8601 } }
    } }
  }
}`;

export const USERS_QUERY = `query DeskpulseUsers($first: Int, $after: String) {
  users(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName } }
  }
}`;

export interface PlainRaw {
  users: UserNode[];
  threads: ThreadNode[];
}

/** The earliest instant any requested window starts at: the 30-day CSAT window or the oldest history week. */
export function earliestWindowStart(req: MetricsRequest): number {
  const weeks = completedWeeks(req.now, req.timezone, req.historyWeeks);
  return Math.min(req.now.getTime() - 30 * DAY_MS, weeks[0]?.start.getTime() ?? Infinity);
}

/**
 * One paginated `threads` query for every thread any metric reads: created, rated or closed (DONE with its
 * last status change) since the earliest window, or open now. `isMarkedAsSpam: false` drops spam
 * (plain-schema.graphql `input ThreadsFilter`); deleted threads are never listed by `threads`.
 */
export function threadsFilter(req: MetricsRequest): Record<string, unknown> {
  const after = new Date(earliestWindowStart(req)).toISOString();
  return {
    isMarkedAsSpam: false,
    or: [
      { createdAt: { after } },
      { surveyResponse: { responseAt: { after } } },
      { statuses: ['DONE'], statusChangedAt: { after } },
      { statuses: ['TODO', 'SNOOZED'] },
    ],
  };
}

type GraphQLErrors =
  { message: string; extensions?: { code?: string | undefined } | undefined }[] | undefined;

/** GraphQL errors in a 200 body, by Plain's codes: https://www.plain.com/docs/graphql/error-handling */
function classifyErrors(errors: GraphQLErrors): ProviderError | null {
  const first = errors?.[0];
  if (!first) return null;
  const code = first.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
    return { code: 'unauthorized', detail: first.message };
  if (code === 'RATE_LIMITED') return { code: 'rate_limited', retryAfterMs: 60_000, detail: first.message };
  // "INTERNAL_SERVER_ERROR: retry" is the only retriable code.
  if (code === 'INTERNAL_SERVER_ERROR') return { code: 'upstream_unavailable', detail: first.message };
  return { code: 'unexpected_response', detail: first.message };
}

async function query<S extends z.ZodType<{ data?: unknown; errors?: GraphQLErrors }>>(
  ctx: AdapterContext,
  body: { query: string; variables: Record<string, unknown> },
  schema: S,
): Promise<Result<z.infer<S>, ProviderError>> {
  const r = await callProvider(ctx, {
    method: 'POST',
    url: ctx.endpoints.apiBaseUrl,
    credential: ctx.credential,
    json: body,
    schema,
  });
  if (!r.ok) return r;
  const failure = classifyErrors(r.value.errors);
  if (failure) return err(failure);
  if (r.value.data == null) return err({ code: 'unexpected_response', detail: 'no data in the response' });
  return r;
}

async function fetchPlain(
  ctx: AdapterContext,
  req: MetricsRequest,
): Promise<Result<PlainRaw, ProviderError>> {
  let done = 0;
  let total: number | undefined;
  const report = () => ctx.onProgress?.({ done, total });

  const users: UserNode[] = [];
  let after: string | null = null;
  do {
    const r: Result<z.infer<typeof UsersResponseSchema>, ProviderError> = await query(
      ctx,
      { query: USERS_QUERY, variables: { first: PLAIN_PAGE_SIZE, after } },
      UsersResponseSchema,
    );
    if (!r.ok) return r;
    const page: UsersPage | undefined = r.value.data?.users;
    if (!page) return err({ code: 'unexpected_response', detail: 'no users in the response' });
    users.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    done++;
    report();
  } while (after !== null);

  const threads: ThreadNode[] = [];
  const filters = threadsFilter(req);
  after = null;
  do {
    const r: Result<z.infer<typeof ThreadsResponseSchema>, ProviderError> = await query(
      ctx,
      {
        query: THREADS_QUERY,
        // Oldest first: a thread created while we page lands on the last page instead of shifting earlier ones.
        variables: {
          filters,
          sortBy: { field: 'CREATED_AT', direction: 'ASC' },
          first: PLAIN_PAGE_SIZE,
          after,
        },
      },
      ThreadsResponseSchema,
    );
    if (!r.ok) return r;
    const page: ThreadsPage | undefined = r.value.data?.threads;
    if (!page) return err({ code: 'unexpected_response', detail: 'no threads in the response' });
    threads.push(...page.edges.map((e) => e.node));
    if (page.pageInfo.hasNextPage && page.pageInfo.endCursor === null) {
      return err({ code: 'unexpected_response', detail: 'hasNextPage without an endCursor' });
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    done++;
    total = done + Math.ceil(Math.max(0, page.totalCount - threads.length) / PLAIN_PAGE_SIZE);
    report();
  } while (after !== null);
  return ok({ users, threads });
}

interface Thread {
  createdAt: number;
  isOpen: boolean;
  /** Last close, for threads DONE now (their last status change). */
  closedAt: number | null;
  assigneeId: string | null;
  firstReplyAt: number | null;
  isOneTouch: boolean;
  rating: { score: number; ratedAt: number } | null;
}

const ms = (d: { iso8601: string }): number => Date.parse(d.iso8601);

/**
 * One-touch from message timestamps: one outbound message (first = last) and no customer message after it.
 * In Plain a customer message on a DONE thread moves it back to TODO, so a later inbound message marks a reopen.
 */
function toThread(node: ThreadNode): Thread {
  const firstReplyAt = node.firstOutboundMessageInfo ? ms(node.firstOutboundMessageInfo.timestamp) : null;
  const lastReplyAt = node.lastOutboundMessageInfo ? ms(node.lastOutboundMessageInfo.timestamp) : null;
  const lastInboundAt = node.lastInboundMessageInfo ? ms(node.lastInboundMessageInfo.timestamp) : null;
  const survey = node.surveyResponse;
  return {
    createdAt: ms(node.createdAt),
    isOpen: node.status !== 'DONE',
    closedAt: node.status === 'DONE' ? ms(node.statusChangedAt) : null,
    assigneeId: node.assignedTo?.__typename === 'User' ? node.assignedTo.id : null,
    firstReplyAt,
    isOneTouch:
      firstReplyAt !== null &&
      lastReplyAt === firstReplyAt &&
      (lastInboundAt === null || lastInboundAt <= firstReplyAt),
    rating:
      survey?.rating != null && survey.respondedAt
        ? { score: survey.rating, ratedAt: ms(survey.respondedAt) }
        : null,
  };
}

interface Range {
  from: number;
  to: number;
}
const inRange = (t: number | null, r: Range): t is number => t !== null && t >= r.from && t < r.to;

function csatOf(threads: readonly Thread[], range: Range) {
  let responses = 0;
  let positive = 0;
  let scoreSum = 0;
  for (const t of threads) {
    if (t.rating === null || !inRange(t.rating.ratedAt, range)) continue;
    responses++;
    scoreSum += t.rating.score;
    // Positive = 4–5 of 5 stars (docs/metrics.md).
    if (t.rating.score >= 4) positive++;
  }
  return { percent: responses === 0 ? null : (100 * positive) / responses, responses, scoreSum };
}

function replySeconds(threads: readonly Thread[]): Float64Array {
  const values: number[] = [];
  for (const t of threads) if (t.firstReplyAt !== null) values.push((t.firstReplyAt - t.createdAt) / 1000);
  return Float64Array.from(values).sort();
}

/** Median, not mean: reply times are log-normal (docs/metrics.md); even n takes the mean of the middle two. */
function median(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2] as number;
  return ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** Nearest rank: the value at position ⌈0.9·n⌉ (docs/metrics.md). */
function p90(sorted: Float64Array): number | null {
  const n = sorted.length;
  return n === 0 ? null : (sorted[Math.ceil(0.9 * n) - 1] as number);
}

function windowed(
  threads: readonly Thread[],
  range: Range,
  ratingRange: Range,
): { values: MetricValues; notMeasured: NotMeasured } {
  const notMeasured: NotMeasured = {
    utilisation: NOT_MEASURED.utilisation,
    deflectionRate: NOT_MEASURED.deflectionUnsupported,
  };
  const created = threads.filter((t) => inRange(t.createdAt, range));
  const csat = csatOf(threads, ratingRange);
  if (csat.responses === 0) {
    notMeasured.csat = NOT_MEASURED.noRatings;
    notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
  }
  const seconds = replySeconds(created);
  if (seconds.length === 0) {
    notMeasured.firstResponseSeconds = NOT_MEASURED.noFirstResponse;
    notMeasured.firstResponseP90Seconds = NOT_MEASURED.noFirstResponse;
  }
  const resolved = threads.filter((t) => inRange(t.closedAt, range));
  const oneTouch = resolved.filter((t) => t.isOneTouch).length;
  if (resolved.length === 0) notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
  return {
    values: {
      weeklyVolume: created.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      csatMeanScore: csat.responses === 0 ? null : csat.scoreSum / csat.responses,
      firstResponseSeconds: median(seconds),
      firstResponseP90Seconds: p90(seconds),
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: resolved.length === 0 ? null : (100 * oneTouch) / resolved.length,
      // Plain exposes no AI resolution per thread (docs/metrics.md: Intercom only).
      deflectionRate: null,
      utilisation: null,
    },
    notMeasured,
  };
}

function agentRows(users: readonly UserNode[], threads: readonly Thread[], now: number): AgentMetrics[] {
  const week: Range = { from: now - 7 * DAY_MS, to: now };
  const month: Range = { from: now - 30 * DAY_MS, to: now };
  const byAgent = new Map<string, Thread[]>();
  for (const t of threads) {
    if (t.assigneeId === null) continue;
    let list = byAgent.get(t.assigneeId);
    if (list === undefined) byAgent.set(t.assigneeId, (list = []));
    list.push(t);
  }
  const names = new Map(users.map((u) => [u.id, u.fullName]));
  const rows: AgentMetrics[] = [];
  for (const [agentId, assigned] of byAgent) {
    if (!assigned.some((t) => inRange(t.createdAt, month))) continue;
    const recent = assigned.filter((t) => inRange(t.createdAt, week));
    const csat = csatOf(assigned, month);
    rows.push({
      agentId,
      name: names.get(agentId) ?? agentId,
      tickets: recent.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      firstResponseSeconds: median(replySeconds(recent)),
    });
  }
  return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

export function plainSnapshot(raw: PlainRaw, req: MetricsRequest): MetricsSnapshot {
  const now = req.now.getTime();
  // A thread can appear twice when the list shifts between pages; the last copy is the freshest.
  const threads = [...new Map(raw.threads.map((n) => [n.id, n])).values()].map(toThread);
  const from = now - 7 * DAY_MS;
  const csatFrom = now - 30 * DAY_MS;
  const current = windowed(threads, { from, to: now }, { from: csatFrom, to: now });
  let openNow = 0;
  let oldestOpen = Infinity;
  for (const t of threads) {
    if (!t.isOpen) continue;
    openNow++;
    oldestOpen = Math.min(oldestOpen, t.createdAt);
  }
  // Plain todo + snoozed (docs/metrics.md); 0 days when nothing is open.
  current.values.openNow = openNow;
  current.values.backlogAgeDays = openNow === 0 ? 0 : Math.floor((now - oldestOpen) / DAY_MS);

  const weeks: WeekMetrics[] = completedWeeks(req.now, req.timezone, req.historyWeeks).map((week) => {
    const range = { from: week.start.getTime(), to: week.end.getTime() };
    const { values, notMeasured } = windowed(threads, range, range);
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
    agents: agentRows(raw.users, threads, now),
    weeks,
  };
}

export const plainMetrics: MetricsAdapter<PlainRaw> = {
  fetch: fetchPlain,
  toSnapshot: plainSnapshot,
};
