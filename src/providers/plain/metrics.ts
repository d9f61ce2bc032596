import type { z } from 'zod';
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

// "default 25, max 100": team-plain/docs graphql/pagination.mdx
export const PLAIN_PAGE_SIZE = 100;

export { NOT_MEASURED } from '../../metrics/calculator.ts';

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

const ms = (d: { iso8601: string }): number => Date.parse(d.iso8601);

/**
 * One-touch from message timestamps: one outbound message (first = last) and no customer message after it.
 * In Plain a customer message on a DONE thread moves it back to TODO, so a later inbound message marks a reopen.
 */
function factsOf(node: ThreadNode): { conversation: ConversationFacts; rating: RatingFact | null } {
  const createdAt = ms(node.createdAt);
  const firstReplyAt = node.firstOutboundMessageInfo ? ms(node.firstOutboundMessageInfo.timestamp) : null;
  const lastReplyAt = node.lastOutboundMessageInfo ? ms(node.lastOutboundMessageInfo.timestamp) : null;
  const lastInboundAt = node.lastInboundMessageInfo ? ms(node.lastInboundMessageInfo.timestamp) : null;
  const assigneeId = node.assignedTo?.__typename === 'User' ? node.assignedTo.id : null;
  const survey = node.surveyResponse;
  return {
    conversation: {
      createdAt,
      assigneeId,
      firstReplyAt,
      // The last close of a thread DONE now is its last status change.
      closedNowAt: node.status === 'DONE' ? ms(node.statusChangedAt) : null,
      oneTouch:
        firstReplyAt !== null &&
        lastReplyAt === firstReplyAt &&
        (lastInboundAt === null || lastInboundAt <= firstReplyAt),
      // Plain exposes no AI resolution per thread (docs/metrics.md: Intercom only).
      aiResolved: false,
    },
    rating:
      survey?.rating != null && survey.respondedAt
        ? // Positive = 4–5 of 5 stars (docs/metrics.md).
          { at: ms(survey.respondedAt), positive: survey.rating >= 4, score: survey.rating, assigneeId }
        : null,
  };
}

export function plainSnapshot(raw: PlainRaw, req: MetricsRequest): MetricsSnapshot {
  // A thread can appear twice when the list shifts between pages; the last copy is the freshest.
  const nodes = [...new Map(raw.threads.map((n) => [n.id, n])).values()];
  const facts = nodes.map(factsOf);
  return computeSnapshot(
    {
      conversations: facts.map((f) => f.conversation),
      // One rating per conversation at most.
      ratings: facts.flatMap((f) => (f.rating === null ? [] : [f.rating])),
      // Plain todo + snoozed (docs/metrics.md): every status but DONE.
      open: openStateOf(nodes.filter((n) => n.status !== 'DONE').map((n) => ms(n.createdAt))),
      agents: raw.users.map((u) => ({ id: u.id, name: u.fullName })),
    },
    req,
    { csatMeanScore: true, deflectionRate: false },
  );
}

export const plainMetrics: MetricsAdapter<PlainRaw> = {
  // 450 requests/min per workspace on the smallest plans
  // (https://plain.support.site/article/understanding-rate-limits-and-their-impact-on-api-usage-jwz2h8psnkd6tgbyo8acorre);
  // a refresh pages threads 100 at a time, so 10 minutes leaves the workspace's own tools room.
  minRefreshIntervalMinutes: 10,
  fetch: fetchPlain,
  toSnapshot: plainSnapshot,
};
