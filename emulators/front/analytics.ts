import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { DatasetConversation } from '../dataset/types.ts';
import { publicBase, type EmulatorContext } from '../shared/context.ts';
import { frontError } from './errors.ts';
import { conversationId, frontStatus, frontTime, guarded, teammateId } from './data.ts';

/**
 * Analytics reports (aggregates) and exports (CSV of activities) of https://dev.frontapp.com/reference/analytics,
 * computed over the dataset. Both run asynchronously: the POST answers `running`, the first GET of the
 * report/export answers `done` [emulator].
 */

export const ACTIVITY_TYPES = [
  'Inbound message',
  'Outbound reply',
  'Archive',
  'Reopen',
  'Survey response',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface Activity {
  type: ActivityType;
  conversation: DatasetConversation;
  at: number;
  /** Conversation segment the activity belongs to, 1-based; a reopen starts the next one. */
  segment: number;
  /** Archive rows: human replies sent in the segment it closes. */
  repliesToResolution: number | null;
  rating: number | null;
}

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The dataset keeps the first human reply, the reply count, the reopen count and the last close; the times of
 * later replies and of earlier closes/reopens are spread evenly until the last close (or `now`) [emulator].
 * Spam conversations are deleted in Front and appear in no analytics. Snoozes are not activities here.
 */
export function activitiesOf(c: DatasetConversation, now: number): Activity[] {
  if (c.spam) return [];
  const out: Activity[] = [];
  const end = c.closedAt ?? now;
  const base = { conversation: c, repliesToResolution: null, rating: null };
  out.push({ ...base, type: 'Inbound message', at: c.createdAt, segment: 1 });

  const replies: number[] = [];
  if (c.firstAgentReplyAt !== null && c.agentReplies > 0) {
    const first = c.firstAgentReplyAt;
    for (let j = 1; j <= c.agentReplies; j++) {
      replies.push(
        j === 1 ? first : first + floorSecond((Math.max(end, first) - first) * ((j - 1) / c.agentReplies)),
      );
    }
  }
  const span = Math.max(0, end - c.createdAt);
  const closes: number[] = [];
  const reopens: number[] = [];
  for (let k = 1; k <= c.reopens; k++) {
    closes.push(c.createdAt + floorSecond((span * (2 * k - 1)) / (2 * c.reopens + 1)));
    reopens.push(c.createdAt + floorSecond((span * 2 * k) / (2 * c.reopens + 1)));
  }
  const segmentAt = (t: number) => 1 + reopens.filter((r) => r <= t).length;
  for (const at of replies) out.push({ ...base, type: 'Outbound reply', at, segment: segmentAt(at) });

  let counted = 0;
  closes.forEach((at, i) => {
    const from = i === 0 ? -Infinity : (reopens[i - 1] ?? -Infinity);
    const inSegment = replies.filter((r) => r > from && r <= at).length;
    counted += inSegment;
    out.push({ ...base, type: 'Archive', at, segment: i + 1, repliesToResolution: inSegment });
    out.push({ ...base, type: 'Reopen', at: reopens[i] ?? at, segment: i + 2 });
  });
  if (c.status === 'closed' && c.closedAt !== null) {
    out.push({
      ...base,
      type: 'Archive',
      at: c.closedAt,
      segment: c.reopens + 1,
      repliesToResolution: replies.length - counted,
    });
  }
  if (c.rating) {
    out.push({
      ...base,
      type: 'Survey response',
      at: c.rating.ratedAt,
      segment: segmentAt(c.rating.ratedAt),
      rating: c.rating.score,
    });
  }
  return out;
}

/** Every activity of the dataset, oldest first (stable for equal times). */
function allActivities(ctx: EmulatorContext): Activity[] {
  const cached = activityCache.get(ctx);
  if (cached && cached.dataset === ctx.dataset) return cached.activities;
  const activities = ctx.dataset.conversations
    .flatMap((c) => activitiesOf(c, ctx.dataset.now))
    .sort((a, b) => a.at - b.at);
  activityCache.set(ctx, { dataset: ctx.dataset, activities });
  return activities;
}
const activityCache = new WeakMap<EmulatorContext, { dataset: unknown; activities: Activity[] }>();

/** `start` is rounded down to the start of its day and `end` up to the end of its day, in `timezone`. */
export function dayRange(start: number, end: number, timezone: string): { from: number; to: number } {
  const from = startOfDay(new TZDate(start * 1000, timezone)).getTime();
  const to = addDays(startOfDay(new TZDate(end * 1000, timezone)), 1).getTime();
  return { from, to };
}

const TimezoneSchema = z
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  })
  .optional();

const FiltersSchema = z
  .object({
    tag_ids: z.array(z.string()).optional(),
    teammate_ids: z.array(z.string()).optional(),
    channel_ids: z.array(z.string()).optional(),
    inbox_ids: z.array(z.string()).optional(),
    team_ids: z.array(z.string()).optional(),
    account_ids: z.array(z.string()).optional(),
  })
  .optional();
type Filters = z.infer<typeof FiltersSchema>;

/** Only teammate filters can be evaluated over the dataset; the others match nothing but empty lists. */
function conversationFilter(filters: Filters): (c: DatasetConversation) => boolean {
  const teammates = filters?.teammate_ids;
  const others = [
    filters?.tag_ids,
    filters?.channel_ids,
    filters?.inbox_ids,
    filters?.team_ids,
    filters?.account_ids,
  ];
  if (others.some((ids) => ids !== undefined && ids.length > 0)) return () => false;
  if (teammates === undefined || teammates.length === 0) return () => true;
  return (c) => c.assigneeId !== null && teammates.includes(teammateId(c.assigneeId));
}

// `AnalyticsMetricId` of core-api.json.
export const METRIC_IDS = [
  'avg_csat_survey_response',
  'avg_first_response_time',
  'avg_handle_time',
  'avg_replies_to_resolution',
  'avg_resolution_time',
  'avg_response_time',
  'avg_sla_breach_time',
  'avg_total_reply_time',
  'new_segments_count',
  'num_active_segments_full',
  'num_archived_segments',
  'num_archived_segments_with_reply',
  'num_csat_survey_response',
  'num_messages_received',
  'num_messages_sent',
  'num_sla_breach',
  'pct_csat_survey_satisfaction',
  'pct_resolved_on_first_reply',
  'pct_tagged_conversations',
  'num_closed_segments',
  'num_open_segments_start',
  'num_open_segments_end',
  'num_resolved_segments',
  'num_unresolved_active_segments',
  'num_workload_segments',
] as const;
type MetricId = (typeof METRIC_IDS)[number];

const ReportRequestSchema = z.object({
  start: z.number(),
  end: z.number(),
  timezone: TimezoneSchema,
  filters: FiltersSchema,
  metrics: z.array(z.enum(METRIC_IDS)).min(1),
});
type ReportRequest = z.infer<typeof ReportRequestSchema>;

function metricType(id: MetricId): 'number' | 'percentage' | 'duration' {
  if (id.startsWith('pct_')) return 'percentage';
  if (id.startsWith('avg_') && id.endsWith('_time')) return 'duration';
  return 'number';
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Values are integers (`AnalyticsScalarValue`), so averages and percentages are rounded; durations are seconds
 * and business hours are 24/7 [uncertain: units are undocumented, https://dev.frontapp.com/reference/analytics].
 * Satisfied = 4–5 of 5 stars
 * [emulator]. Metrics the dataset cannot support (SLA, handle time, tags, …) are `null`.
 */
function computeMetric(id: MetricId, rows: Activity[], openEnd: number | null): number | null {
  const ratings = rows.filter((a) => a.type === 'Survey response').map((a) => a.rating ?? 0);
  switch (id) {
    case 'new_segments_count':
      return rows.filter((a) => a.type === 'Inbound message' || a.type === 'Reopen').length;
    case 'num_csat_survey_response':
      return ratings.length;
    case 'pct_csat_survey_satisfaction':
      return ratings.length === 0
        ? null
        : Math.round((100 * ratings.filter((r) => r >= 4).length) / ratings.length);
    case 'avg_csat_survey_response':
      return ratings.length === 0 ? null : Math.round(mean(ratings));
    case 'avg_first_response_time': {
      const waits = rows
        .filter((a) => a.type === 'Inbound message' && a.conversation.firstAgentReplyAt !== null)
        .map((a) => ((a.conversation.firstAgentReplyAt ?? 0) - a.at) / 1000);
      return waits.length === 0 ? null : Math.round(mean(waits));
    }
    case 'num_archived_segments':
      return rows.filter((a) => a.type === 'Archive').length;
    case 'num_messages_received':
      return rows.filter((a) => a.type === 'Inbound message').length;
    case 'num_messages_sent':
      return rows.filter((a) => a.type === 'Outbound reply').length;
    case 'num_open_segments_end':
      return openEnd;
    default:
      return null;
  }
}

interface Job<T> {
  request: T;
  polls: number;
  createdAt: number;
  file?: string;
}

function computeReport(ctx: EmulatorContext, request: ReportRequest) {
  const { from, to } = dayRange(request.start, request.end, request.timezone ?? 'Etc/UTC');
  const matches = conversationFilter(request.filters);
  const rows = allActivities(ctx).filter((a) => a.at >= from && a.at < to && matches(a.conversation));
  // Open at the end of the period: only known for periods that end after `now`; snoozed counts as archived.
  const openEnd =
    to > ctx.dataset.now
      ? ctx.dataset.conversations.filter(
          (c) => matches(c) && (frontStatus(c) === 'assigned' || frontStatus(c) === 'unassigned'),
        ).length
      : null;
  return request.metrics.map((id) => ({
    id,
    type: metricType(id),
    value: computeMetric(id, rows, openEnd),
  }));
}

// `AnalyticsActivitiesColumns` / `AnalyticsMessagesColumns` of core-api.json (the ones this emulator fills).
const FILLED_COLUMNS = [
  'Activity API ID',
  'Type',
  'Conversation API ID',
  'Message date',
  'Direction',
  'Status',
  'Author',
  'Assignee',
  'Survey rating',
  'Segment',
  'Replies to resolution',
  'New Conversation',
] as const;

const ACTIVITY_COLUMNS = new Set<string>([
  ...FILLED_COLUMNS,
  'Activity ID',
  'Source',
  'Message ID',
  'Segment ID',
  'Conversation ID',
  'Ticket IDs',
  'Segment start',
  'Segment end',
  'Status at activity time',
  'Inbox',
  'Inbox API ID',
  'Inbox at activity time',
  'Inbox API IDs at activity time',
  'Previous inbox IDs',
  'Autoreply',
  'Reaction time',
  'Total reply time',
  'Handle time',
  'Response time',
  'Stage resolution time',
  'Ticket resolution time',
  'Ticket replies to resolution',
  'Attributed to',
  'Contact name',
  'Contact handle',
  'Account names',
  'From',
  'To',
  'Cc',
  'Bcc',
  'Extract',
  'Tags',
  'Tag API IDs',
  'Tags at activity time',
  'Tag API IDs at activity time',
  'Tag application duration',
  'Message API ID',
  'Comment API ID',
  'Message original ID',
  'First response',
  'Business hours',
  'Subject',
  'Account name',
  'Survey comment',
  'Segment closed',
  'Segment contains messages',
  'Last segment activity',
  'Added tag',
  'Added tag API ID',
  'Removed tag',
  'Removed tag API ID',
  'Segment cumulative teammates',
  'Ticket status name',
  'Ticket status category',
]);

const ExportRequestSchema = z.object({
  type: z.enum(['messages', 'events']),
  start: z.number(),
  end: z.number(),
  timezone: TimezoneSchema,
  filters: FiltersSchema,
  // Required since 2024-04-01
  // (https://community.front.com/api-news-updates-40/breaking-changes-to-the-analytics-endpoint-746);
  // parameterized columns are objects and stay empty here.
  columns: z
    .array(
      z.union([
        z.string().refine((name) => ACTIVITY_COLUMNS.has(name)),
        z.object({ name: z.string(), id: z.union([z.string(), z.number()]) }),
      ]),
    )
    .min(1),
});
type ExportRequest = z.infer<typeof ExportRequestSchema>;

export function cell(
  emails: ReadonlyMap<string, string>,
  column: string,
  a: Activity,
  timezone: string,
): string {
  const assignee = a.conversation.assigneeId;
  const email = (agentId: string | null) => (agentId === null ? '' : (emails.get(agentId) ?? ''));
  switch (column) {
    case 'Activity API ID':
      return `act_${a.conversation.id}_${a.type.replace(/\s/g, '').toLowerCase()}_${frontTime(a.at)}`;
    case 'Type':
      return a.type;
    case 'Conversation API ID':
      return conversationId(a.conversation.id);
    // [emulator] The date format is undocumented: ISO 8601 with the offset of the export's timezone.
    case 'Message date':
      return new TZDate(a.at, timezone).toISOString();
    case 'Direction':
      return a.type === 'Inbound message' ? 'Inbound' : a.type === 'Outbound reply' ? 'Outbound' : '';
    case 'Status':
      return frontStatus(a.conversation);
    // [emulator] Teammates are named by email, which `GET /teammates` also returns.
    case 'Author':
      return a.type === 'Outbound reply' ? email(assignee) : '';
    case 'Assignee':
      return email(assignee);
    case 'Survey rating':
      return a.rating === null ? '' : String(a.rating);
    case 'Segment':
      return String(a.segment);
    case 'Replies to resolution':
      return a.repliesToResolution === null ? '' : String(a.repliesToResolution);
    case 'New Conversation':
      return a.type === 'Inbound message' ? String(a.segment === 1) : '';
    default:
      return '';
  }
}

function exportCsv(ctx: EmulatorContext, request: ExportRequest): string {
  const timezone = request.timezone ?? 'Etc/UTC';
  const { from, to } = dayRange(request.start, request.end, timezone);
  const matches = conversationFilter(request.filters);
  const names = request.columns.map((col) => (typeof col === 'string' ? col : `${col.name}:${col.id}`));
  const rows = allActivities(ctx).filter(
    (a) =>
      a.at >= from &&
      a.at < to &&
      matches(a.conversation) &&
      (request.type === 'events' || a.type === 'Inbound message' || a.type === 'Outbound reply'),
  );
  const emails = new Map(ctx.dataset.agents.map((g) => [g.id, g.email]));
  return stringifyCsv([names, ...rows.map((a) => names.map((n) => cell(emails, n, a, timezone)))], {
    record_delimiter: 'windows',
  });
}

async function readJson(c: Context): Promise<unknown> {
  return c.req.json().catch(() => undefined);
}

export function mountFrontAnalytics(app: Hono, ctx: EmulatorContext): void {
  const reports = new Map<string, Job<ReportRequest>>();
  const exports = new Map<string, Job<ExportRequest>>();
  let next = 1;

  app.post(
    '/analytics/reports',
    guarded(ctx, async (c) => {
      const parsed = ReportRequestSchema.safeParse(await readJson(c));
      if (!parsed.success) return frontError(c, 400, 'Bad Request', 'Invalid analytics report request.');
      const uid = `${(next++).toString(16).padStart(8, '0')}${ctx.dataset.seed.toString(16).padStart(8, '0')}`;
      reports.set(uid, { request: parsed.data, polls: 0, createdAt: ctx.now() });
      return c.json(
        {
          _links: { self: `${publicBase(c, ctx)}/analytics/reports/${uid}` },
          uid,
          status: 'running',
          progress: 0,
          metrics: [],
        },
        201,
      );
    }),
  );

  app.get(
    '/analytics/reports/:uid',
    guarded(ctx, (c) => {
      const job = reports.get(c.req.param('uid') ?? '');
      if (!job) return frontError(c, 404, 'Not Found', 'Unknown analytics report.');
      job.polls += 1;
      return c.json({
        _links: { self: `${publicBase(c, ctx)}/analytics/reports/${c.req.param('uid') ?? ''}` },
        uid: c.req.param('uid') ?? '',
        status: 'done',
        progress: 100,
        metrics: computeReport(ctx, job.request),
      });
    }),
  );

  app.post(
    '/analytics/exports',
    guarded(ctx, async (c) => {
      const parsed = ExportRequestSchema.safeParse(await readJson(c));
      if (!parsed.success) return frontError(c, 400, 'Bad Request', 'Invalid analytics export request.');
      const id = `exp_${(next++).toString(36)}`;
      exports.set(id, { request: parsed.data, polls: 0, createdAt: ctx.now() });
      return c.json(
        {
          _links: { self: `${publicBase(c, ctx)}/analytics/exports/${id}` },
          id,
          status: 'running',
          progress: 0,
          created_at: frontTime(ctx.now()),
          filters: parsed.data.filters ?? {},
        },
        201,
      );
    }),
  );

  app.get(
    '/analytics/exports/:id',
    guarded(ctx, (c) => {
      const id = c.req.param('id') ?? '';
      const job = exports.get(id);
      if (!job) return frontError(c, 404, 'Not Found', 'Unknown analytics export.');
      job.polls += 1;
      job.file ??= exportCsv(ctx, job.request);
      const base = publicBase(c, ctx);
      return c.json({
        _links: { self: `${base}/analytics/exports/${id}` },
        id,
        status: 'done',
        progress: 100,
        url: `${base}/analytics/exports/${id}/download`,
        filename: `export-${job.request.type}-${ctx.account.id}-${id}.csv`,
        size: Buffer.byteLength(job.file),
        created_at: frontTime(job.createdAt),
        filters: job.request.filters ?? {},
      });
    }),
  );

  app.get(
    '/analytics/exports/:id/download',
    guarded(ctx, (c) => {
      const job = exports.get(c.req.param('id') ?? '');
      if (job?.file === undefined) return frontError(c, 404, 'Not Found', 'Unknown analytics export.');
      c.header('content-type', 'text/csv; charset=utf-8');
      return c.body(job.file);
    }),
  );
}
