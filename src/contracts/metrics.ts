import { z } from '@hono/zod-openapi';
import { orNull } from './common.ts';
import {
  IMPORT_FORMATS,
  METRIC_KEYS,
  type NotMeasured,
  type SnapshotSource,
  type StoredSnapshot,
} from '../metrics/types.ts';
import { ProviderIdSchema } from './integrations.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const MetricValuesSchema = z
  .object(
    Object.fromEntries(METRIC_KEYS.map((k) => [k, z.number().nullable()])) as Record<
      (typeof METRIC_KEYS)[number],
      z.ZodNullable<z.ZodNumber>
    >,
  )
  .openapi('MetricValues');
const NotMeasuredSchema = z.record(z.string(), z.string()).openapi('NotMeasured', {
  description: 'Why a metric is null: null always means "not measured", never 0',
});

const NotesSchema = z.record(z.string(), z.string()).openapi('MetricNotes', {
  description:
    'How this source measured a metric where that differs from the definition: precision, or a stand-in field',
});

export const RefreshAcceptedSchema = z.object({ refreshId: z.string() }).openapi('RefreshAccepted');
export const RefreshSchema = z
  .object({
    id: z.string(),
    provider: ProviderIdSchema,
    state: z.enum(['queued', 'running', 'retrying', 'succeeded', 'failed']),
    requestedBy: z.string(),
    historyWeeks: z.number().int(),
    progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
    queuedAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
    /** While `retrying`: the last attempt's error; when `failed`: the final one. */
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    trigger: z.enum(['manual', 'schedule']),
    /** Scheduled refreshes: the start of the slot they belong to (one refresh per connection per slot). */
    slot: z.iso.datetime().nullable(),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    providerCalls: z.number().int(),
    rateLimitedCalls: z.number().int(),
  })
  .openapi('Refresh');
/** What a refresh DTO is made from (the refreshes repository's row, structurally). */
export interface RefreshView {
  id: string;
  provider: z.infer<typeof ProviderIdSchema>;
  state: z.infer<typeof RefreshSchema>['state'];
  requestedBy: string;
  historyWeeks: number;
  progressDone: number;
  progressTotal: number | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCode: string | null;
  errorDetail: string | null;
  trigger: 'manual' | 'schedule';
  slot: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  providerCalls: number;
  rateLimitedCalls: number;
}

export const toRefreshDto = (r: RefreshView): z.infer<typeof RefreshSchema> => ({
  id: r.id,
  provider: r.provider,
  state: r.state,
  requestedBy: r.requestedBy,
  historyWeeks: r.historyWeeks,
  progress: { done: r.progressDone, total: r.progressTotal },
  queuedAt: r.queuedAt.toISOString(),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  error: r.errorCode ? { code: r.errorCode, message: r.errorDetail ?? r.errorCode } : null,
  trigger: r.trigger,
  slot: iso(r.slot),
  attempts: r.attempts,
  nextAttemptAt: iso(r.nextAttemptAt),
  providerCalls: r.providerCalls,
  rateLimitedCalls: r.rateLimitedCalls,
});

export const RefreshParamSchema = z.object({
  id: z.string().regex(/^ref_[0-9a-f]{20}$/, 'must be a refresh id'),
});

export const SourceSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['connection', 'import']),
    provider: orNull(ProviderIdSchema),
    account: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: 'The helpdesk account a connection measured; null for imports' }),
    import: z
      .object({ id: z.string(), format: z.enum(IMPORT_FORMATS) })
      .nullable()
      .openapi({ description: 'The import that made an import source, and the export it read' }),
    sandbox: z.boolean().openapi({ description: 'Demo data from a sandbox emulator' }),
    status: z.enum(['live', 'disconnected', 'account_changed', 'superseded']).openapi({
      description:
        'live: still measuring; disconnected: its connection was removed; account_changed: its connection now ' +
        'measures another account; superseded: a later import of the same export continued it',
    }),
    since: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
  })
  .openapi('MetricSource', { description: 'Where the numbers come from' });
export type SourceDto = z.infer<typeof SourceSchema>;

export const toSourceDto = (s: SnapshotSource): SourceDto => ({
  id: s.id,
  kind: s.kind,
  provider: s.provider,
  account: s.account,
  import: s.import,
  sandbox: s.sandbox,
  status: s.endReason ?? 'live',
  since: s.createdAt.toISOString(),
  endedAt: iso(s.endedAt),
});

const reasons = (n: NotMeasured): Record<string, string> =>
  Object.fromEntries(Object.entries(n).filter((e): e is [string, string] => typeof e[1] === 'string'));

export const ProviderMetricsSchema = z
  .object({
    provider: orNull(ProviderIdSchema),
    source: SourceSchema,
    measuredAt: z.iso.datetime(),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime(), csatFrom: z.iso.datetime().nullable() }),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
    notes: NotesSchema,
  })
  .openapi('ProviderMetrics');

export const MetricsResponseSchema = z
  .object({ providers: z.array(ProviderMetricsSchema) })
  .openapi('Metrics', { description: 'One row per source: live ones first, ended ones after, marked' });
export type MetricsResponse = z.infer<typeof MetricsResponseSchema>;

/** `GET /metrics`, and `deskpulse metrics --json`: the same body. */
export const toMetricsResponse = (rows: StoredSnapshot[]): MetricsResponse => ({
  providers: rows.map((s) => ({
    provider: s.source.provider,
    source: toSourceDto(s.source),
    measuredAt: s.measuredAt.toISOString(),
    window: { from: iso(s.windowFrom) ?? '', to: iso(s.windowTo) ?? '', csatFrom: iso(s.csatFrom) },
    metrics: s.metrics,
    notMeasured: reasons(s.notMeasured),
    notes: reasons(s.notes),
  })),
});

export const HistoryQuerySchema = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(52).default(12),
});
export const WeekSchema = z
  .object({
    provider: orNull(ProviderIdSchema),
    source: SourceSchema,
    weekStart: z.string(),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
  })
  .openapi('WeekMetrics');
export const HistoryResponseSchema = z
  .object({ timezone: z.string(), weeks: z.array(WeekSchema) })
  .openapi('MetricsHistory');
export type HistoryResponse = z.infer<typeof HistoryResponseSchema>;

export const toHistoryResponse = (timezone: string, rows: StoredSnapshot[]): HistoryResponse => ({
  timezone,
  weeks: rows.map((s) => ({
    provider: s.source.provider,
    source: toSourceDto(s.source),
    weekStart: s.period.slice('week:'.length),
    metrics: s.metrics,
    notMeasured: reasons(s.notMeasured),
  })),
});

export const AgentRowSchema = z
  .object({
    provider: orNull(ProviderIdSchema),
    source: SourceSchema,
    agentId: z.string(),
    name: z.string(),
    tickets: z.number().int(),
    csat: z.number().nullable(),
    csatResponses: z.number().int(),
    firstResponseSeconds: z.number().nullable(),
  })
  .openapi('AgentMetrics');
export const AgentsResponseSchema = z.object({ agents: z.array(AgentRowSchema) }).openapi('Agents');
export type AgentsResponse = z.infer<typeof AgentsResponseSchema>;

export const toAgentsResponse = (rows: StoredSnapshot[]): AgentsResponse => ({
  agents: rows.flatMap((s) =>
    (s.agents ?? []).map((a) => ({ provider: s.source.provider, source: toSourceDto(s.source), ...a })),
  ),
});

export const UpdateWorkspaceBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    timezone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'IANA timezone; weeks run Monday–Sunday there' }),
  })
  .refine((b) => b.name !== undefined || b.timezone !== undefined, 'send name, timezone or both')
  .openapi('UpdateWorkspace', { minProperties: 1 });
export type RefreshDto = z.infer<typeof RefreshSchema>;
export type ProviderMetricsDto = z.infer<typeof ProviderMetricsSchema>;
export type WeekDto = z.infer<typeof WeekSchema>;
export type AgentRowDto = z.infer<typeof AgentRowSchema>;
export type { MetricKey } from '../metrics/types.ts';
