import { findWorkspace } from './chunk-WD5DCS6Y.js';
import {
  SOURCE_COLUMNS,
  attachConnectionSource,
  connectionNeedsReauth,
  connectionRecovered,
  credentialFor,
  findConnection,
  liveSourceOf,
  publishEvent,
  recordAudit,
  recordRefreshFailure,
  recordRefreshSuccess,
  telemetry,
  toSource,
} from './chunk-6W4WS6LQ.js';
import { Pacer } from './chunk-GBRXWDP4.js';
import { PROVIDER_IDS } from './chunk-YPT27EPG.js';
import { AppError, newId } from './chunk-KYBJ2MGV.js';
import { completedWeeks } from './chunk-JFRFXCQY.js';

// src/metrics/types.ts
var METRIC_KEYS = [
  'weeklyVolume',
  'csat',
  'csatResponses',
  'csatMeanScore',
  'firstResponseSeconds',
  'firstResponseP90Seconds',
  'openNow',
  'backlogAgeDays',
  'oneTouchRate',
  'deflectionRate',
  'utilisation',
];

// src/contracts/metrics.ts
import { z as z2 } from '@hono/zod-openapi';

// src/contracts/integrations.ts
import { z } from '@hono/zod-openapi';
var ProviderIdSchema = z.enum(PROVIDER_IDS).openapi('ProviderId');
var ProviderParamSchema = z.object({ provider: ProviderIdSchema });
var startQuerySchema = (params) =>
  z.strictObject(
    Object.fromEntries(
      params.map((p) => [p.name, z.string().max(253).optional().openapi({ description: p.description })]),
    ),
  );
var StartResponseSchema = z
  .object({ authorizeUrl: z.string(), expiresAt: z.iso.datetime() })
  .openapi('AuthorizeStart');
var CompleteBodySchema = z
  .strictObject({
    code: z.string().min(1).max(2048),
    state: z.string().min(1).max(256),
    subdomain: z
      .string()
      .max(63)
      .optional()
      .openapi({ description: 'Zendesk: must match the one the flow started with' }),
  })
  .openapi('CompleteOAuth');
var CallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1e3).optional(),
});
var TokenBodySchema = z.record(z.string(), z.unknown()).openapi('TokenConnect', {
  description:
    'Per provider \u2014 front: { apiToken }; intercom: { accessToken, region? }; zendesk: { subdomain, email, apiToken }; plain: { apiKey }',
});
var ConnectionSchema = z
  .object({
    provider: ProviderIdSchema,
    authType: z.enum(['oauth', 'token']),
    status: z.enum(['ok', 'needs_reauth', 'degraded']),
    connectedAt: z.iso.datetime(),
    lastRefreshedAt: z.iso.datetime().nullable(),
    lastRefreshStatus: z
      .enum(['ok', 'unauthorized', 'rate_limited', 'upstream_unavailable', 'unexpected_response'])
      .nullable(),
    lastError: z.string().nullable(),
    account: z.object({ id: z.string(), name: z.string() }).nullable(),
    params: z.record(z.string(), z.string()),
    sandbox: z.boolean(),
    schedule: z.object({
      /** The override, or null for the default (hourly). */
      refreshIntervalMinutes: z.number().int().nullable(),
      /** What the scheduler uses now: the override, the default, or daily while degraded. */
      effectiveIntervalMinutes: z.number().int(),
      minIntervalMinutes: z.number().int(),
      nextRefreshAt: z.iso.datetime(),
      failingSince: z.iso.datetime().nullable(),
      consecutiveFailures: z.number().int(),
    }),
  })
  .openapi('Connection');
var ScheduleBodySchema = z
  .strictObject({
    refreshIntervalMinutes: z
      .number()
      .int()
      .max(1440)
      .nullable()
      .describe('Minutes between scheduled refreshes (provider minimum to 1440); null restores hourly'),
  })
  .openapi('ConnectionSchedule');
var DisconnectQuerySchema = z.strictObject({ provider: ProviderIdSchema });
var AuditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^[0-9]{1,18}$/, 'must be an audit event id')
    .optional(),
});
var AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.string(),
    provider: ProviderIdSchema.nullable(),
    outcome: z.string(),
    detail: z.string().nullable(),
  })
  .openapi('AuditEvent');
var iso = (d) => (d ? d.toISOString() : null);
var toConnectionDto = (c, interval) => ({
  provider: c.provider,
  authType: c.authType,
  status: c.status,
  connectedAt: c.connectedAt.toISOString(),
  lastRefreshedAt: iso(c.lastRefreshedAt ?? c.tokenRefreshedAt),
  lastRefreshStatus: c.lastRefreshStatus,
  lastError: c.lastError,
  account: c.accountId ? { id: c.accountId, name: c.accountName ?? c.accountId } : null,
  params: c.params,
  sandbox: c.isSandbox,
  schedule: {
    refreshIntervalMinutes: c.refreshIntervalMinutes,
    effectiveIntervalMinutes: interval.effectiveMinutes,
    minIntervalMinutes: interval.minMinutes,
    nextRefreshAt: c.nextRefreshAt.toISOString(),
    failingSince: iso(c.failingSince),
    consecutiveFailures: c.consecutiveFailures,
  },
});
var toAuditEventDto = (e) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorLabel,
  action: e.action,
  provider: e.provider,
  outcome: e.outcome,
  detail: e.detail,
});

// src/contracts/metrics.ts
var iso2 = (d) => (d ? d.toISOString() : null);
var MetricValuesSchema = z2
  .object(Object.fromEntries(METRIC_KEYS.map((k) => [k, z2.number().nullable()])))
  .openapi('MetricValues');
var NotMeasuredSchema = z2.record(z2.string(), z2.string()).openapi('NotMeasured', {
  description: 'Why a metric is null: null always means "not measured", never 0',
});
var RefreshAcceptedSchema = z2.object({ refreshId: z2.string() }).openapi('RefreshAccepted');
var RefreshSchema = z2
  .object({
    id: z2.string(),
    provider: ProviderIdSchema,
    state: z2.enum(['queued', 'running', 'retrying', 'succeeded', 'failed']),
    requestedBy: z2.string(),
    historyWeeks: z2.number().int(),
    progress: z2.object({ done: z2.number().int(), total: z2.number().int().nullable() }),
    queuedAt: z2.iso.datetime(),
    startedAt: z2.iso.datetime().nullable(),
    finishedAt: z2.iso.datetime().nullable(),
    durationMs: z2.number().int().nullable(),
    /** While `retrying`: the last attempt's error; when `failed`: the final one. */
    error: z2.object({ code: z2.string(), message: z2.string() }).nullable(),
    trigger: z2.enum(['manual', 'schedule']),
    /** Scheduled refreshes: the start of the slot they belong to (one refresh per connection per slot). */
    slot: z2.iso.datetime().nullable(),
    attempts: z2.number().int(),
    nextAttemptAt: z2.iso.datetime().nullable(),
    providerCalls: z2.number().int(),
    rateLimitedCalls: z2.number().int(),
  })
  .openapi('Refresh');
var toRefreshDto = (r) => ({
  id: r.id,
  provider: r.provider,
  state: r.state,
  requestedBy: r.requestedBy,
  historyWeeks: r.historyWeeks,
  progress: { done: r.progressDone, total: r.progressTotal },
  queuedAt: r.queuedAt.toISOString(),
  startedAt: iso2(r.startedAt),
  finishedAt: iso2(r.finishedAt),
  durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  error: r.errorCode ? { code: r.errorCode, message: r.errorDetail ?? r.errorCode } : null,
  trigger: r.trigger,
  slot: iso2(r.slot),
  attempts: r.attempts,
  nextAttemptAt: iso2(r.nextAttemptAt),
  providerCalls: r.providerCalls,
  rateLimitedCalls: r.rateLimitedCalls,
});
var RefreshParamSchema = z2.object({
  id: z2.string().regex(/^ref_[0-9a-f]{20}$/, 'must be a refresh id'),
});
var SourceSchema = z2
  .object({
    id: z2.string(),
    kind: z2.enum(['connection', 'import']),
    provider: ProviderIdSchema.nullable(),
    account: z2
      .object({ id: z2.string(), name: z2.string() })
      .nullable()
      .openapi({ description: 'The helpdesk account a connection measured; null for imports' }),
    sandbox: z2.boolean().openapi({ description: 'Demo data from a sandbox emulator' }),
    status: z2.enum(['live', 'disconnected', 'account_changed', 'superseded']).openapi({
      description:
        'live: still measuring; disconnected: its connection was removed; account_changed: its connection now measures another account; superseded: a later import of the same export continued it',
    }),
    since: z2.iso.datetime(),
    endedAt: z2.iso.datetime().nullable(),
  })
  .openapi('MetricSource', { description: 'Where the numbers come from' });
var toSourceDto = (s) => ({
  id: s.id,
  kind: s.kind,
  provider: s.provider,
  account: s.account,
  sandbox: s.sandbox,
  status: s.endReason ?? 'live',
  since: s.createdAt.toISOString(),
  endedAt: iso2(s.endedAt),
});
var reasons = (n) => Object.fromEntries(Object.entries(n).filter((e) => typeof e[1] === 'string'));
var ProviderMetricsSchema = z2
  .object({
    provider: ProviderIdSchema.nullable(),
    source: SourceSchema,
    measuredAt: z2.iso.datetime(),
    window: z2.object({
      from: z2.iso.datetime(),
      to: z2.iso.datetime(),
      csatFrom: z2.iso.datetime().nullable(),
    }),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
  })
  .openapi('ProviderMetrics');
var MetricsResponseSchema = z2
  .object({ providers: z2.array(ProviderMetricsSchema) })
  .openapi('Metrics', { description: 'One row per source: live ones first, ended ones after, marked' });
var toMetricsResponse = (rows) => ({
  providers: rows.map((s) => ({
    provider: s.source.provider,
    source: toSourceDto(s.source),
    measuredAt: s.measuredAt.toISOString(),
    window: { from: iso2(s.windowFrom) ?? '', to: iso2(s.windowTo) ?? '', csatFrom: iso2(s.csatFrom) },
    metrics: s.metrics,
    notMeasured: reasons(s.notMeasured),
  })),
});
var HistoryQuerySchema = z2.strictObject({
  weeks: z2.coerce.number().int().min(1).max(52).default(12),
});
var WeekSchema = z2
  .object({
    provider: ProviderIdSchema.nullable(),
    source: SourceSchema,
    weekStart: z2.string(),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
  })
  .openapi('WeekMetrics');
var HistoryResponseSchema = z2
  .object({ timezone: z2.string(), weeks: z2.array(WeekSchema) })
  .openapi('MetricsHistory');
var toHistoryResponse = (timezone, rows) => ({
  timezone,
  weeks: rows.map((s) => ({
    provider: s.source.provider,
    source: toSourceDto(s.source),
    weekStart: s.period.slice('week:'.length),
    metrics: s.metrics,
    notMeasured: reasons(s.notMeasured),
  })),
});
var AgentRowSchema = z2
  .object({
    provider: ProviderIdSchema.nullable(),
    source: SourceSchema,
    agentId: z2.string(),
    name: z2.string(),
    tickets: z2.number().int(),
    csat: z2.number().nullable(),
    csatResponses: z2.number().int(),
    firstResponseSeconds: z2.number().nullable(),
  })
  .openapi('AgentMetrics');
var AgentsResponseSchema = z2.object({ agents: z2.array(AgentRowSchema) }).openapi('Agents');
var toAgentsResponse = (rows) => ({
  agents: rows.flatMap((s) =>
    (s.agents ?? []).map((a) => ({ provider: s.source.provider, source: toSourceDto(s.source), ...a })),
  ),
});
var UpdateWorkspaceBodySchema = z2
  .strictObject({
    name: z2.string().trim().min(1).max(100).optional(),
    timezone: z2
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'IANA timezone; weeks run Monday\u2013Sunday there' }),
  })
  .openapi('UpdateWorkspace');

// src/db/repositories/snapshots.ts
import { sql } from 'kysely';
async function writeSnapshot(db, input) {
  const s = input.snapshot;
  const rows = [
    {
      period: 'current',
      measured_at: new Date(s.measuredAt),
      window_from: new Date(s.window.from),
      window_to: new Date(s.window.to),
      csat_from: new Date(s.window.csatFrom),
      metrics: JSON.stringify(s.current),
      not_measured: JSON.stringify(s.notMeasured),
      agents: JSON.stringify(s.agents),
    },
    ...s.weeks.map((w) => ({
      period: `week:${w.weekStart}`,
      measured_at: new Date(s.measuredAt),
      // A week is named by its Monday in the workspace's timezone; the label is its window.
      window_from: null,
      window_to: null,
      csat_from: null,
      metrics: JSON.stringify(w.values),
      not_measured: JSON.stringify(w.notMeasured),
      agents: null,
    })),
  ];
  const values = rows.map((r) => ({
    ...r,
    workspace_id: input.workspaceId,
    source_id: input.sourceId,
    provider: input.provider,
    refresh_id: input.refreshId,
  }));
  await db
    .insertInto('metric_snapshots')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['source_id', 'period']).doUpdateSet((eb) => ({
        measured_at: eb.ref('excluded.measured_at'),
        window_from: eb.ref('excluded.window_from'),
        window_to: eb.ref('excluded.window_to'),
        csat_from: eb.ref('excluded.csat_from'),
        metrics: eb.ref('excluded.metrics'),
        not_measured: eb.ref('excluded.not_measured'),
        agents: eb.ref('excluded.agents'),
        refresh_id: eb.ref('excluded.refresh_id'),
      })),
    )
    .execute();
}
var toStored = (r) => ({
  source: toSource(r),
  period: r.period,
  measuredAt: r.measured_at,
  windowFrom: r.window_from,
  windowTo: r.window_to,
  csatFrom: r.csat_from,
  metrics: r.metrics,
  notMeasured: r.not_measured,
  agents: r.agents,
});
var joined = (db, workspaceId) =>
  db
    .selectFrom('metric_snapshots')
    .innerJoin('metric_sources', 'metric_sources.id', 'metric_snapshots.source_id')
    .select([
      ...SOURCE_COLUMNS,
      'metric_snapshots.period',
      'metric_snapshots.measured_at',
      'metric_snapshots.window_from',
      'metric_snapshots.window_to',
      'metric_snapshots.csat_from',
      'metric_snapshots.metrics',
      'metric_snapshots.not_measured',
      'metric_snapshots.agents',
    ])
    .where('metric_snapshots.workspace_id', '=', workspaceId);
var SOURCE_ORDER = sql`metric_sources.ended_at desc nulls first, metric_sources.kind,
  metric_sources.provider, metric_sources.created_at`;
async function listCurrentSnapshots(db, workspaceId) {
  const q = joined(db, workspaceId).where('metric_snapshots.period', '=', 'current').orderBy(SOURCE_ORDER);
  return (await q.execute()).map(toStored);
}
async function listWeeklySnapshots(db, workspaceId, since) {
  const q = joined(db, workspaceId)
    .where('metric_snapshots.period', '>=', `week:${since}`)
    .where('metric_snapshots.period', 'like', 'week:%')
    .orderBy(SOURCE_ORDER)
    .orderBy('metric_snapshots.period');
  return (await q.execute()).map(toStored);
}

// src/domain/snapshots.ts
async function commitSnapshot(trx, jobs, c) {
  await writeSnapshot(trx, {
    workspaceId: c.workspaceId,
    sourceId: c.source.id,
    provider: c.source.provider,
    refreshId: c.origin.kind === 'refresh' ? c.origin.refreshId : null,
    snapshot: c.snapshot,
  });
  const { kind: _kind, ...origin } = c.origin;
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'metrics.updated',
    data: {
      provider: c.source.provider,
      ...origin,
      source: { id: c.source.id, kind: c.source.kind, account: c.source.account },
      measuredAt: c.snapshot.measuredAt,
      current: c.snapshot.current,
      weeks: c.snapshot.weeks.map((w) => w.weekStart),
    },
  });
}
var listCurrent = listCurrentSnapshots;
async function listHistory(db, workspaceId, weeks) {
  const ws = await findWorkspace(db, workspaceId);
  if (!ws) throw new AppError('not_found', 'workspace not found');
  const first = completedWeeks(/* @__PURE__ */ new Date(), ws.timezone, weeks)[0]?.label ?? '9999-12-31';
  return { timezone: ws.timezone, rows: await listWeeklySnapshots(db, workspaceId, first) };
}

// src/db/repositories/refreshes.ts
import { sql as sql2 } from 'kysely';
var toRefresh = (r) => ({
  id: r.id,
  workspaceId: r.workspace_id,
  provider: r.provider,
  state: r.state,
  requestedBy: r.requested_by,
  historyWeeks: r.history_weeks,
  progressDone: r.progress_done,
  progressTotal: r.progress_total,
  queuedAt: r.queued_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  errorCode: r.error_code,
  errorDetail: r.error_detail,
  trigger: r.trigger,
  slot: r.slot,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  providerCalls: r.provider_calls,
  rateLimitedCalls: r.rate_limited_calls,
});
var historyWeeksFor = (workspaceId, provider, backfillWeeks) => sql2`case when exists (
    select 1 from metric_snapshots s
    where s.workspace_id = ${workspaceId} and s.provider = ${provider} and s.period like 'week:%'
  ) then 1 else ${backfillWeeks}::int end`;
async function insertRefresh(db, r) {
  const row = await db
    .insertInto('metric_refreshes')
    .values({
      id: r.id,
      workspace_id: r.workspaceId,
      provider: r.provider,
      requested_by: r.requestedBy,
      history_weeks:
        typeof r.historyWeeks === 'number'
          ? r.historyWeeks
          : historyWeeksFor(
              sql2`${r.workspaceId}`,
              sql2`${r.provider}::provider_id`,
              r.historyWeeks.backfillWeeks,
            ),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRefresh(row);
}
async function findRefresh(db, id, workspaceId) {
  let q = db.selectFrom('metric_refreshes').selectAll().where('id', '=', id);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const r = await q.executeTakeFirst();
  return r && toRefresh(r);
}
async function markRunning(db, id) {
  const row = await db
    .updateTable('metric_refreshes')
    .set({
      state: 'running',
      started_at: /* @__PURE__ */ new Date(),
      progress_done: 0,
      finished_at: null,
      next_attempt_at: null,
      attempts: sql2`attempts + 1`,
    })
    .where('id', '=', id)
    .where('state', 'not in', ['succeeded', 'failed'])
    .returningAll()
    .executeTakeFirst();
  return row && toRefresh(row);
}
async function updateProgress(db, id, done, total) {
  await db
    .updateTable('metric_refreshes')
    .set({ progress_done: done, progress_total: total })
    .where('id', '=', id)
    .execute();
}
async function markRetrying(db, id, r) {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: 'retrying',
      error_code: r.errorCode,
      error_detail: r.errorDetail,
      next_attempt_at: r.retryAt,
      provider_calls: sql2`provider_calls + ${r.providerCalls}`,
      rate_limited_calls: sql2`rate_limited_calls + ${r.rateLimitedCalls}`,
    })
    .where('id', '=', id)
    .execute();
}
async function lockRefresh(db, id) {
  const r = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r && toRefresh(r);
}
async function finishRefresh(db, id, outcome) {
  await db
    .updateTable('metric_refreshes')
    .set({
      state: outcome.state,
      finished_at: /* @__PURE__ */ new Date(),
      next_attempt_at: null,
      provider_calls: sql2`provider_calls + ${outcome.providerCalls ?? 0}`,
      rate_limited_calls: sql2`rate_limited_calls + ${outcome.rateLimitedCalls ?? 0}`,
      ...(outcome.state === 'failed'
        ? { error_code: outcome.errorCode, error_detail: outcome.errorDetail }
        : { error_code: null, error_detail: null }),
    })
    .where('id', '=', id)
    .execute();
}
async function insertScheduledRefreshes(db, rows, options) {
  if (rows.length === 0) return [];
  const values = sql2.join(
    rows.map(
      (r) =>
        sql2`(${r.id}, ${r.workspaceId}, ${r.provider}::provider_id, ${r.slot.toISOString()}::timestamptz)`,
    ),
  );
  const result = await sql2`
    insert into metric_refreshes (id, workspace_id, provider, requested_by, history_weeks, trigger, slot)
    select v.id, v.workspace_id, v.provider, 'schedule',
      ${historyWeeksFor(sql2.ref('v.workspace_id'), sql2.ref('v.provider'), options.backfillWeeks)},
      'schedule', v.slot
    from (values ${values}) as v(id, workspace_id, provider, slot)
    where not exists (
      select 1 from metric_refreshes r
      where r.workspace_id = v.workspace_id and r.provider = v.provider
        and r.state in ('queued', 'running', 'retrying') and r.queued_at > ${options.staleBefore}
    )
    on conflict (workspace_id, provider, slot) where slot is not null do nothing
    returning id`.execute(db);
  return result.rows.map((r) => r.id);
}
async function listAbandonedRefreshes(db, before, limit) {
  const rows = await db
    .selectFrom('metric_refreshes')
    .selectAll()
    .where('state', 'in', ['running', 'retrying'])
    .where(sql2`coalesce(next_attempt_at, started_at)`, '<', before)
    .limit(limit)
    .execute();
  return rows.map(toRefresh);
}
async function deleteFinishedBefore(db, before) {
  const r = await db
    .deleteFrom('metric_refreshes')
    .where('state', 'in', ['succeeded', 'failed'])
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// src/domain/metrics.ts
var BACKFILL_WEEKS = 12;
var DEFAULT_INTERVAL_MINUTES = 60;
var PROGRESS_WRITE_MS = 250;
var actorLabel = (a) =>
  a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label;
async function requestRefresh(deps, input, options = {}) {
  const connection = await findConnection(deps.db, input.workspaceId, input.provider);
  if (!connection) throw new AppError('not_found', `no ${input.provider} connection in this workspace`);
  if (!deps.resolve(input.provider).provider.metrics) {
    throw new AppError('not_found', `${input.provider} has no metrics adapter`);
  }
  const queue = options.queue;
  return deps.db.transaction().execute(async (trx) => {
    const refresh = await insertRefresh(trx, {
      id: newId('ref'),
      workspaceId: input.workspaceId,
      provider: input.provider,
      requestedBy: actorLabel(input.actor),
      historyWeeks: { backfillWeeks: BACKFILL_WEEKS },
    });
    if (queue) await queue.send('metricsRefresh', { refreshId: refresh.id }, { trx });
    return refresh;
  });
}
var findRefresh2 = findRefresh;
var retryPolicyOf = (config) => ({
  baseMs: config.jobs.retryBaseSeconds * 1e3,
  maxMs: config.jobs.retryMaxSeconds * 1e3,
  maxAttempts: 5,
});
function retryDelayMs(e, attempt, policy, random = Math.random) {
  if (attempt >= policy.maxAttempts) return null;
  if (e.code === 'rate_limited') {
    const wait = e.retryAfterMs ?? policy.baseMs;
    return Math.round(wait + random() * Math.min(wait * 0.1, 3e4));
  }
  if (e.code === 'upstream_unavailable') {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }
  return null;
}
var DAY_MS = 24 * 60 * 60 * 1e3;
var secondsSince = (start) => (Date.now() - start) / 1e3;
var SYSTEM_ACTOR = { kind: 'system', label: 'metrics refresh' };
async function failRefresh(deps, refresh, e, counts = {}) {
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockRefresh(trx, refresh.id);
    if (!locked || locked.state === 'succeeded' || locked.state === 'failed') return;
    await finishRefresh(trx, refresh.id, {
      state: 'failed',
      errorCode: e.code,
      errorDetail: e.detail,
      ...counts,
    });
    await publishEvent(trx, deps.jobs, {
      workspaceId: refresh.workspaceId,
      type: 'refresh.failed',
      data: {
        provider: refresh.provider,
        refreshId: refresh.id,
        trigger: refresh.trigger,
        attempts: locked.attempts,
        error: { code: e.code, detail: e.detail },
      },
    });
    const connection = await findConnection(trx, refresh.workspaceId, refresh.provider, {
      forUpdate: true,
    });
    if (!connection) return;
    const now = /* @__PURE__ */ new Date();
    const dead = e.code === 'unauthorized';
    const failingSince = connection.failingSince ?? now;
    const degrade =
      !dead &&
      connection.status === 'ok' &&
      now.getTime() - failingSince.getTime() >= deps.config.jobs.degradedAfterDays * DAY_MS;
    await recordRefreshFailure(trx, connection.id, {
      at: now,
      lastRefreshStatus: isRefreshStatus(e.code) ? e.code : 'unexpected_response',
      lastError: `refresh failed: ${e.detail}`,
      ...(dead ? { status: 'needs_reauth' } : {}),
      // Degraded: stop hammering; the schedule drops to daily until a success or a reconnect.
      ...(degrade ? { status: 'degraded', nextRefreshAt: new Date(now.getTime() + DAY_MS) } : {}),
    });
    if (dead && connection.status !== 'needs_reauth') {
      await connectionNeedsReauth(trx, deps.jobs, connection, { actor: SYSTEM_ACTOR, reason: e.detail });
    }
    if (degrade) {
      await recordAudit(trx, {
        workspaceId: connection.workspaceId,
        actor: SYSTEM_ACTOR,
        action: 'connection.degraded',
        provider: connection.provider,
        outcome: 'degraded',
        detail: `refreshes have failed since ${failingSince.toISOString()}; now refreshed daily`,
      });
    }
  });
}
async function runRefresh(deps, refreshId, options = {}) {
  const reread = async () => {
    const r = await findRefresh(deps.db, refreshId);
    if (!r) throw new Error(`refresh ${refreshId} not found`);
    return r;
  };
  const refresh = await markRunning(deps.db, refreshId);
  if (!refresh) return reread();
  const startedAt = Date.now();
  const counts = { providerCalls: 0, rateLimitedCalls: 0 };
  const fail = async (e) => {
    const delay = deps.jobs ? retryDelayMs(e, refresh.attempts, retryPolicyOf(deps.config)) : null;
    if (delay !== null && deps.jobs) {
      const jobs = deps.jobs;
      const retryAt = new Date(Date.now() + delay);
      await deps.db.transaction().execute(async (trx) => {
        const locked = await lockRefresh(trx, refresh.id);
        if (!locked || locked.state === 'succeeded' || locked.state === 'failed') return;
        await markRetrying(trx, refresh.id, {
          errorCode: e.code,
          errorDetail: e.detail,
          retryAt,
          ...counts,
        });
        await jobs.send('metricsRefresh', { refreshId: refresh.id }, { trx, startAfter: retryAt });
      });
      telemetry.refreshFinished(refresh.provider, 'retrying', secondsSince(startedAt));
      return reread();
    }
    await failRefresh(deps, refresh, e, counts);
    telemetry.refreshFinished(refresh.provider, 'failed', secondsSince(startedAt));
    return reread();
  };
  const connection = await findConnection(deps.db, refresh.workspaceId, refresh.provider);
  const workspace = await findWorkspace(deps.db, refresh.workspaceId);
  if (!connection || !workspace) return fail({ code: 'not_found', detail: 'the connection was removed' });
  const resolved = deps.resolve(refresh.provider);
  const adapter = resolved.provider.metrics;
  if (!adapter) return fail({ code: 'not_found', detail: `${refresh.provider} has no metrics adapter` });
  const source = await sourceFor(deps, connection);
  const credential = await credentialFor(deps, connection);
  let lastWrite = 0;
  const onProgress = (p) => {
    options.onProgress?.(p);
    const now = Date.now();
    if (now - lastWrite < PROGRESS_WRITE_MS) return;
    lastWrite = now;
    void updateProgress(deps.db, refresh.id, p.done, p.total ?? null).catch(() => void 0);
  };
  const req = {
    now: options.now ?? /* @__PURE__ */ new Date(),
    timezone: workspace.timezone,
    historyWeeks: refresh.historyWeeks,
  };
  const raw = credential.ok
    ? await adapter.fetch(
        {
          endpoints: resolved.settings.endpoints(connection.params),
          params: connection.params,
          fetch: globalThis.fetch,
          pacer: new Pacer(),
          credential: credential.value,
          onProgress,
          onResponse: (status) => {
            counts.providerCalls++;
            if (status === 429) counts.rateLimitedCalls++;
            telemetry.providerCall(refresh.provider, status);
          },
        },
        req,
      )
    : credential;
  if (!raw.ok) return fail(raw.error);
  let snapshot;
  try {
    snapshot = adapter.toSnapshot(raw.value, req);
  } catch (e) {
    deps.logger.error({ err: e, refreshId: refresh.id }, 'metrics mapping failed');
    return fail({ code: 'unexpected_response', detail: 'the helpdesk data could not be mapped' });
  }
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockRefresh(trx, refresh.id);
    if (!locked || locked.state === 'succeeded' || locked.state === 'failed') return;
    await commitSnapshot(trx, deps.jobs, {
      workspaceId: refresh.workspaceId,
      source,
      snapshot,
      origin: { kind: 'refresh', refreshId: refresh.id, trigger: refresh.trigger },
    });
    await recordRefreshSucceeded(trx, deps, refresh, { ...counts, durationMs: Date.now() - startedAt });
  });
  telemetry.refreshFinished(refresh.provider, 'succeeded', secondsSince(startedAt));
  return reread();
}
async function sourceFor(deps, c) {
  return deps.db.transaction().execute(
    async (trx) =>
      (await liveSourceOf(trx, c.id)) ??
      attachConnectionSource(trx, {
        connectionId: c.id,
        workspaceId: c.workspaceId,
        provider: c.provider,
        account: { id: c.accountId ?? c.provider, name: c.accountName ?? c.accountId ?? c.provider },
        isSandbox: c.isSandbox,
      }),
  );
}
async function recordRefreshSucceeded(trx, deps, refresh, r) {
  await finishRefresh(trx, refresh.id, {
    state: 'succeeded',
    providerCalls: r.providerCalls,
    rateLimitedCalls: r.rateLimitedCalls,
  });
  const current = await findConnection(trx, refresh.workspaceId, refresh.provider, { forUpdate: true });
  if (current) {
    await recordRefreshSuccess(trx, current.id, /* @__PURE__ */ new Date(), DEFAULT_INTERVAL_MINUTES);
    const previous =
      current.status === 'degraded'
        ? 'degraded'
        : current.lastRefreshStatus !== null && current.lastRefreshStatus !== 'ok'
          ? current.lastRefreshStatus
          : null;
    if (previous) {
      await connectionRecovered(trx, deps.jobs, current, { actor: SYSTEM_ACTOR, via: 'refresh', previous });
    }
  }
  await publishEvent(trx, deps.jobs, {
    workspaceId: refresh.workspaceId,
    type: 'refresh.succeeded',
    data: {
      provider: refresh.provider,
      refreshId: refresh.id,
      trigger: refresh.trigger,
      attempts: refresh.attempts,
      durationMs: r.durationMs,
    },
  });
}
var REFRESH_STATUSES = ['unauthorized', 'rate_limited', 'upstream_unavailable', 'unexpected_response'];
var isRefreshStatus = (code) => REFRESH_STATUSES.includes(code);

export {
  METRIC_KEYS,
  ProviderParamSchema,
  startQuerySchema,
  StartResponseSchema,
  CompleteBodySchema,
  CallbackQuerySchema,
  TokenBodySchema,
  ConnectionSchema,
  ScheduleBodySchema,
  DisconnectQuerySchema,
  AuditQuerySchema,
  AuditEventSchema,
  toConnectionDto,
  toAuditEventDto,
  RefreshAcceptedSchema,
  RefreshSchema,
  toRefreshDto,
  RefreshParamSchema,
  MetricsResponseSchema,
  toMetricsResponse,
  HistoryQuerySchema,
  HistoryResponseSchema,
  toHistoryResponse,
  AgentsResponseSchema,
  toAgentsResponse,
  UpdateWorkspaceBodySchema,
  insertScheduledRefreshes,
  listAbandonedRefreshes,
  deleteFinishedBefore,
  listCurrent,
  listHistory,
  BACKFILL_WEEKS,
  DEFAULT_INTERVAL_MINUTES,
  requestRefresh,
  findRefresh2 as findRefresh,
  failRefresh,
  runRefresh,
};
//# sourceMappingURL=chunk-44WSAJAC.js.map
