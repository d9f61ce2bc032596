import { z } from '@hono/zod-openapi';
import { PROVIDER_IDS } from '../metrics/helpdesks.ts';

export const ProviderIdSchema = z.enum(PROVIDER_IDS).openapi('ProviderId');
export const ProviderParamSchema = z.object({ provider: ProviderIdSchema });

/** The start endpoint's query: the connection parameters the helpdesks declare (src/providers/<p>/auth.ts). */
export const startQuerySchema = (params: { name: string; description: string }[]) =>
  z.strictObject(
    Object.fromEntries(
      params.map((p) => [p.name, z.string().max(253).optional().openapi({ description: p.description })]),
    ),
  );
export const StartResponseSchema = z
  .object({ authorizeUrl: z.string(), expiresAt: z.iso.datetime() })
  .openapi('AuthorizeStart');

export const CompleteBodySchema = z
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

export const CallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** The component name of one helpdesk's token-connect body. */
export const tokenBodyComponentName = (id: string) => `TokenConnect${id[0]?.toUpperCase()}${id.slice(1)}`;

/**
 * `POST /integrations/{provider}/token`'s body: published as one of the helpdesks' own schemas (each registered
 * under `tokenBodyComponentName`); here any object, because the domain validates it with the schema of the
 * provider in the path, which names each wrong field for that helpdesk.
 */
export const tokenBodySchema = (bodies: Record<string, z.ZodType>) =>
  z.record(z.string(), z.unknown()).openapi('TokenConnect', {
    description: 'The API-token body of the helpdesk in the path',
    anyOf: Object.keys(bodies).map((id) => ({ $ref: `#/components/schemas/${tokenBodyComponentName(id)}` })),
  });

export const ConnectionSchema = z
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

export const ScheduleBodySchema = z
  .strictObject({
    refreshIntervalMinutes: z
      .number()
      .int()
      .max(1440)
      .nullable()
      .describe('Minutes between scheduled refreshes (provider minimum to 1440); null restores hourly'),
  })
  .openapi('ConnectionSchedule');

export const DisconnectQuerySchema = z.strictObject({ provider: ProviderIdSchema });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type ConnectionDto = z.infer<typeof ConnectionSchema>;

/** What a connection DTO is made from (the connections repository's row, structurally). */
export interface ConnectionView {
  provider: ConnectionDto['provider'];
  authType: ConnectionDto['authType'];
  status: ConnectionDto['status'];
  connectedAt: Date;
  lastRefreshedAt: Date | null;
  tokenRefreshedAt: Date | null;
  lastRefreshStatus: ConnectionDto['lastRefreshStatus'];
  lastError: string | null;
  accountId: string | null;
  accountName: string | null;
  params: Record<string, string>;
  isSandbox: boolean;
  refreshIntervalMinutes: number | null;
  nextRefreshAt: Date;
  failingSince: Date | null;
  consecutiveFailures: number;
}

export const toConnectionDto = (
  c: ConnectionView,
  interval: { effectiveMinutes: number; minMinutes: number },
): ConnectionDto => ({
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

export const ProviderInfoSchema = z
  .object({
    id: ProviderIdSchema,
    displayName: z.string(),
    oauth: z.object({
      available: z.boolean(),
      /** The first environment variable OAuth still needs, when it is not configured. */
      missing: z.string().nullable(),
    }),
    sandbox: z.boolean().openapi({ description: 'Served by the built-in emulator (demo data)' }),
    sandboxToken: z.record(z.string(), z.string()).nullable().openapi({
      description:
        'In sandbox mode, token-form values the built-in emulator accepts (they open only the emulator); otherwise null',
    }),
    params: z.array(
      z.object({ name: z.string(), description: z.string(), required: z.boolean(), pattern: z.string() }),
    ),
    tokenFields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        kind: z.enum(['text', 'email', 'secret', 'choice']),
        required: z.boolean(),
        help: z.string(),
        choices: z.array(z.string()).optional(),
      }),
    ),
    minRefreshIntervalMinutes: z.number().int(),
    /** The helpdesk's own CSV export Deskpulse imports; null when it has none (the generic template then). */
    csvFormat: z.string().nullable(),
  })
  .openapi('ProviderInfo');
export const ProvidersResponseSchema = z
  .object({ providers: z.array(ProviderInfoSchema) })
  .openapi('Providers');
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;
export type ConnectionInfo = z.infer<typeof ConnectionSchema>;
export type ProviderId = z.infer<typeof ProviderIdSchema>;
