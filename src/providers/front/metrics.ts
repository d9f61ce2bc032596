import type { z } from 'zod';
import { completedWeeks } from '../../lib/weeks.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import {
  authorizationHeader,
  callProvider,
  MAX_RATE_LIMIT_WAIT_MS,
  retryAfterMs,
  sanitizeDetail,
} from '../http.ts';
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

const DAY_MS = 86_400_000;
const PAGE_LIMIT = 100;
/** Export polling: no documented interval (front.md §3.1), so capped backoff; the first poll is immediate. */
const POLL_DELAYS_MS = [0, 1_000, 2_000, 4_000, 8_000, 10_000];
const MAX_POLLS = 40;

/** The same words as the ground truth (emulators/dataset/ground-truth.ts `NOT_MEASURED`). */
export const FRONT_NOT_MEASURED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  deflectionUnsupported: 'the helpdesk does not report AI-resolved conversations',
  noRatings: 'no ratings in the window',
  noFirstResponse: 'no conversation created in the window got a human reply',
  noneClosed: 'no conversation closed in the window',
  pointInTime: 'point-in-time metric: not reconstructible for past weeks',
} as const;

export interface FrontTeammate {
  id: string;
  name: string;
  email: string;
}

export interface FrontOpenConversation {
  id: string;
  createdAt: number;
}

export interface FrontActivity {
  type: ActivityType;
  conversationId: string;
  at: number;
  /** Email of the conversation's current assignee; '' when unassigned. */
  assignee: string;
  isNewConversation: boolean;
  segment: number | null;
  repliesToResolution: number | null;
  rating: number | null;
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
 * Pagination links are absolute URLs on the company host `<company>.api.frontapp.com` (front.md §2.1); our bearer
 * token only ever goes to the configured API origin or a Front API host over HTTPS.
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
  const secrets = ctx.credential.kind === 'bearer' ? [ctx.credential.token] : [ctx.credential.password];
  for (let attempt = 1; ; attempt++) {
    await ctx.pacer?.wait(sleep);
    let res: Response;
    try {
      res = await ctx.fetch(url, {
        headers: { accept: 'text/csv', authorization: authorizationHeader(ctx.credential) },
        signal: AbortSignal.timeout(60_000),
        redirect: 'error',
      });
    } catch (e) {
      return err({
        code: 'upstream_unavailable',
        detail: `network error (${e instanceof Error ? e.name : 'Error'})`,
      });
    }
    ctx.pacer?.note(res.headers);
    const wait = retryAfterMs(res.headers);
    if (res.status === 429 && attempt < 10 && wait <= MAX_RATE_LIMIT_WAIT_MS) {
      await res.body?.cancel();
      if (ctx.pacer) ctx.pacer.backOff(wait);
      else await sleep(wait);
      continue;
    }
    const text = await res.text().catch(() => '');
    const detail = sanitizeDetail(`${res.status}: ${text.slice(0, 200) || res.statusText}`, secrets);
    if (res.status === 401 || res.status === 403) return err({ code: 'unauthorized', detail });
    if (res.status === 429) return err({ code: 'rate_limited', retryAfterMs: wait, detail });
    if (res.status >= 500) return err({ code: 'upstream_unavailable', detail });
    if (res.status >= 400) return err({ code: 'unexpected_response', detail });
    return ok(text);
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses the export file into activities; any row we rely on that does not parse fails the whole refresh. */
export function parseExport(text: string): Result<FrontActivity[], ProviderError> {
  const [header, ...rows] = parseCsv(text);
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

interface Range {
  from: number;
  to: number;
}
const inRange = (t: number | null, r: Range): t is number => t !== null && t >= r.from && t < r.to;

/** What the export says about one conversation, replayed in time order. */
interface ConversationFacts {
  createdAt: number | null;
  assignee: string;
  firstReplyAt: number | null;
  /** The close that still stands (no reopen after it). */
  closed: { at: number; segment: number; replies: number } | null;
  ratings: { at: number; score: number }[];
}

function factsOf(activities: readonly FrontActivity[]): Map<string, ConversationFacts> {
  const ordered = activities.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  const facts = new Map<string, ConversationFacts>();
  for (const { a } of ordered) {
    let f = facts.get(a.conversationId);
    if (f === undefined) {
      f = { createdAt: null, assignee: a.assignee, firstReplyAt: null, closed: null, ratings: [] };
      facts.set(a.conversationId, f);
    }
    f.assignee = a.assignee;
    switch (a.type) {
      case 'Inbound message':
        if (a.isNewConversation && f.createdAt === null) f.createdAt = a.at;
        break;
      case 'Outbound reply':
        if (f.firstReplyAt === null) f.firstReplyAt = a.at;
        break;
      case 'Archive':
        f.closed = { at: a.at, segment: a.segment ?? 0, replies: a.repliesToResolution ?? -1 };
        break;
      case 'Reopen':
        f.closed = null;
        break;
      case 'Survey response':
        if (a.rating !== null) f.ratings.push({ at: a.at, score: a.rating });
        break;
    }
  }
  return facts;
}

function median(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2] as number;
  return ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

function p90(sorted: Float64Array): number | null {
  const n = sorted.length;
  return n === 0 ? null : (sorted[Math.ceil(0.9 * n) - 1] as number);
}

function replySeconds(list: readonly ConversationFacts[]): Float64Array {
  const values: number[] = [];
  for (const f of list) {
    if (f.createdAt !== null && f.firstReplyAt !== null) values.push((f.firstReplyAt - f.createdAt) / 1000);
  }
  return Float64Array.from(values).sort();
}

function csatOf(list: readonly ConversationFacts[], range: Range) {
  let responses = 0;
  let positive = 0;
  let scoreSum = 0;
  for (const f of list) {
    for (const r of f.ratings) {
      if (!inRange(r.at, range)) continue;
      responses++;
      scoreSum += r.score;
      // Front's "satisfied" share: 4–5 of 5 (docs/metrics/front.md).
      if (r.score >= 4) positive++;
    }
  }
  return { percent: responses === 0 ? null : (100 * positive) / responses, responses, scoreSum };
}

function windowed(
  all: readonly ConversationFacts[],
  openIds: ReadonlySet<string>,
  ids: readonly string[],
  range: Range,
  ratingRange: Range,
): { values: MetricValues; notMeasured: NotMeasured } {
  const notMeasured: NotMeasured = {
    utilisation: FRONT_NOT_MEASURED.utilisation,
    deflectionRate: FRONT_NOT_MEASURED.deflectionUnsupported,
  };
  const created = all.filter((f) => inRange(f.createdAt, range));
  const csat = csatOf(all, ratingRange);
  if (csat.responses === 0) {
    notMeasured.csat = FRONT_NOT_MEASURED.noRatings;
    notMeasured.csatMeanScore = FRONT_NOT_MEASURED.noRatings;
  }
  const seconds = replySeconds(created);
  if (seconds.length === 0) {
    notMeasured.firstResponseSeconds = FRONT_NOT_MEASURED.noFirstResponse;
    notMeasured.firstResponseP90Seconds = FRONT_NOT_MEASURED.noFirstResponse;
  }
  let resolved = 0;
  let oneTouch = 0;
  all.forEach((f, i) => {
    if (f.closed === null || openIds.has(ids[i] ?? '') || !inRange(f.closed.at, range)) return;
    resolved++;
    // One human reply in the only segment there ever was = one reply and never reopened.
    if (f.closed.segment === 1 && f.closed.replies === 1) oneTouch++;
  });
  if (resolved === 0) notMeasured.oneTouchRate = FRONT_NOT_MEASURED.noneClosed;
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
      oneTouchRate: resolved === 0 ? null : (100 * oneTouch) / resolved,
      deflectionRate: null,
      utilisation: null,
    },
    notMeasured,
  };
}

export function toFrontSnapshot(raw: FrontRaw, req: MetricsRequest): MetricsSnapshot {
  const now = req.now.getTime();
  const week: Range = { from: now - 7 * DAY_MS, to: now };
  const month: Range = { from: now - 30 * DAY_MS, to: now };
  const facts = factsOf(raw.activities);
  const ids = [...facts.keys()];
  const all = [...facts.values()];
  const openIds = new Set(raw.open.map((c) => c.id));

  const current = windowed(all, openIds, ids, week, month);
  let oldest = Infinity;
  for (const c of raw.open) oldest = Math.min(oldest, c.createdAt);
  current.values.openNow = raw.open.length;
  current.values.backlogAgeDays = raw.open.length === 0 ? 0 : Math.floor((now - oldest) / DAY_MS);

  const weeks: WeekMetrics[] = completedWeeks(req.now, req.timezone, req.historyWeeks).map((w) => {
    const range = { from: w.start.getTime(), to: w.end.getTime() };
    const { values, notMeasured } = windowed(all, openIds, ids, range, range);
    notMeasured.openNow = FRONT_NOT_MEASURED.pointInTime;
    notMeasured.backlogAgeDays = FRONT_NOT_MEASURED.pointInTime;
    return { weekStart: w.label, values, notMeasured };
  });

  const byEmail = new Map(raw.teammates.map((t) => [t.email.toLowerCase(), t]));
  const byAgent = new Map<string, ConversationFacts[]>();
  for (const f of all) {
    const teammate = byEmail.get(f.assignee.toLowerCase());
    if (teammate === undefined) continue;
    let list = byAgent.get(teammate.id);
    if (list === undefined) byAgent.set(teammate.id, (list = []));
    list.push(f);
  }
  const agents: AgentMetrics[] = [];
  for (const teammate of raw.teammates) {
    const assigned = byAgent.get(teammate.id) ?? [];
    if (!assigned.some((f) => inRange(f.createdAt, month))) continue;
    const recent = assigned.filter((f) => inRange(f.createdAt, week));
    const csat = csatOf(assigned, month);
    agents.push({
      agentId: teammate.id,
      name: teammate.name,
      tickets: recent.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      firstResponseSeconds: median(replySeconds(recent)),
    });
  }
  agents.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));

  return {
    measuredAt: req.now.toISOString(),
    window: {
      from: new Date(week.from).toISOString(),
      to: req.now.toISOString(),
      csatFrom: new Date(month.from).toISOString(),
    },
    current: current.values,
    notMeasured: current.notMeasured,
    agents,
    weeks,
  };
}

export const frontMetrics: MetricsAdapter<FrontRaw> = {
  fetch: fetchFront,
  toSnapshot: toFrontSnapshot,
};
