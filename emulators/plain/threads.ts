import type { Dataset, DatasetAgent, DatasetConversation } from '../dataset/types.ts';
import { PlainQueryError } from './graphql.ts';

/**
 * `threads` and `users` over the provider-neutral dataset, in the shapes of plain-schema.graphql (`Thread`,
 * `ThreadConnection`, `User`, `UserConnection`). Mapping choices are documented in docs/metrics/plain.md.
 */

// "default 25, max 100": team-plain/docs graphql/pagination.mdx
const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

export function threadId(conversationId: string): string {
  return `th_01${conversationId.toUpperCase()}`;
}
export function userId(agentId: string): string {
  return `u_01${agentId.toUpperCase()}`;
}

function dateTime(ms: number): { iso8601: string; unixTimestamp: string } {
  // unixTimestamp is a String in the SDL; milliseconds assumed (unit undocumented).
  return { iso8601: new Date(ms).toISOString(), unixTimestamp: String(ms) };
}

const STATUS = { open: 'TODO', snoozed: 'SNOOZED', closed: 'DONE' } as const;

/**
 * Message timestamps Plain exposes per thread, derived from the dataset [emulator]: the customer writes once to
 * open the thread; only human agents' messages are outbound (Plain's own FRT counts human replies only:
 * https://www.plain.com/docs/product/platform/first-response-time.md); a second outbound message exists when
 * the agent replied more than once; the customer writes again after the agent's reply only when the thread
 * was reopened (in Plain a new inbound message moves a DONE thread back to TODO).
 */
function messageTimes(c: DatasetConversation): {
  firstOutbound: number | null;
  lastOutbound: number | null;
  lastInbound: number;
} {
  const first = c.firstAgentReplyAt;
  if (first === null) return { firstOutbound: null, lastOutbound: null, lastInbound: c.createdAt };
  const end = Math.max(c.closedAt ?? c.updatedAt, first);
  const lastOutbound =
    c.agentReplies > 1 ? first + Math.max(1000, Math.floor((end - first) / 2000) * 1000) : first;
  const lastInbound = c.reopens > 0 ? lastOutbound + 1000 : c.createdAt;
  return { firstOutbound: first, lastOutbound, lastInbound };
}

function messageInfo(
  ms: number | null,
): { timestamp: ReturnType<typeof dateTime>; messageSource: string } | null {
  return ms === null ? null : { timestamp: dateTime(ms), messageSource: 'EMAIL' };
}

function sentiment(score: number): 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE' {
  return score >= 4 ? 'POSITIVE' : score === 3 ? 'NEUTRAL' : 'NEGATIVE';
}

function statusChangedAt(c: DatasetConversation): number {
  if (c.status === 'closed') return c.closedAt ?? c.updatedAt;
  return c.reopens > 0 || c.status === 'snoozed' ? c.updatedAt : c.createdAt;
}

function userNode(agent: DatasetAgent, createdAt: number): Record<string, unknown> {
  return {
    __typename: 'User',
    id: userId(agent.id),
    fullName: agent.name,
    publicName: agent.name.split(' ')[0] ?? agent.name,
    email: agent.email,
    avatarUrl: null,
    isDeleted: false,
    deletedAt: null,
    status: 'ONLINE',
    createdAt: dateTime(createdAt),
    updatedAt: dateTime(createdAt),
  };
}

function threadNode(
  c: DatasetConversation,
  agents: Map<string, DatasetAgent>,
  seq: number,
): Record<string, unknown> {
  const times = messageTimes(c);
  const assignee = c.assigneeId === null ? undefined : agents.get(c.assigneeId);
  return {
    id: threadId(c.id),
    ref: `T-${seq}`,
    title: `Conversation ${c.id}`,
    description: null,
    previewText: null,
    priority: 2,
    externalId: null,
    status: STATUS[c.status],
    statusChangedAt: dateTime(statusChangedAt(c)),
    statusDetail: null,
    assignedTo: assignee ? userNode(assignee, c.createdAt) : null,
    assignedAt: assignee ? dateTime(c.createdAt) : null,
    additionalAssignees: [],
    labels: [],
    firstInboundMessageInfo: messageInfo(c.createdAt),
    firstOutboundMessageInfo: messageInfo(times.firstOutbound),
    lastInboundMessageInfo: messageInfo(times.lastInbound),
    lastOutboundMessageInfo: messageInfo(times.lastOutbound),
    createdAt: dateTime(c.createdAt),
    updatedAt: dateTime(c.updatedAt),
    supportEmailAddresses: [],
    surveyResponse: c.rating
      ? {
          id: `sr_01${c.id.toUpperCase()}`,
          rating: c.rating.score,
          sentiment: sentiment(c.rating.score),
          surveyId: 'sv_01EMULATORSURVEY',
          comment: null,
          respondedAt: dateTime(c.rating.ratedAt),
          createdAt: dateTime(c.rating.ratedAt),
          updatedAt: dateTime(c.rating.ratedAt),
        }
      : null,
  };
}

function instant(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw new PlainQueryError('BAD_USER_INPUT', `${path} must be an ISO 8601 datetime`);
  return ms;
}

/** `DatetimeFilter`: `after` is >=, `before` is < (plain-schema.graphql `input DatetimeFilter`). */
function inRange(ms: number | null, filter: Record<string, unknown>, path: string): boolean {
  if (ms === null) return false;
  if (filter.after != null && ms < instant(filter.after, `${path}.after`)) return false;
  if (filter.before != null && ms >= instant(filter.before, `${path}.before`)) return false;
  return true;
}

type Predicate = (c: DatasetConversation) => boolean;

/**
 * `ThreadsFilter`: sibling fields are ANDed; `and`/`or`/`not` combine nested filters. Fields the emulator does
 * not model answer BAD_USER_INPUT rather than being ignored (an ignored filter would fake a result).
 */
function compileFilter(filter: Record<string, unknown>, path = 'filters'): Predicate {
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    const at = `${path}.${key}`;
    switch (key) {
      case 'statuses': {
        const wanted = new Set(value as string[]);
        parts.push((c) => wanted.has(STATUS[c.status]));
        break;
      }
      case 'createdAt':
        parts.push((c) => inRange(c.createdAt, value as Record<string, unknown>, at));
        break;
      case 'updatedAt':
        parts.push((c) => inRange(c.updatedAt, value as Record<string, unknown>, at));
        break;
      case 'statusChangedAt':
        parts.push((c) => inRange(statusChangedAt(c), value as Record<string, unknown>, at));
        break;
      case 'isMarkedAsSpam':
        // Spam and deleted dataset conversations are threads of customers marked as spam [emulator].
        parts.push((c) => c.spam === value);
        break;
      case 'isAssigned':
        parts.push((c) => (c.assigneeId !== null) === value);
        break;
      case 'assignedToUser': {
        const wanted = new Set(value as string[]);
        parts.push((c) => c.assigneeId !== null && wanted.has(userId(c.assigneeId)));
        break;
      }
      case 'threadIds': {
        const wanted = new Set(value as string[]);
        parts.push((c) => wanted.has(threadId(c.id)));
        break;
      }
      case 'surveyResponse': {
        const f = value as Record<string, unknown>;
        if (f.surveyId != null) throw new PlainQueryError('BAD_USER_INPUT', `${at}.surveyId is not emulated`);
        parts.push((c) => {
          if (f.hasResponse != null && (c.rating !== null) !== f.hasResponse) return false;
          if (f.rating != null && c.rating?.score !== f.rating) return false;
          if (f.sentiment != null && (!c.rating || sentiment(c.rating.score) !== f.sentiment)) return false;
          if (f.responseAt != null)
            return inRange(
              c.rating?.ratedAt ?? null,
              f.responseAt as Record<string, unknown>,
              `${at}.responseAt`,
            );
          return true;
        });
        break;
      }
      case 'and': {
        const all = (value as Record<string, unknown>[]).map((f, i) => compileFilter(f, `${at}[${i}]`));
        parts.push((c) => all.every((p) => p(c)));
        break;
      }
      case 'or': {
        const any = (value as Record<string, unknown>[]).map((f, i) => compileFilter(f, `${at}[${i}]`));
        parts.push((c) => any.some((p) => p(c)));
        break;
      }
      case 'not': {
        const inner = compileFilter(value as Record<string, unknown>, at);
        parts.push((c) => !inner(c));
        break;
      }
      default:
        throw new PlainQueryError('BAD_USER_INPUT', `${at} is not supported by the emulator`);
    }
  }
  return (c) => parts.every((p) => p(c));
}

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function pageBounds(args: PageArgs, total: number): { start: number; end: number } {
  // "first+after or last+before; mixing them is a validation error": team-plain/docs graphql/pagination.mdx
  if (args.last != null || args.before != null) {
    throw new PlainQueryError('BAD_USER_INPUT', 'The emulator pages forward only (first/after).');
  }
  const size = args.first ?? DEFAULT_PAGE;
  if (size < 0 || size > MAX_PAGE) {
    throw new PlainQueryError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE}`);
  }
  let start = 0;
  if (args.after != null) {
    const match = /^cursor:(\d+)$/.exec(Buffer.from(args.after, 'base64url').toString('utf8'));
    if (!match?.[1]) throw new PlainQueryError('BAD_USER_INPUT', 'after is not a valid cursor');
    start = Number(match[1]) + 1;
  }
  return { start: Math.min(start, total), end: Math.min(start + size, total) };
}

const cursorAt = (index: number): string => Buffer.from(`cursor:${index}`).toString('base64url');

function connection<T>(items: T[], args: PageArgs, toNode: (item: T, index: number) => unknown) {
  const { start, end } = pageBounds(args, items.length);
  const edges = items
    .slice(start, end)
    .map((item, i) => ({ cursor: cursorAt(start + i), node: toNode(item, start + i) }));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
      startCursor: edges.length > 0 ? cursorAt(start) : null,
      endCursor: edges.length > 0 ? cursorAt(end - 1) : null,
    },
  };
}

const SORT_KEYS = {
  CREATED_AT: (c: DatasetConversation) => c.createdAt,
  STATUS_CHANGED_AT: statusChangedAt,
} as const;

interface DatasetIndex {
  agents: Map<string, DatasetAgent>;
  seq: Map<string, number>;
  /** Filtered and sorted threads by request shape, so paging a 20k dataset does not re-sort it per page. */
  lists: Map<string, DatasetConversation[]>;
}
const indexes = new WeakMap<Dataset, DatasetIndex>();

function indexOf(dataset: Dataset): DatasetIndex {
  let index = indexes.get(dataset);
  if (!index) {
    index = {
      agents: new Map(dataset.agents.map((a) => [a.id, a])),
      seq: new Map(dataset.conversations.map((c, i) => [c.id, i + 1])),
      lists: new Map(),
    };
    indexes.set(dataset, index);
  }
  return index;
}

type ThreadsArgs = PageArgs & {
  filters?: Record<string, unknown> | null;
  sortBy?: Record<string, unknown> | null;
};

function matchingThreads(dataset: Dataset, index: DatasetIndex, args: ThreadsArgs): DatasetConversation[] {
  const cacheKey = JSON.stringify([args.filters ?? null, args.sortBy ?? null]);
  const cached = index.lists.get(cacheKey);
  if (cached) return cached;
  const field = (args.sortBy?.field ?? 'CREATED_AT') as string;
  const key = SORT_KEYS[field as keyof typeof SORT_KEYS] as ((c: DatasetConversation) => number) | undefined;
  if (!key)
    throw new PlainQueryError('BAD_USER_INPUT', `sortBy.field ${field} is not supported by the emulator`);
  // Plain's default order is undocumented; newest first [emulator].
  const sign = (args.sortBy?.direction ?? 'DESC') === 'ASC' ? 1 : -1;
  const keep = compileFilter(args.filters ?? {});
  const list = dataset.conversations
    .filter(keep)
    .sort((a, b) => sign * (key(a) - key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (index.lists.size > 32) index.lists.clear();
  index.lists.set(cacheKey, list);
  return list;
}

/** Root fields `threads` and `users` (plain-schema.graphql `type Query`). */
export function dataRoot(dataset: Dataset): Record<string, unknown> {
  const index = indexOf(dataset);
  return {
    threads(args: ThreadsArgs) {
      return connection(matchingThreads(dataset, index, args), args, (c) =>
        threadNode(c, index.agents, index.seq.get(c.id) ?? 0),
      );
    },
    users(args: PageArgs & { filters?: Record<string, unknown> | null }) {
      const { totalCount: _omitted, ...rest } = connection(dataset.agents, args, (a) =>
        userNode(a, dataset.now),
      );
      return rest;
    },
  };
}
