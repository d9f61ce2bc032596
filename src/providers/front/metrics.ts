import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { completedWeeks } from '../../metrics/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { callProvider, sanitizeDetail } from '../http.ts';
import {
  computeSnapshot,
  DAY_MS,
  openStateOf,
  type ConversationFacts,
  type RatingFact,
} from '../../metrics/calculator.ts';
import type { AdapterContext, MetricsAdapter, ProviderError } from '../types.ts';
import type { MetricsRequest, MetricsSnapshot } from '../../metrics/types.ts';
import { replay, type FrontActivity } from './csv.ts';
import {
  ACTIVITY_TYPES,
  AnalyticsExportSchema,
  ConversationPageSchema,
  EXPORT_COLUMNS,
  ExportRowSchema,
  TeammatesSchema,
  type ActivityType,
  type AnalyticsExport,
  type ConversationPage,
} from './schemas.ts';

/*
 * Front metrics (docs/metrics/front.md). No analytics *report* metric equals a docs/metrics.md definition: report
 * windows are whole days, values are rounded integers, first response is a business-hours mean and volume counts
 * segments. So every windowed metric is computed from one analytics *export* (the CSV of activities Front offers
 * as the raw alternative, https://dev.frontapp.com/reference/analytics), and openNow/backlog from the open and
 * snoozed conversation lists.
 */

const PAGE_LIMIT = 100;
/**
 * Export polling: no documented interval (https://dev.frontapp.com/reference/analytics), so capped backoff; the
 * first poll is immediate.
 */
const POLL_DELAYS_MS = [0, 1_000, 2_000, 4_000, 8_000, 10_000];
const MAX_POLLS = 40;

export interface FrontTeammate {
  id: string;
  name: string;
  email: string;
}

export interface FrontOpenConversation {
  id: string;
  createdAt: number;
}

export interface FrontRaw {
  /** Users only (Front also lists bot pseudo-teammates), blocked ones included: history still names them. */
  teammates: FrontTeammate[];
  /** Assigned, unassigned and snoozed (archived with a scheduled reminder) conversations right now. */
  open: FrontOpenConversation[];
  /** Export activities from the start of the oldest window's day to the end of `now`'s day, file order. */
  activities: FrontActivity[];
}

/** The instant the export must start at: the oldest of the 30-day CSAT window and the oldest history week. */
export function exportStart(req: MetricsRequest): number {
  const now = req.now.getTime();
  const weeks = completedWeeks(req.now, req.timezone, req.historyWeeks);
  return Math.min(now - 30 * DAY_MS, weeks[0]?.start.getTime() ?? Infinity);
}

function progress(ctx: AdapterContext, done: number): void {
  ctx.onProgress?.({ done });
}

/**
 * Pagination links are absolute URLs on the company host `<company>.api.frontapp.com`
 * (https://dev.frontapp.com/reference/introduction); our bearer token only ever goes to the configured API origin
 * or a Front API host over HTTPS.
 */
function isTrustedUrl(ctx: AdapterContext, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(ctx.endpoints.apiBaseUrl).origin) return true;
  return parsed.protocol === 'https:' && /(^|\.)(api2?\.)?frontapp\.com$/.test(parsed.hostname);
}

const untrusted = (url: string): ProviderError => ({
  code: 'unexpected_response',
  detail: `link to an unexpected host: ${sanitizeDetail(new URL(url, 'http://invalid').host)}`,
});

async function listConversations(
  ctx: AdapterContext,
  firstUrl: string,
  into: FrontOpenConversation[],
  calls: { n: number },
): Promise<Result<void, ProviderError>> {
  let url: string | null = firstUrl;
  while (url !== null) {
    if (!isTrustedUrl(ctx, url)) return err(untrusted(url));
    const page: Result<ConversationPage, ProviderError> = await callProvider(ctx, {
      url,
      credential: ctx.credential,
      schema: ConversationPageSchema,
    });
    progress(ctx, ++calls.n);
    if (!page.ok) return page;
    into.push(...toOpenConversations(page.value));
    url = page.value._pagination?.next ?? null;
  }
  return ok(undefined);
}

/** Front lists bot pseudo-teammates (csat, rule, ai, …) beside people: https://dev.frontapp.com/reference/teammates */
export function toTeammates(page: z.infer<typeof TeammatesSchema>): FrontTeammate[] {
  return page._results
    .filter((t) => t.type === 'user')
    .map((t) => ({ id: t.id, email: t.email, name: `${t.first_name} ${t.last_name}`.trim() }));
}

export function toOpenConversations(page: ConversationPage): FrontOpenConversation[] {
  return page._results.map((c) => ({ id: c.id, createdAt: Math.round(c.created_at * 1000) }));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The export file is CSV, which `callProvider` (JSON only) cannot read; this is the same classified call for a
 * text body: pacing, 429 waits and the error table of providers/http.ts.
 */
async function downloadText(ctx: AdapterContext, url: string): Promise<Result<string, ProviderError>> {
  return callProvider(ctx, {
    url,
    credential: ctx.credential,
    accept: 'text/csv',
    body: 'text',
    // One file holds every activity of the window: large accounts need more than the default 15 s.
    timeoutMs: 120_000,
    schema: z.string(),
  });
}

/** Parses the export file into activities; any row we rely on that does not parse fails the whole refresh. */
export function parseExport(text: string): Result<FrontActivity[], ProviderError> {
  let table: string[][];
  try {
    // RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends.
    table = parseCsv(text, { relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    return err({
      code: 'unexpected_response',
      detail: `analytics export is not valid CSV (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`,
    });
  }
  const [header, ...rows] = table;
  if (!header) return err({ code: 'unexpected_response', detail: 'empty analytics export' });
  const index = new Map(header.map((name, i) => [name, i]));
  const missing = EXPORT_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return err({
      code: 'unexpected_response',
      detail: `analytics export lacks columns: ${missing.join(', ')}`,
    });
  }
  const activities: FrontActivity[] = [];
  for (const [n, cells] of rows.entries()) {
    if (cells.length === 1 && cells[0] === '') continue;
    const record = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, cells[index.get(c) ?? -1] ?? '']));
    if (!(ACTIVITY_TYPES as readonly string[]).includes(record.Type ?? '')) continue;
    const parsed = ExportRowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return err({
        code: 'unexpected_response',
        detail: `analytics export row ${n + 1}, ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      });
    }
    const r = parsed.data;
    activities.push({
      type: r.Type as ActivityType,
      conversationId: r['Conversation API ID'],
      at: r['Message date'],
      assignee: r.Assignee,
      isNewConversation: r['New Conversation'] === 'true',
      segment: r.Segment,
      repliesToResolution: r['Replies to resolution'],
      rating: r['Survey rating'],
    });
  }
  return ok(activities);
}

async function runExport(
  ctx: AdapterContext,
  req: MetricsRequest,
  calls: { n: number },
): Promise<Result<FrontActivity[], ProviderError>> {
  const base = ctx.endpoints.apiBaseUrl;
  // `start`/`end` are rounded to whole days in `timezone`; we filter the exact windows ourselves.
  const created = await callProvider(ctx, {
    method: 'POST',
    url: `${base}/analytics/exports`,
    credential: ctx.credential,
    json: {
      type: 'events',
      start: Math.floor(exportStart(req) / 1000),
      end: Math.floor(req.now.getTime() / 1000),
      timezone: req.timezone,
      columns: EXPORT_COLUMNS,
    },
    schema: AnalyticsExportSchema,
  });
  progress(ctx, ++calls.n);
  if (!created.ok) return created;
  let job: AnalyticsExport = created.value;
  const self = job._links.self ?? `${base}/analytics/exports/${encodeURIComponent(job.id)}`;
  for (let poll = 0; job.status !== 'done'; poll++) {
    if (job.status === 'failed')
      return err({ code: 'upstream_unavailable', detail: 'analytics export failed' });
    if (job.status === 'too_big') {
      return err({ code: 'unexpected_response', detail: 'analytics export too big for one file' });
    }
    if (poll >= MAX_POLLS)
      return err({ code: 'upstream_unavailable', detail: 'analytics export did not finish' });
    if (!isTrustedUrl(ctx, self)) return err(untrusted(self));
    await sleep(POLL_DELAYS_MS[Math.min(poll, POLL_DELAYS_MS.length - 1)] ?? 0);
    const polled = await callProvider(ctx, {
      url: self,
      credential: ctx.credential,
      schema: AnalyticsExportSchema,
    });
    progress(ctx, ++calls.n);
    if (!polled.ok) return polled;
    job = polled.value;
  }
  if (job.url === undefined)
    return err({ code: 'unexpected_response', detail: 'finished export without a url' });
  if (!isTrustedUrl(ctx, job.url)) return err(untrusted(job.url));
  const file = await downloadText(ctx, job.url);
  progress(ctx, ++calls.n);
  if (!file.ok) return file;
  return parseExport(file.value);
}

async function fetchFront(
  ctx: AdapterContext,
  req: MetricsRequest,
): Promise<Result<FrontRaw, ProviderError>> {
  const base = ctx.endpoints.apiBaseUrl;
  const calls = { n: 0 };
  const team = await callProvider(ctx, {
    url: `${base}/teammates`,
    credential: ctx.credential,
    schema: TeammatesSchema,
  });
  progress(ctx, ++calls.n);
  if (!team.ok) return team;
  const teammates = toTeammates(team.value);

  const activities = await runExport(ctx, req, calls);
  if (!activities.ok) return activities;

  const open: FrontOpenConversation[] = [];
  // `q[statuses]` repeated: https://dev.frontapp.com/docs/query-object-q
  const listed = await listConversations(
    ctx,
    `${base}/conversations?q%5Bstatuses%5D=assigned&q%5Bstatuses%5D=unassigned&limit=${PAGE_LIMIT}`,
    open,
    calls,
  );
  if (!listed.ok) return listed;
  // Snoozed = archived with a reminder, still open by docs/metrics.md; only search can find them
  // (https://dev.frontapp.com/docs/search-1), at 40 % of the rate limit, so it pages only the snoozed ones.
  const snoozed = await listConversations(
    ctx,
    `${base}/conversations/search/${encodeURIComponent('is:snoozed')}?limit=${PAGE_LIMIT}`,
    open,
    calls,
  );
  if (!snoozed.ok) return snoozed;
  const unique = [...new Map(open.map((c) => [c.id, c])).values()];
  return ok({ teammates, open: unique, activities: activities.value });
}

export function toFrontSnapshot(raw: FrontRaw, req: MetricsRequest): MetricsSnapshot {
  const openIds = new Set(raw.open.map((c) => c.id));
  // The export names assignees by email; a conversation assigned to anyone else (a bot) counts as unassigned.
  const byEmail = new Map(raw.teammates.map((t) => [t.email.toLowerCase(), t.id]));
  const conversations: ConversationFacts[] = [];
  const ratings: RatingFact[] = [];
  for (const [id, f] of replay(raw.activities)) {
    const assigneeId = byEmail.get(f.assignee.toLowerCase()) ?? null;
    conversations.push({
      createdAt: f.createdAt,
      assigneeId,
      firstReplyAt: f.firstReplyAt,
      closedNowAt: f.closed === null || openIds.has(id) ? null : f.closed.at,
      // One human reply in the only segment there ever was = one reply and never reopened.
      oneTouch: f.closed !== null && f.closed.segment === 1 && f.closed.replies === 1,
      aiResolved: false,
    });
    // Front's "satisfied" share: 4–5 of 5 (docs/metrics/front.md).
    for (const r of f.ratings) ratings.push({ at: r.at, positive: r.score >= 4, score: r.score, assigneeId });
  }
  return computeSnapshot(
    {
      conversations,
      ratings,
      open: openStateOf(raw.open.map((c) => c.createdAt)),
      agents: raw.teammates,
    },
    req,
    { csatMeanScore: true, deflectionRate: false },
  );
}

export const frontMetrics: MetricsAdapter<FrontRaw> = {
  // 50 requests/min per company on Starter, shared with the customer's other tools, and analytics exports are
  // built asynchronously (https://dev.frontapp.com/docs/rate-limiting): no more often than every 15 minutes.
  minRefreshIntervalMinutes: 15,
  fetch: fetchFront,
  toSnapshot: toFrontSnapshot,
};
