import { completedWeeks } from './chunk-JFRFXCQY.js';
import {
  ZENDESK_BASE_URL_TEMPLATE,
  ZENDESK_PATHS,
  ZENDESK_SUBDOMAIN,
  zendeskOAuth,
  zendeskParams,
} from './chunk-MAMGE6RR.js';

// src/lib/result.ts
var ok = (value) => ({ ok: true, value });
var err = (error) => ({ ok: false, error });

// src/providers/pacer.ts
function retryAfterMs(headers3, now = Date.now()) {
  const value = headers3.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = resetAt(headers3, now);
  return reset !== void 0 ? Math.max(0, reset - now) : 6e4;
}
function resetAt(headers3, now) {
  const raw = headers3.get('x-ratelimit-reset') ?? headers3.get('ratelimit-reset');
  if (raw === null) return void 0;
  const n = Number(raw);
  if (Number.isFinite(n)) return n > 1e9 ? n * 1e3 : now + n * 1e3;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? at : void 0;
}
var Pacer = class {
  until = 0;
  waits = 0;
  waitedMs = 0;
  note(headers3, now = Date.now()) {
    const remaining =
      headers3.get('x-ratelimit-remaining') ??
      headers3.get('ratelimit-remaining') ??
      headers3.get('x-rate-limit-remaining');
    if (remaining === null || Number(remaining) > 0) return;
    const reset = resetAt(headers3, now);
    if (reset !== void 0) this.until = Math.max(this.until, reset);
  }
  backOff(ms3, now = Date.now()) {
    this.until = Math.max(this.until, now + ms3);
  }
  async wait(sleep3, now = Date.now()) {
    const ms3 = this.until - now;
    if (ms3 <= 0) return;
    this.waits++;
    this.waitedMs += ms3;
    await sleep3(ms3);
  }
};

// src/providers/front/index.ts
import { z as z3 } from 'zod';

// src/providers/http.ts
var TIMEOUT_MS = 15e3;
var MAX_DETAIL = 300;
function authorizationHeader(credential) {
  return credential.kind === 'bearer'
    ? `Bearer ${credential.token}`
    : `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}
function secretsOf(credential) {
  if (!credential) return [];
  return credential.kind === 'bearer' ? [credential.token] : [credential.password];
}
function sanitizeDetail(text, secrets = []) {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  out = out.replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}\u2026` : out;
}
var sleep = (ms3) => new Promise((r) => setTimeout(r, ms3));
var MAX_RATE_LIMIT_WAIT_MS = 5 * 6e4;
var MAX_ATTEMPTS = 10;
function errorMessage(body, fallback) {
  if (body && typeof body === 'object') {
    const b = body;
    const nested = b._error ?? b.error;
    if (nested && typeof nested === 'object') {
      const n = nested;
      const msg = n.message ?? n.title ?? n.description;
      if (typeof msg === 'string') return msg;
    }
    if (typeof b.error_description === 'string') return b.error_description;
    if (typeof b.description === 'string') return b.description;
    if (typeof b.message === 'string') return b.message;
    if (typeof nested === 'string') return nested;
    if (Array.isArray(b.errors) && b.errors[0] && typeof b.errors[0] === 'object') {
      const first = b.errors[0];
      if (typeof first.message === 'string') return first.message;
    }
  }
  return fallback;
}
async function callProvider(ctx, req) {
  const secrets = secretsOf(req.credential);
  const headers3 = { accept: req.accept ?? 'application/json', ...req.headers };
  if (req.credential) headers3.authorization = authorizationHeader(req.credential);
  if (req.json !== void 0) headers3['content-type'] = 'application/json';
  let res;
  for (let attempt = 1; ; attempt++) {
    await ctx.pacer?.wait(sleep);
    try {
      res = await ctx.fetch(req.url, {
        method: req.method ?? 'GET',
        headers: headers3,
        ...(req.json !== void 0 ? { body: JSON.stringify(req.json) } : {}),
        signal: AbortSignal.timeout(req.timeoutMs ?? TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (e) {
      ctx.onResponse?.('network');
      const name = e instanceof Error ? e.name : 'Error';
      return err({
        code: 'upstream_unavailable',
        detail:
          name === 'TimeoutError'
            ? `timed out after ${req.timeoutMs ?? TIMEOUT_MS} ms`
            : `network error (${name})`,
      });
    }
    ctx.onResponse?.(res.status);
    ctx.pacer?.note(res.headers);
    if (res.status !== 429 || attempt >= MAX_ATTEMPTS) break;
    const wait = retryAfterMs(res.headers);
    if (wait > MAX_RATE_LIMIT_WAIT_MS) break;
    await res.body?.cancel();
    if (ctx.pacer) ctx.pacer.backOff(wait);
    else await sleep(wait);
  }
  const text = await res.text().catch(() => '');
  let body = void 0;
  try {
    body = text ? JSON.parse(text) : void 0;
  } catch {
    body = void 0;
  }
  const detail = () =>
    sanitizeDetail(`${res.status}: ${errorMessage(body, text.slice(0, 200) || res.statusText)}`, secrets);
  if (res.status === 401 || res.status === 403) return err({ code: 'unauthorized', detail: detail() });
  if (res.status === 429)
    return err({ code: 'rate_limited', retryAfterMs: retryAfterMs(res.headers), detail: detail() });
  if (res.status >= 500) return err({ code: 'upstream_unavailable', detail: detail() });
  if (res.status >= 400) return err({ code: 'unexpected_response', detail: detail() });
  if (req.body !== 'text' && text && body === void 0) {
    return err({ code: 'unexpected_response', detail: `${res.status}: body is not JSON` });
  }
  const parsed = req.schema.safeParse(req.body === 'text' ? text : body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({
      code: 'unexpected_response',
      detail: `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return ok(parsed.data);
}

// src/providers/types.ts
function defineTokenConnect(body, toStored) {
  return { body, toStored: (b) => toStored(body.parse(b)) };
}

// src/providers/front/auth.ts
var frontOAuth = {
  // No scope parameter: a scope causes invalid_scope; capabilities are configured on the app.
  scopes: null,
  // Not in the classic OAuth doc; Front's newer server metadata advertises S256 and the emulator enforces it.
  pkce: true,
  // The token endpoint requires HTTP Basic client authentication.
  clientAuth: 'client_secret_basic',
  tokenBody: 'form',
  // Refresh returns "the same, or new" refresh token: always persist what comes back.
  refresh: 'reuse',
  // `expires_at`, not `expires_in`; access tokens last an hour.
  expiry: 'expires_at',
};
var FRONT_APP_URL = 'https://app.frontapp.com';
var FRONT_API_URL = 'https://api2.frontapp.com';
var FRONT_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token' };

// src/providers/front/metrics.ts
import { parse as parseCsv } from 'csv-parse/sync';
import { z as z2 } from 'zod';

// src/metrics/calculator.ts
var DAY_MS = 864e5;
var NOT_MEASURED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  csatMeanScoreUnsupported: "the helpdesk's rating scale is not numeric (good/bad only)",
  deflectionUnsupported: 'the helpdesk does not report AI-resolved conversations',
  noRatings: 'no ratings in the window',
  noFirstResponse: 'no conversation created in the window got a human reply',
  noneClosed: 'no conversation closed in the window',
  pointInTime: 'point-in-time metric: not reconstructible for past weeks',
};
var DEFAULT_REASONS = {
  firstReplyUnknown: 'the first reply time of some conversations in the window is not known to the second',
  oldestOpenUnknown: 'the helpdesk counted open conversations but listed none',
};
var inRange = (t, r) => t !== null && t >= r.from && t < r.to;
function openStateOf(createdAts) {
  let count = 0;
  let oldest = Infinity;
  for (const t of createdAts) {
    count++;
    oldest = Math.min(oldest, t);
  }
  return { count, oldestCreatedAt: count === 0 ? null : oldest };
}
function median(sorted) {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2];
  return (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
function p90(sorted) {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.ceil(0.9 * n) - 1];
}
var FirstResponses = class {
  values = [];
  unknown = false;
  add(c) {
    if (this.unknown) return;
    if (c.firstReplyKnown === false) {
      this.unknown = true;
      this.values = [];
    } else if (c.createdAt !== null && c.firstReplyAt !== null) {
      this.values.push((c.firstReplyAt - c.createdAt) / 1e3);
    }
  }
  /** Ascending; null when one of them is not known. */
  sorted() {
    return this.unknown ? null : Float64Array.from(this.values).sort();
  }
};
var Csat = class {
  responses = 0;
  positive = 0;
  scored = 0;
  scoreSum = 0;
  add(r) {
    this.responses++;
    if (r.positive) this.positive++;
    if (r.score !== null) {
      this.scored++;
      this.scoreSum += r.score;
    }
  }
  get percent() {
    return this.responses === 0 ? null : (100 * this.positive) / this.responses;
  }
  get meanScore() {
    return this.scored === 0 ? null : this.scoreSum / this.scored;
  }
};
var WindowTotals = class {
  created = 0;
  replies = new FirstResponses();
  resolved = 0;
  oneTouch = 0;
  aiResolved = 0;
  csat = new Csat();
  addCreated(c) {
    this.created++;
    this.replies.add(c);
  }
  addClosed(c) {
    this.resolved++;
    if (c.oneTouch) this.oneTouch++;
    if (c.aiResolved) this.aiResolved++;
  }
  values(caps, reasons) {
    const notMeasured = { utilisation: NOT_MEASURED.utilisation };
    const csat = this.csat;
    if (csat.responses === 0) notMeasured.csat = NOT_MEASURED.noRatings;
    let csatMeanScore = null;
    if (!caps.csatMeanScore) notMeasured.csatMeanScore = NOT_MEASURED.csatMeanScoreUnsupported;
    else if (csat.responses === 0) notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
    else csatMeanScore = csat.meanScore;
    const seconds = this.replies.sorted();
    const noReply =
      seconds === null
        ? reasons.firstReplyUnknown
        : seconds.length === 0
          ? NOT_MEASURED.noFirstResponse
          : null;
    if (noReply !== null) {
      notMeasured.firstResponseSeconds = noReply;
      notMeasured.firstResponseP90Seconds = noReply;
    }
    if (this.resolved === 0) notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
    let deflectionRate = null;
    if (!caps.deflectionRate) notMeasured.deflectionRate = NOT_MEASURED.deflectionUnsupported;
    else if (this.resolved === 0) notMeasured.deflectionRate = NOT_MEASURED.noneClosed;
    else deflectionRate = (100 * this.aiResolved) / this.resolved;
    return {
      values: {
        weeklyVolume: this.created,
        csat: csat.percent,
        csatResponses: csat.responses,
        csatMeanScore,
        firstResponseSeconds: seconds === null ? null : median(seconds),
        firstResponseP90Seconds: seconds === null ? null : p90(seconds),
        openNow: null,
        backlogAgeDays: null,
        oneTouchRate: this.resolved === 0 ? null : (100 * this.oneTouch) / this.resolved,
        deflectionRate,
        utilisation: null,
      },
      notMeasured,
    };
  }
};
var AgentTotals = class {
  /** Has a conversation created in the 30-day window (docs/metrics.md: only those agents get a row). */
  active = false;
  tickets = 0;
  replies = new FirstResponses();
  csat = new Csat();
};
var MAX_COVERED_WEEKS = 520;
var MetricsFold = class {
  constructor(req, caps, reasons = {}) {
    this.req = req;
    this.caps = caps;
    this.now = req.now.getTime();
    this.week = { from: this.now - 7 * DAY_MS, to: this.now };
    this.month = { from: this.now - 30 * DAY_MS, to: this.now };
    this.reasons = { ...DEFAULT_REASONS, ...reasons };
    const n = req.historyWeeks === 'covered' ? MAX_COVERED_WEEKS : req.historyWeeks;
    this.calendar = completedWeeks(req.now, req.timezone, n);
    this.starts = Float64Array.from(this.calendar, (w) => w.start.getTime());
  }
  req;
  caps;
  now;
  week;
  month;
  current = new WindowTotals();
  /** The completed weeks a fact can fall in, oldest first, and their start instants for a binary search. */
  calendar;
  starts;
  weeks = /* @__PURE__ */ new Map();
  agents = /* @__PURE__ */ new Map();
  names = /* @__PURE__ */ new Map();
  open = { count: 0, oldestCreatedAt: null };
  coveredFrom = Infinity;
  reasons;
  /** The completed week holding `t`, or undefined outside the calendar. */
  weekOf(t) {
    const starts = this.starts;
    const n = starts.length;
    if (t === null || n === 0 || t < starts[0]) return void 0;
    const last = this.calendar[n - 1];
    if (t >= last.end.getTime()) return void 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    let totals = this.weeks.get(lo);
    if (totals === void 0) this.weeks.set(lo, (totals = new WindowTotals()));
    return totals;
  }
  agent(id) {
    let a = this.agents.get(id);
    if (a === void 0) this.agents.set(id, (a = new AgentTotals()));
    return a;
  }
  addConversation(c) {
    if (inRange(c.createdAt, this.week)) this.current.addCreated(c);
    this.weekOf(c.createdAt)?.addCreated(c);
    if (inRange(c.closedNowAt, this.week)) this.current.addClosed(c);
    this.weekOf(c.closedNowAt)?.addClosed(c);
    if (c.assigneeId === null) return;
    const a = this.agent(c.assigneeId);
    if (inRange(c.createdAt, this.month)) a.active = true;
    if (inRange(c.createdAt, this.week)) {
      a.tickets++;
      a.replies.add(c);
    }
  }
  addRating(r) {
    if (inRange(r.at, this.month)) {
      this.current.csat.add(r);
      if (r.assigneeId !== null) this.agent(r.assigneeId).csat.add(r);
    }
    this.weekOf(r.at)?.csat.add(r);
  }
  nameAgent(a) {
    this.names.set(a.id, a.name);
  }
  setOpen(open) {
    this.open = open;
  }
  /** For `historyWeeks: 'covered'`: the source vouches for everything from `t` on. */
  cover(t) {
    if (t < this.coveredFrom) this.coveredFrom = t;
  }
  snapshot() {
    const now = this.now;
    const current = this.current.values(this.caps, this.reasons);
    const { count, oldestCreatedAt } = this.open;
    current.values.openNow = count;
    if (count === 0) current.values.backlogAgeDays = 0;
    else if (oldestCreatedAt !== null)
      current.values.backlogAgeDays = Math.floor((now - oldestCreatedAt) / DAY_MS);
    else current.notMeasured.backlogAgeDays = this.reasons.oldestOpenUnknown;
    const first =
      this.req.historyWeeks === 'covered'
        ? this.calendar.findIndex((w) => w.start.getTime() >= this.coveredFrom)
        : 0;
    const weeks = (first < 0 ? [] : this.calendar.slice(first)).map((w, i) => {
      const totals = this.weeks.get(first + i) ?? new WindowTotals();
      const { values, notMeasured } = totals.values(this.caps, this.reasons);
      notMeasured.openNow = NOT_MEASURED.pointInTime;
      notMeasured.backlogAgeDays = NOT_MEASURED.pointInTime;
      return { weekStart: w.label, values, notMeasured };
    });
    return {
      measuredAt: this.req.now.toISOString(),
      window: {
        from: new Date(this.week.from).toISOString(),
        to: this.req.now.toISOString(),
        csatFrom: new Date(this.month.from).toISOString(),
      },
      current: current.values,
      notMeasured: current.notMeasured,
      agents: this.agentRows(),
      weeks,
    };
  }
  /** Agents with ≥1 assigned conversation created in the 30-day window, sorted by agentId (docs/metrics.md). */
  agentRows() {
    const rows = [];
    for (const [agentId, a] of this.agents) {
      if (!a.active) continue;
      const seconds = a.replies.sorted();
      rows.push({
        agentId,
        name: this.names.get(agentId) ?? agentId,
        tickets: a.tickets,
        csat: a.csat.percent,
        csatResponses: a.csat.responses,
        firstResponseSeconds: seconds === null ? null : median(seconds),
      });
    }
    return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }
};
function computeSnapshot(input, req, caps) {
  const fold = new MetricsFold(req, caps, input.reasons);
  for (const c of input.conversations) fold.addConversation(c);
  for (const r of input.ratings) fold.addRating(r);
  for (const a of input.agents) fold.nameAgent(a);
  fold.setOpen(input.open);
  return fold.snapshot();
}

// src/providers/front/schemas.ts
import { z } from 'zod';
var FrontTimeSchema = z.number().nonnegative();
var TeammatesSchema = z.object({
  _results: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      first_name: z.string(),
      last_name: z.string(),
      is_blocked: z.boolean(),
      type: z.string(),
    }),
  ),
});
var ConversationPageSchema = z.object({
  _pagination: z.object({ next: z.string().nullish() }).optional(),
  _results: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['archived', 'unassigned', 'deleted', 'assigned']),
      created_at: FrontTimeSchema,
      scheduled_reminders: z.array(z.object({ scheduled_at: FrontTimeSchema.optional() })),
    }),
  ),
});
var AnalyticsExportSchema = z.object({
  _links: z.object({ self: z.string().optional() }),
  id: z.string(),
  status: z.enum(['running', 'done', 'too_big', 'failed']),
  progress: z.number().int().min(0).max(100),
  url: z.string().optional(),
});
var ACTIVITY_TYPES = ['Inbound message', 'Outbound reply', 'Archive', 'Reopen', 'Survey response'];
var EXPORT_COLUMNS = [
  'Type',
  'Conversation API ID',
  'Message date',
  'Assignee',
  'New Conversation',
  'Segment',
  'Replies to resolution',
  'Survey rating',
];
var IntString = z.string().regex(/^\d+$/).transform(Number);
var OptionalInt = z.union([z.literal('').transform(() => null), IntString]);
var ExportRowSchema = z
  .object({
    Type: z.string(),
    'Conversation API ID': z.string().min(1),
    'Message date': z
      .string()
      .transform((s) => Date.parse(s))
      .refine((ms3) => Number.isFinite(ms3), 'not a date'),
    Assignee: z.string(),
    'New Conversation': z.enum(['', 'true', 'false']),
    Segment: z.union([z.literal('').transform(() => null), IntString.refine((n) => n >= 1)]),
    'Replies to resolution': OptionalInt,
    'Survey rating': z.union([
      z.literal('').transform(() => null),
      z
        .string()
        .regex(/^[1-5]$/)
        .transform(Number),
    ]),
  })
  .superRefine((row, ctx) => {
    if (row.Type === 'Survey response' && row['Survey rating'] === null) {
      ctx.addIssue({ code: 'custom', path: ['Survey rating'], message: 'survey response without a rating' });
    }
    if (row.Type === 'Archive' && (row.Segment === null || row['Replies to resolution'] === null)) {
      ctx.addIssue({ code: 'custom', path: ['Segment'], message: 'archive without segment or replies' });
    }
  });

// src/providers/front/metrics.ts
var PAGE_LIMIT = 100;
var POLL_DELAYS_MS = [0, 1e3, 2e3, 4e3, 8e3, 1e4];
var MAX_POLLS = 40;
function exportStart(req) {
  const now = req.now.getTime();
  const weeks = completedWeeks(req.now, req.timezone, req.historyWeeks);
  return Math.min(now - 30 * DAY_MS, weeks[0]?.start.getTime() ?? Infinity);
}
function progress(ctx, done) {
  ctx.onProgress?.({ done });
}
function isTrustedUrl(ctx, url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(ctx.endpoints.apiBaseUrl).origin) return true;
  return parsed.protocol === 'https:' && /(^|\.)(api2?\.)?frontapp\.com$/.test(parsed.hostname);
}
var untrusted = (url) => ({
  code: 'unexpected_response',
  detail: `link to an unexpected host: ${sanitizeDetail(new URL(url, 'http://invalid').host)}`,
});
async function listConversations(ctx, firstUrl, into, calls) {
  let url = firstUrl;
  while (url !== null) {
    if (!isTrustedUrl(ctx, url)) return err(untrusted(url));
    const page = await callProvider(ctx, {
      url,
      credential: ctx.credential,
      schema: ConversationPageSchema,
    });
    progress(ctx, ++calls.n);
    if (!page.ok) return page;
    into.push(...toOpenConversations(page.value));
    url = page.value._pagination?.next ?? null;
  }
  return ok(void 0);
}
function toTeammates(page) {
  return page._results
    .filter((t) => t.type === 'user')
    .map((t) => ({ id: t.id, email: t.email, name: `${t.first_name} ${t.last_name}`.trim() }));
}
function toOpenConversations(page) {
  return page._results.map((c) => ({ id: c.id, createdAt: Math.round(c.created_at * 1e3) }));
}
var sleep2 = (ms3) => new Promise((r) => setTimeout(r, ms3));
async function downloadText(ctx, url) {
  return callProvider(ctx, {
    url,
    credential: ctx.credential,
    accept: 'text/csv',
    body: 'text',
    // One file holds every activity of the window: large accounts need more than the default 15 s.
    timeoutMs: 12e4,
    schema: z2.string(),
  });
}
function parseExport(text) {
  let table;
  try {
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
  const activities = [];
  for (const [n, cells] of rows.entries()) {
    if (cells.length === 1 && cells[0] === '') continue;
    const record = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, cells[index.get(c) ?? -1] ?? '']));
    if (!ACTIVITY_TYPES.includes(record.Type ?? '')) continue;
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
      type: r.Type,
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
async function runExport(ctx, req, calls) {
  const base = ctx.endpoints.apiBaseUrl;
  const created = await callProvider(ctx, {
    method: 'POST',
    url: `${base}/analytics/exports`,
    credential: ctx.credential,
    json: {
      type: 'events',
      start: Math.floor(exportStart(req) / 1e3),
      end: Math.floor(req.now.getTime() / 1e3),
      timezone: req.timezone,
      columns: EXPORT_COLUMNS,
    },
    schema: AnalyticsExportSchema,
  });
  progress(ctx, ++calls.n);
  if (!created.ok) return created;
  let job = created.value;
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
    await sleep2(POLL_DELAYS_MS[Math.min(poll, POLL_DELAYS_MS.length - 1)] ?? 0);
    const polled = await callProvider(ctx, {
      url: self,
      credential: ctx.credential,
      schema: AnalyticsExportSchema,
    });
    progress(ctx, ++calls.n);
    if (!polled.ok) return polled;
    job = polled.value;
  }
  if (job.url === void 0)
    return err({ code: 'unexpected_response', detail: 'finished export without a url' });
  if (!isTrustedUrl(ctx, job.url)) return err(untrusted(job.url));
  const file = await downloadText(ctx, job.url);
  progress(ctx, ++calls.n);
  if (!file.ok) return file;
  return parseExport(file.value);
}
async function fetchFront(ctx, req) {
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
  const open = [];
  const listed = await listConversations(
    ctx,
    `${base}/conversations?q%5Bstatuses%5D=assigned&q%5Bstatuses%5D=unassigned&limit=${PAGE_LIMIT}`,
    open,
    calls,
  );
  if (!listed.ok) return listed;
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
function replay(activities) {
  const ordered = activities.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  const replayed = /* @__PURE__ */ new Map();
  for (const { a } of ordered) {
    let f = replayed.get(a.conversationId);
    if (f === void 0) {
      f = { createdAt: null, assignee: a.assignee, firstReplyAt: null, closed: null, ratings: [] };
      replayed.set(a.conversationId, f);
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
  return replayed;
}
function toFrontSnapshot(raw, req) {
  const openIds = new Set(raw.open.map((c) => c.id));
  const byEmail = new Map(raw.teammates.map((t) => [t.email.toLowerCase(), t.id]));
  const conversations = [];
  const ratings = [];
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
var frontMetrics = {
  // 50 requests/min per company on Starter, shared with the customer's other tools, and analytics exports are
  // built asynchronously (https://dev.frontapp.com/docs/rate-limiting): no more often than every 15 minutes.
  minRefreshIntervalMinutes: 15,
  fetch: fetchFront,
  toSnapshot: toFrontSnapshot,
};

// src/providers/front/index.ts
var IdentitySchema = z3.object({ id: z3.string(), name: z3.string() });
var front = {
  id: 'front',
  displayName: 'Front',
  env: { apiBaseUrl: 'FRONT_API_BASE_URL', oauthBaseUrl: 'FRONT_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { apiToken: 'sandbox-front-token' },
    account: { id: 'cmp_sandbox', name: 'Sandbox Front company' },
  },
  params: {},
  oauth: frontOAuth,
  endpoints: (o) => ({
    authorizeUrl: `${o.oauthBaseUrl ?? FRONT_APP_URL}${FRONT_PATHS.authorize}`,
    tokenUrl: `${o.oauthBaseUrl ?? FRONT_APP_URL}${FRONT_PATHS.token}`,
    apiBaseUrl: o.apiBaseUrl ?? FRONT_API_URL,
  }),
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: base }),
  tokenConnect: defineTokenConnect(z3.strictObject({ apiToken: z3.string().min(8).max(4096) }), (b) => ({
    secret: b.apiToken,
    params: {},
  })),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/me`,
      credential,
      schema: IdentitySchema,
    });
    return r.ok ? ok({ id: r.value.id, name: r.value.name }) : r;
  },
  metrics: frontMetrics,
  // No `revoke`: Front documents revocation only in its UI (https://help.front.com/t/36dsxd); /oauth/revoke
  // appears only in third-party copies of its MCP server metadata (https://github.com/api-evangelist/frontapp).
};

// src/providers/intercom/index.ts
import { z as z5 } from 'zod';

// src/providers/intercom/auth.ts
var intercomOAuth = {
  // No scope parameter: permissions are checkboxes on the app in Developer Hub.
  scopes: null,
  // PKCE is not documented by Intercom; integrators (Nango) run without it.
  pkce: false,
  // The token exchange takes client_id/client_secret in the body, no Basic header.
  clientAuth: 'client_secret_post',
  tokenBody: 'form',
  // No refresh token and no expiry: the token lives until the app is uninstalled.
  refresh: 'none',
  expiry: 'never',
};
var intercomParams = {
  region: { pattern: /^(us|eu|au)$/, required: false, description: 'data hosting region: us, eu or au' },
};
var INTERCOM_APP_URL = 'https://app.intercom.com';
var INTERCOM_API_HOSTS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};
var INTERCOM_PATHS = { authorize: '/oauth', token: '/auth/eagle/token' };
var INTERCOM_VERSION = '2.14';

// src/providers/intercom/schemas.ts
import { z as z4 } from 'zod';
var epochSeconds = z4.number().int().nonnegative();
var IntercomStatisticsSchema = z4
  .object({
    first_admin_reply_at: epochSeconds.nullish(),
    last_admin_reply_at: epochSeconds.nullish(),
    last_close_at: epochSeconds.nullish(),
    count_reopens: z4.number().int().nonnegative().nullish(),
  })
  .nullish();
var IntercomRatingSchema = z4
  .object({
    rating: z4.number().int().min(1).max(5).nullish(),
    updated_at: epochSeconds.nullish(),
  })
  .nullish();
var IntercomConversationSchema = z4.object({
  id: z4.string(),
  created_at: epochSeconds,
  state: z4.enum(['open', 'closed', 'snoozed']),
  // Integer admin id; "If it's not assigned to an admin it will return 0" (null seen in the wild too).
  admin_assignee_id: z4.number().int().nonnegative().nullish(),
  statistics: IntercomStatisticsSchema,
  conversation_rating: IntercomRatingSchema,
  ai_agent_participated: z4.boolean(),
  ai_agent: z4.object({ resolution_state: z4.string().nullish() }).nullish(),
});
var IntercomConversationListSchema = z4.object({
  type: z4.literal('conversation.list'),
  conversations: z4.array(IntercomConversationSchema),
  total_count: z4.number().int().nonnegative(),
  pages: z4
    .object({
      next: z4.object({ starting_after: z4.string().nullish() }).nullish(),
    })
    .nullish(),
});
var IntercomAdminListSchema = z4.object({
  type: z4.literal('admin.list'),
  admins: z4.array(z4.object({ id: z4.string(), name: z4.string() })),
});

// src/providers/intercom/metrics.ts
var INTERCOM_PAGE_SIZE = 150;
var MAX_PAGES = 1e5;
var AI_RESOLVED_STATES = /* @__PURE__ */ new Set(['assumed_resolution', 'confirmed_resolution']);
var headers = { 'Intercom-Version': INTERCOM_VERSION };
function oldestWindowStart(req) {
  const monthStart = req.now.getTime() - 30 * DAY_MS;
  const oldestWeek = completedWeeks(req.now, req.timezone, req.historyWeeks)[0];
  return oldestWeek === void 0 ? monthStart : Math.min(monthStart, oldestWeek.start.getTime());
}
function intercomSearchQuery(since) {
  const after = Math.floor(since / 1e3) - 1;
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
async function fetchRaw(ctx, req) {
  const base = ctx.endpoints.apiBaseUrl;
  const admins = await callProvider(ctx, {
    url: `${base}/admins`,
    credential: ctx.credential,
    headers,
    schema: IntercomAdminListSchema,
  });
  if (!admins.ok) return admins;
  const query2 = intercomSearchQuery(oldestWindowStart(req));
  const byId = /* @__PURE__ */ new Map();
  let cursor;
  const seen = /* @__PURE__ */ new Set();
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      return err({ code: 'unexpected_response', detail: 'search pagination never ended' });
    const r = await callProvider(ctx, {
      method: 'POST',
      url: `${base}/conversations/search`,
      credential: ctx.credential,
      headers,
      json: {
        query: query2,
        pagination: {
          per_page: INTERCOM_PAGE_SIZE,
          ...(cursor === void 0 ? {} : { starting_after: cursor }),
        },
      },
      schema: IntercomConversationListSchema,
    });
    if (!r.ok) return r;
    for (const c of r.value.conversations) byId.set(c.id, c);
    ctx.onProgress?.({ done: byId.size, total: r.value.total_count });
    const next = r.value.pages?.next?.starting_after ?? void 0;
    if (next === void 0) break;
    if (seen.has(next)) return err({ code: 'unexpected_response', detail: 'search returned a cursor twice' });
    seen.add(next);
    cursor = next;
  }
  return ok({ conversations: [...byId.values()], admins: admins.value.admins });
}
var ms = (seconds) => (seconds === null || seconds === void 0 ? null : seconds * 1e3);
function factsOf(c) {
  const stats = c.statistics;
  const firstReplyAt = ms(stats?.first_admin_reply_at);
  const lastReplyAt = ms(stats?.last_admin_reply_at);
  const assigneeId = c.admin_assignee_id ? String(c.admin_assignee_id) : null;
  const rating = c.conversation_rating;
  const ratedAt = ms(rating?.updated_at);
  return {
    conversation: {
      createdAt: c.created_at * 1e3,
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
      rating?.rating !== null && rating?.rating !== void 0 && ratedAt !== null
        ? // Positive = 4–5 of 5 stars (docs/metrics.md).
          { at: ratedAt, positive: rating.rating >= 4, score: rating.rating, assigneeId }
        : null,
  };
}
function toSnapshot(raw, req) {
  const facts = raw.conversations.map(factsOf);
  return computeSnapshot(
    {
      conversations: facts.map((f) => f.conversation),
      // One rating per conversation at most.
      ratings: facts.flatMap((f) => (f.rating === null ? [] : [f.rating])),
      // Open + snoozed (docs/metrics.md).
      open: openStateOf(raw.conversations.filter((c) => c.state !== 'closed').map((c) => c.created_at * 1e3)),
      // An admin removed from the workspace is no longer listed: computeSnapshot shows the id instead.
      agents: raw.admins,
    },
    req,
    { csatMeanScore: true, deflectionRate: true },
  );
}
var intercomMetrics = {
  // 10,000 calls/min per app, 25,000 per workspace (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting);
  // a refresh is ~1 search call per 150 conversations, so every 5 minutes is well inside it.
  minRefreshIntervalMinutes: 5,
  fetch: fetchRaw,
  toSnapshot,
};

// src/providers/intercom/index.ts
var MeSchema = z5.object({
  type: z5.literal('admin'),
  app: z5.object({ id_code: z5.string(), name: z5.string(), region: z5.string().optional() }),
});
var headers2 = { 'Intercom-Version': INTERCOM_VERSION };
var intercom = {
  id: 'intercom',
  displayName: 'Intercom',
  env: { apiBaseUrl: 'INTERCOM_API_BASE_URL', oauthBaseUrl: 'INTERCOM_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { accessToken: 'sandbox-intercom-token' },
    account: { id: 'sandbox01', name: 'Sandbox Intercom workspace' },
  },
  params: intercomParams,
  oauth: intercomOAuth,
  endpoints: (o, params) => {
    const region = params.region ?? 'us';
    return {
      authorizeUrl: `${o.oauthBaseUrl ?? INTERCOM_APP_URL}${INTERCOM_PATHS.authorize}`,
      // The token endpoint is on the US API host, which routes to the workspace's region.
      tokenUrl: `${o.apiBaseUrl ?? INTERCOM_API_HOSTS.us}${INTERCOM_PATHS.token}`,
      apiBaseUrl: o.apiBaseUrl ?? INTERCOM_API_HOSTS[region],
    };
  },
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: base }),
  tokenConnect: defineTokenConnect(
    z5.strictObject({
      accessToken: z5.string().min(8).max(512),
      region: z5.enum(['us', 'eu', 'au']).optional(),
    }),
    (b) => ({
      secret: b.accessToken,
      params: { region: b.region ?? 'us' },
    }),
  ),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  metrics: intercomMetrics,
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/me`,
      credential,
      headers: headers2,
      schema: MeSchema,
    });
    return r.ok ? ok({ id: r.value.app.id_code, name: r.value.app.name }) : r;
  },
  // Uninstall revokes the token and the install: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/installing-uninstalling-apps#revoking-access
  async revoke(credential, ctx) {
    const r = await callProvider(ctx, {
      method: 'POST',
      url: `${ctx.endpoints.apiBaseUrl}/auth/uninstall`,
      credential,
      headers: headers2,
      json: {},
      schema: z5.unknown(),
    });
    return r.ok ? ok(void 0) : r;
  },
};

// src/providers/plain/index.ts
import { z as z7 } from 'zod';

// src/providers/plain/auth.ts
var plainOAuth = {
  scopes: null,
  // Client-side Plain apps require PKCE S256; server-side ones accept it.
  pkce: true,
  clientAuth: 'client_secret_basic',
  tokenBody: 'form',
  refresh: 'rotating',
  expiry: 'expires_in',
};
var PLAIN_API_URL = 'https://core-api.uk.plain.com/graphql/v1';
var PLAIN_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token' };

// src/providers/plain/schemas.ts
import { z as z6 } from 'zod';
var DateTimeSchema = z6.object({
  iso8601: z6.string().refine((s) => Number.isFinite(Date.parse(s)), 'not an ISO 8601 datetime'),
});
var MessageInfoSchema = z6.object({ timestamp: DateTimeSchema }).nullable();
var PageInfoSchema = z6.object({ hasNextPage: z6.boolean(), endCursor: z6.string().nullable() });
var ThreadNodeSchema = z6.object({
  id: z6.string(),
  status: z6.enum(['TODO', 'SNOOZED', 'DONE']),
  createdAt: DateTimeSchema,
  statusChangedAt: DateTimeSchema,
  // `ThreadAssignee = User | MachineUser | System`: only users are agents.
  assignedTo: z6
    .discriminatedUnion('__typename', [
      z6.object({ __typename: z6.literal('User'), id: z6.string() }),
      z6.object({ __typename: z6.enum(['MachineUser', 'System']) }),
    ])
    .nullable(),
  firstOutboundMessageInfo: MessageInfoSchema,
  lastOutboundMessageInfo: MessageInfoSchema,
  lastInboundMessageInfo: MessageInfoSchema,
  // `rating: Int`; Plain's survey is 1–5 stars [uncertain: docs/metrics/plain.md]. Outside 1–5 is drift.
  surveyResponse: z6
    .object({ rating: z6.number().int().min(1).max(5).nullable(), respondedAt: DateTimeSchema.nullable() })
    .nullable(),
});
var UserNodeSchema = z6.object({ id: z6.string(), fullName: z6.string() });
var GraphQLErrorsSchema = z6
  .array(
    z6.object({ message: z6.string(), extensions: z6.object({ code: z6.string().optional() }).optional() }),
  )
  .optional();
var ThreadsPageSchema = z6.object({
  totalCount: z6.number().int().nonnegative(),
  pageInfo: PageInfoSchema,
  edges: z6.array(z6.object({ node: ThreadNodeSchema })),
});
var ThreadsResponseSchema = z6.object({
  data: z6.object({ threads: ThreadsPageSchema }).nullable().optional(),
  errors: GraphQLErrorsSchema,
});
var UsersPageSchema = z6.object({
  pageInfo: PageInfoSchema,
  edges: z6.array(z6.object({ node: UserNodeSchema })),
});
var UsersResponseSchema = z6.object({
  data: z6.object({ users: UsersPageSchema }).nullable().optional(),
  errors: GraphQLErrorsSchema,
});

// src/providers/plain/metrics.ts
var PLAIN_PAGE_SIZE = 100;
var THREADS_QUERY = `query DeskpulseThreads($filters: ThreadsFilter, $sortBy: ThreadsSort, $first: Int, $after: String) {
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
var USERS_QUERY = `query DeskpulseUsers($first: Int, $after: String) {
  users(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName } }
  }
}`;
function earliestWindowStart(req) {
  const weeks = completedWeeks(req.now, req.timezone, req.historyWeeks);
  return Math.min(req.now.getTime() - 30 * DAY_MS, weeks[0]?.start.getTime() ?? Infinity);
}
function threadsFilter(req) {
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
function classifyErrors(errors) {
  const first = errors?.[0];
  if (!first) return null;
  const code = first.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
    return { code: 'unauthorized', detail: first.message };
  if (code === 'RATE_LIMITED') return { code: 'rate_limited', retryAfterMs: 6e4, detail: first.message };
  if (code === 'INTERNAL_SERVER_ERROR') return { code: 'upstream_unavailable', detail: first.message };
  return { code: 'unexpected_response', detail: first.message };
}
async function query(ctx, body, schema) {
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
async function fetchPlain(ctx, req) {
  let done = 0;
  let total;
  const report = () => ctx.onProgress?.({ done, total });
  const users = [];
  let after = null;
  do {
    const r = await query(
      ctx,
      { query: USERS_QUERY, variables: { first: PLAIN_PAGE_SIZE, after } },
      UsersResponseSchema,
    );
    if (!r.ok) return r;
    const page = r.value.data?.users;
    if (!page) return err({ code: 'unexpected_response', detail: 'no users in the response' });
    users.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    done++;
    report();
  } while (after !== null);
  const threads = [];
  const filters = threadsFilter(req);
  after = null;
  do {
    const r = await query(
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
    const page = r.value.data?.threads;
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
var ms2 = (d) => Date.parse(d.iso8601);
function factsOf2(node) {
  const createdAt = ms2(node.createdAt);
  const firstReplyAt = node.firstOutboundMessageInfo ? ms2(node.firstOutboundMessageInfo.timestamp) : null;
  const lastReplyAt = node.lastOutboundMessageInfo ? ms2(node.lastOutboundMessageInfo.timestamp) : null;
  const lastInboundAt = node.lastInboundMessageInfo ? ms2(node.lastInboundMessageInfo.timestamp) : null;
  const assigneeId = node.assignedTo?.__typename === 'User' ? node.assignedTo.id : null;
  const survey = node.surveyResponse;
  return {
    conversation: {
      createdAt,
      assigneeId,
      firstReplyAt,
      // The last close of a thread DONE now is its last status change.
      closedNowAt: node.status === 'DONE' ? ms2(node.statusChangedAt) : null,
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
          { at: ms2(survey.respondedAt), positive: survey.rating >= 4, score: survey.rating, assigneeId }
        : null,
  };
}
function plainSnapshot(raw, req) {
  const nodes = [...new Map(raw.threads.map((n) => [n.id, n])).values()];
  const facts = nodes.map(factsOf2);
  return computeSnapshot(
    {
      conversations: facts.map((f) => f.conversation),
      // One rating per conversation at most.
      ratings: facts.flatMap((f) => (f.rating === null ? [] : [f.rating])),
      // Plain todo + snoozed (docs/metrics.md): every status but DONE.
      open: openStateOf(nodes.filter((n) => n.status !== 'DONE').map((n) => ms2(n.createdAt))),
      agents: raw.users.map((u) => ({ id: u.id, name: u.fullName })),
    },
    req,
    { csatMeanScore: true, deflectionRate: false },
  );
}
var plainMetrics = {
  // 450 requests/min per workspace on the smallest plans
  // (https://plain.support.site/article/understanding-rate-limits-and-their-impact-on-api-usage-jwz2h8psnkd6tgbyo8acorre);
  // a refresh pages threads 100 at a time, so 10 minutes leaves the workspace's own tools room.
  minRefreshIntervalMinutes: 10,
  fetch: fetchPlain,
  toSnapshot: plainSnapshot,
};

// src/providers/plain/index.ts
var WorkspaceQuery = 'query DeskpulseWorkspace { myWorkspace { id name } }';
var ResponseSchema = z7.object({
  data: z7
    .object({ myWorkspace: z7.object({ id: z7.string(), name: z7.string() }).nullable() })
    .nullable()
    .optional(),
  errors: z7
    .array(
      z7.object({ message: z7.string(), extensions: z7.object({ code: z7.string().optional() }).optional() }),
    )
    .optional(),
});
var plain = {
  id: 'plain',
  displayName: 'Plain',
  // Plain's API is one GraphQL endpoint, so the variable names the endpoint, not a base.
  env: { apiBaseUrl: 'PLAIN_API_URL', oauthBaseUrl: 'PLAIN_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { apiKey: 'plainApiKey_sandbox' },
    account: { id: 'w_sandbox', name: 'Sandbox Plain workspace' },
  },
  params: {},
  oauth: plainOAuth,
  oauthRequires: ['oauthBaseUrl'],
  endpoints: (o) => ({
    authorizeUrl: o.oauthBaseUrl && `${o.oauthBaseUrl}${PLAIN_PATHS.authorize}`,
    tokenUrl: o.oauthBaseUrl && `${o.oauthBaseUrl}${PLAIN_PATHS.token}`,
    apiBaseUrl: o.apiBaseUrl ?? PLAIN_API_URL,
  }),
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: `${base}/graphql/v1` }),
  // Machine-user API keys look like `plainApiKey_…` (help.plain.com/article/creating-api-keys).
  tokenConnect: defineTokenConnect(z7.strictObject({ apiKey: z7.string().min(8).max(4096) }), (b) => ({
    secret: b.apiKey,
    params: {},
  })),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      method: 'POST',
      url: ctx.endpoints.apiBaseUrl,
      credential,
      json: { query: WorkspaceQuery },
      schema: ResponseSchema,
    });
    if (!r.ok) return r;
    const first = r.value.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      return err(
        code === 'UNAUTHENTICATED' || code === 'FORBIDDEN'
          ? { code: 'unauthorized', detail: first.message }
          : { code: 'unexpected_response', detail: first.message },
      );
    }
    const ws = r.value.data?.myWorkspace;
    if (!ws) return err({ code: 'unexpected_response', detail: 'no workspace in the response' });
    return ok({ id: ws.id, name: ws.name });
  },
  metrics: plainMetrics,
  // No `revoke`: API keys and OAuth apps are deleted in Plain's UI; no revocation endpoint is documented.
};

// src/providers/zendesk/index.ts
import { z as z9 } from 'zod';

// src/providers/zendesk/schemas.ts
import { z as z8 } from 'zod';
var IsoDate = z8.iso.datetime({ offset: true });
var Id = z8.number().int();
var TicketStatusSchema = z8.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']);
var ExportTicketSchema = z8.object({
  id: Id,
  created_at: IsoDate,
  status: TicketStatusSchema,
  assignee_id: Id.nullable(),
});
var MetricTimeSchema = z8.object({ calendar: z8.number().nullable().optional() });
var MetricSetSchema = z8.object({
  ticket_id: Id,
  replies: z8.number().int().nonnegative(),
  reopens: z8.number().int().nonnegative(),
  solved_at: IsoDate.nullable(),
  reply_time_in_minutes: MetricTimeSchema.nullable().optional(),
  // "Number of seconds to the first reply during calendar hours, only available for Messaging tickets".
  reply_time_in_seconds: MetricTimeSchema.nullable().optional(),
});
var TicketExportPageSchema = z8.object({
  tickets: z8.array(ExportTicketSchema),
  metric_sets: z8.array(MetricSetSchema),
  after_cursor: z8.string().nullable(),
  end_of_stream: z8.boolean(),
});
var SearchCountSchema = z8.object({ count: z8.number().int().nonnegative() });
var SearchPageSchema = z8.object({
  results: z8.array(z8.object({ id: Id, created_at: IsoDate })),
});
var CursorMetaSchema = z8.object({
  has_more: z8.boolean(),
  after_cursor: z8.string().nullable(),
});
var SatisfactionRatingSchema = z8.object({
  id: Id,
  ticket_id: Id,
  assignee_id: Id.nullable(),
  // `offered`/`unoffered` records carry no answer and are skipped.
  score: z8.string(),
  updated_at: IsoDate,
});
var SatisfactionRatingsPageSchema = z8.object({
  satisfaction_ratings: z8.array(SatisfactionRatingSchema),
  meta: CursorMetaSchema,
});
var UserSchema = z8.object({ id: Id, name: z8.string() });
var UsersPageSchema2 = z8.object({ users: z8.array(UserSchema), meta: CursorMetaSchema });
var TicketMetricEventSchema = z8.object({
  ticket_id: Id,
  metric: z8.string(),
  instance_id: z8.number().int(),
  type: z8.string(),
  time: IsoDate,
});
var TicketMetricEventsPageSchema = z8.object({
  ticket_metric_events: z8.array(TicketMetricEventSchema),
  count: z8.number().int().nonnegative(),
  end_time: z8.number().int(),
});

// src/providers/zendesk/metrics.ts
var EXPORT_PAGE_SIZE = 1e3;
var CURSOR_PAGE_SIZE = 100;
var TIME_BASED_PAGE_SIZE = 1e3;
var OPEN_QUERY = 'type:ticket status<solved';
var INEXACT_FIRST_RESPONSE =
  'Zendesk gave the first reply time of some tickets in the window in whole minutes only, and no reply_time event for them';
function zendeskFetchRange(req) {
  const now = req.now.getTime();
  let from = now - 30 * DAY_MS;
  for (const week of completedWeeks(req.now, req.timezone, req.historyWeeks))
    from = Math.min(from, week.start.getTime());
  return { from, to: now };
}
function zendeskReplyWindows(req) {
  const now = req.now.getTime();
  return [
    { from: now - 7 * DAY_MS, to: now },
    ...completedWeeks(req.now, req.timezone, req.historyWeeks).map((w) => ({
      from: w.start.getTime(),
      to: w.end.getTime(),
    })),
  ];
}
function isFirstReply(e) {
  return e.metric === 'reply_time' && e.type === 'fulfill' && e.instance_id === 1;
}
function needsReplyEventsFrom(tickets, metricSets, req) {
  const windows = zendeskReplyWindows(req);
  const metricsOf = new Map(metricSets.map((m) => [m.ticket_id, m]));
  let earliest = null;
  for (const t of tickets) {
    const m = metricsOf.get(t.id);
    if (t.status === 'deleted' || m === void 0) continue;
    if ((m.reply_time_in_seconds?.calendar ?? null) !== null) continue;
    if ((m.reply_time_in_minutes?.calendar ?? null) === null) continue;
    const created = Date.parse(t.created_at);
    if (!windows.some((w) => inRange(created, w))) continue;
    earliest = earliest === null ? created : Math.min(earliest, created);
  }
  return earliest;
}
async function fetchRaw2(ctx, req) {
  const base = `${ctx.endpoints.apiBaseUrl}/api/v2`;
  let done = 0;
  const call = async (url, schema) => {
    const r = await callProvider(ctx, { url, credential: ctx.credential, schema });
    done++;
    ctx.onProgress?.({ done });
    return r;
  };
  const range = zendeskFetchRange(req);
  const users = [];
  let usersUrl = `${base}/users?${new URLSearchParams([
    ['role[]', 'agent'],
    ['role[]', 'admin'],
    ['page[size]', String(CURSOR_PAGE_SIZE)],
  ]).toString()}`;
  while (usersUrl !== null) {
    const page = await call(usersUrl, UsersPageSchema2);
    if (!page.ok) return page;
    users.push(...page.value.users);
    usersUrl = nextCursorUrl(usersUrl, page.value.meta);
  }
  const count = await call(
    `${base}/search/count?${new URLSearchParams({ query: OPEN_QUERY }).toString()}`,
    SearchCountSchema,
  );
  if (!count.ok) return count;
  let oldestOpenCreatedAt = null;
  if (count.value.count > 0) {
    const oldest = await call(
      `${base}/search?${new URLSearchParams({
        query: OPEN_QUERY,
        sort_by: 'created_at',
        sort_order: 'asc',
        per_page: '1',
      }).toString()}`,
      SearchPageSchema,
    );
    if (!oldest.ok) return oldest;
    oldestOpenCreatedAt = oldest.value.results[0]?.created_at ?? null;
  }
  const tickets = [];
  const metricSets = [];
  let exportUrl = `${base}/incremental/tickets/cursor?${new URLSearchParams({
    start_time: String(Math.floor(range.from / 1e3)),
    include: 'metric_sets',
    per_page: String(EXPORT_PAGE_SIZE),
  }).toString()}`;
  for (;;) {
    const page = await call(exportUrl, TicketExportPageSchema);
    if (!page.ok) return page;
    tickets.push(...page.value.tickets);
    metricSets.push(...page.value.metric_sets);
    if (page.value.end_of_stream || page.value.after_cursor === null) break;
    exportUrl = `${base}/incremental/tickets/cursor?${new URLSearchParams({
      cursor: page.value.after_cursor,
      include: 'metric_sets',
      per_page: String(EXPORT_PAGE_SIZE),
    }).toString()}`;
  }
  const withMetrics = new Set(metricSets.map((m) => m.ticket_id));
  const missing = tickets.find((t) => t.status !== 'deleted' && !withMetrics.has(t.id));
  if (missing) return err({ code: 'unexpected_response', detail: `no metric set for ticket ${missing.id}` });
  const firstReplyEvents = [];
  const eventsFrom = needsReplyEventsFrom(tickets, metricSets, req);
  if (eventsFrom !== null) {
    let startTime = Math.floor(eventsFrom / 1e3);
    for (;;) {
      const page = await call(
        `${base}/incremental/ticket_metric_events?${new URLSearchParams({ start_time: String(startTime) }).toString()}`,
        TicketMetricEventsPageSchema,
      );
      if (!page.ok) return page;
      for (const e of page.value.ticket_metric_events) if (isFirstReply(e)) firstReplyEvents.push(e);
      if (page.value.count < TIME_BASED_PAGE_SIZE) break;
      if (page.value.end_time <= startTime)
        return err({
          code: 'unexpected_response',
          detail: 'ticket metric events did not advance past a full page',
        });
      startTime = page.value.end_time;
    }
  }
  const ratings = [];
  let ratingsUrl = `${base}/satisfaction_ratings?${new URLSearchParams({
    score: 'received',
    start_time: String(Math.floor(range.from / 1e3)),
    end_time: String(Math.ceil(range.to / 1e3)),
    'page[size]': String(CURSOR_PAGE_SIZE),
  }).toString()}`;
  while (ratingsUrl !== null) {
    const page = await call(ratingsUrl, SatisfactionRatingsPageSchema);
    if (!page.ok) return page;
    ratings.push(...page.value.satisfaction_ratings);
    ratingsUrl = nextCursorUrl(ratingsUrl, page.value.meta);
  }
  return ok({
    users,
    openCount: count.value.count,
    oldestOpenCreatedAt,
    tickets,
    metricSets,
    ratings,
    firstReplyEvents,
  });
}
function nextCursorUrl(url, meta) {
  if (!meta.has_more || meta.after_cursor === null) return null;
  const next = new URL(url);
  next.searchParams.set('page[after]', meta.after_cursor);
  return next.toString();
}
function toTickets(raw) {
  const metricsOf = new Map(raw.metricSets.map((m) => [m.ticket_id, m]));
  const firstReplyAt = /* @__PURE__ */ new Map();
  for (const e of raw.firstReplyEvents) {
    if (!isFirstReply(e)) continue;
    const at = Date.parse(e.time);
    firstReplyAt.set(e.ticket_id, Math.min(at, firstReplyAt.get(e.ticket_id) ?? at));
  }
  const tickets = /* @__PURE__ */ new Map();
  for (const t of raw.tickets) {
    const m = metricsOf.get(t.id);
    if (t.status === 'deleted' || m === void 0) {
      tickets.delete(t.id);
      continue;
    }
    const seconds = m.reply_time_in_seconds?.calendar ?? null;
    const minutes = m.reply_time_in_minutes?.calendar ?? null;
    const createdAt = Date.parse(t.created_at);
    const repliedAt = firstReplyAt.get(t.id);
    const solvedAt = m.solved_at === null ? null : Date.parse(m.solved_at);
    tickets.set(t.id, {
      createdAt,
      assigneeId: t.assignee_id === null ? null : String(t.assignee_id),
      // `reply_time_in_seconds` is an integer (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/),
      // so computeSnapshot's (firstReplyAt − createdAt) / 1000 gives it back exactly: all integers below 2^53.
      firstReplyAt:
        seconds !== null ? createdAt + seconds * 1e3 : minutes === null ? null : (repliedAt ?? null),
      firstReplyKnown: seconds !== null || minutes === null || repliedAt !== void 0,
      closedNowAt: t.status === 'solved' || t.status === 'closed' ? solvedAt : null,
      oneTouch: m.replies === 1 && m.reopens === 0,
      aiResolved: false,
    });
  }
  return tickets;
}
function toRatings(raw, tickets) {
  const deleted = new Set(raw.tickets.filter((t) => t.status === 'deleted').map((t) => t.id));
  const byId = /* @__PURE__ */ new Map();
  for (const r of raw.ratings) {
    if ((r.score !== 'good' && r.score !== 'bad') || deleted.has(r.ticket_id)) continue;
    byId.set(r.id, {
      at: Date.parse(r.updated_at),
      positive: r.score === 'good',
      score: null,
      // "Assigned to the agent" means the ticket's assignee (docs/metrics.md); the rating's own assignee_id is
      // the one at rating time, used when the ticket is not in the export or is unassigned now.
      assigneeId:
        tickets.get(r.ticket_id)?.assigneeId ?? (r.assignee_id === null ? null : String(r.assignee_id)),
    });
  }
  return [...byId.values()];
}
function toSnapshot2(raw, req) {
  const byId = toTickets(raw);
  return computeSnapshot(
    {
      conversations: [...byId.values()],
      ratings: toRatings(raw, byId),
      open: {
        count: raw.openCount,
        oldestCreatedAt: raw.oldestOpenCreatedAt === null ? null : Date.parse(raw.oldestOpenCreatedAt),
      },
      agents: raw.users.map((u) => ({ id: String(u.id), name: u.name })),
      reasons: {
        firstReplyUnknown: INEXACT_FIRST_RESPONSE,
        oldestOpenUnknown: 'Zendesk counted open tickets but the search returned none',
      },
    },
    req,
    { csatMeanScore: false, deflectionRate: false },
  );
}
var zendeskMetrics = {
  // Incremental exports are limited to 10 requests/min per account
  // (https://developer.zendesk.com/api-reference/introduction/rate-limits/): every 15 minutes at most.
  minRefreshIntervalMinutes: 15,
  fetch: fetchRaw2,
  toSnapshot: toSnapshot2,
};

// src/providers/zendesk/index.ts
var MeSchema2 = z9.object({
  user: z9.object({ id: z9.number().nullable(), name: z9.string().nullable().optional() }),
});
var CurrentTokenSchema = z9.object({ token: z9.object({ id: z9.number() }) });
var zendesk = {
  id: 'zendesk',
  displayName: 'Zendesk',
  // OAuth lives on the same per-account host as the API.
  env: { apiBaseUrl: 'ZENDESK_API_BASE_URL', apiBaseUrlPlaceholder: '{subdomain}', oauthBaseUrl: null },
  sandbox: {
    tokenBody: { subdomain: 'sandbox', email: 'admin@sandbox.example', apiToken: 'sandbox-zendesk-token' },
    account: { id: 'sandbox', name: 'sandbox.zendesk.com' },
  },
  params: zendeskParams,
  oauth: zendeskOAuth,
  endpoints: (o, params) => {
    const base = (o.apiBaseUrl ?? ZENDESK_BASE_URL_TEMPLATE).replace('{subdomain}', params.subdomain ?? '');
    return {
      authorizeUrl: `${base}${ZENDESK_PATHS.authorize}`,
      tokenUrl: `${base}${ZENDESK_PATHS.token}`,
      apiBaseUrl: base,
    };
  },
  emulatorOverrides: (base) => ({ oauthBaseUrl: void 0, apiBaseUrl: `${base}/{subdomain}` }),
  tokenConnect: defineTokenConnect(
    z9.strictObject({
      subdomain: z9.string().regex(ZENDESK_SUBDOMAIN, 'must be a Zendesk subdomain like acme'),
      email: z9.email().max(254),
      apiToken: z9.string().min(8).max(512),
    }),
    (b) => ({
      secret: b.apiToken,
      params: { subdomain: b.subdomain, email: b.email },
    }),
  ),
  // API tokens authenticate as `{email}/token:{api_token}` over Basic:
  // https://developer.zendesk.com/api-reference/introduction/security-and-auth/
  credentialFor: (secret, authType, params) =>
    authType === 'token'
      ? { kind: 'basic', username: `${params.email ?? ''}/token`, password: secret }
      : { kind: 'bearer', token: secret },
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/users/me.json`,
      credential,
      schema: MeSchema2,
    });
    if (!r.ok) return r;
    if (r.value.user.id === null)
      return err({ code: 'unauthorized', detail: 'Zendesk did not accept the credential' });
    const subdomain = ctx.params.subdomain ?? '';
    return ok({ id: subdomain, name: `${subdomain}.zendesk.com` });
  },
  metrics: zendeskMetrics,
  // DELETE …/current.json is reported not to revoke
  // (https://support.zendesk.com/hc/en-us/community/posts/5537132288282); look the token id up, then delete it
  // by id (https://developer.zendesk.com/documentation/api-basics/authentication/revoking-oauth-token).
  async revoke(credential, ctx) {
    if (credential.kind !== 'bearer') return ok(void 0);
    const current = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/oauth/tokens/current.json`,
      credential,
      schema: CurrentTokenSchema,
    });
    if (!current.ok) return current;
    const r = await callProvider(ctx, {
      method: 'DELETE',
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/oauth/tokens/${current.value.token.id}.json`,
      credential,
      schema: z9.unknown(),
    });
    return r.ok ? ok(void 0) : r;
  },
};

// src/providers/index.ts
var providers = { intercom, front, plain, zendesk };

export { ok, err, Pacer, sanitizeDetail, providers };
//# sourceMappingURL=chunk-GBRXWDP4.js.map
