import { z } from '@hono/zod-openapi';
import { METRIC_KEYS } from '../metrics/types.ts';
import { ProviderIdSchema } from './integrations.ts';

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
export const RefreshParamSchema = z.object({
  id: z.string().regex(/^ref_[0-9a-f]{20}$/, 'must be a refresh id'),
});

export const ProviderMetricsSchema = z
  .object({
    provider: ProviderIdSchema,
    measuredAt: z.iso.datetime(),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime(), csatFrom: z.iso.datetime().nullable() }),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
  })
  .openapi('ProviderMetrics');

export const HistoryQuerySchema = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(52).default(12),
});
export const WeekSchema = z
  .object({
    provider: ProviderIdSchema,
    weekStart: z.string(),
    metrics: MetricValuesSchema,
    notMeasured: NotMeasuredSchema,
  })
  .openapi('WeekMetrics');
export const AgentRowSchema = z
  .object({
    provider: ProviderIdSchema,
    agentId: z.string(),
    name: z.string(),
    tickets: z.number().int(),
    csat: z.number().nullable(),
    csatResponses: z.number().int(),
    firstResponseSeconds: z.number().nullable(),
  })
  .openapi('AgentMetrics');

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
  .openapi('UpdateWorkspace');
