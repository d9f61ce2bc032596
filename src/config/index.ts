import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../metrics/helpdesks.ts';
import { providers as registry } from '../providers/index.ts';

/**
 * The only reader of process.env. Parsed once at boot; a bad or missing variable stops the process naming it.
 * Everything else receives a Config (tests build their own).
 */
const boolish = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

/** A comma-separated list of IP addresses or CIDRs, as a list. */
const addressList = (message: string) =>
  z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((n) => ipaddr.isValidCIDR(n) || ipaddr.isValid(n)), message);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DESKPULSE_DATA_DIR: z.string().min(1).default('./.deskpulse'),
  DESKPULSE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DESKPULSE_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DESKPULSE_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DESKPULSE_SANDBOX: boolish.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DESKPULSE_ENCRYPTION_KEYS: z.string().optional(),
  DESKPULSE_SCHEDULER: boolish.default(true),
  DESKPULSE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  DESKPULSE_REFRESH_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(6 * 3600)
    .default(1800),
  DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  DESKPULSE_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  DESKPULSE_RETRY_BASE_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  DESKPULSE_RETRY_MAX_SECONDS: z.coerce.number().min(0.1).max(86_400).default(900),
  DESKPULSE_DEGRADED_AFTER_DAYS: z.coerce.number().min(0.001).max(365).default(3),
  DESKPULSE_MANUAL_REFRESH_LIMIT: z.coerce.number().int().min(1).max(10_000).default(6),
  DESKPULSE_MANUAL_REFRESH_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: addressList(
    'must be comma-separated IP addresses or CIDRs (e.g. 127.0.0.1/32,10.0.0.0/8)',
  ),
  DESKPULSE_WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS: z.coerce.number().min(1).max(86_400).default(30),
  DESKPULSE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DESKPULSE_SIGNUP: z.enum(['open', 'invite']).default('invite'),
  DESKPULSE_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  DESKPULSE_SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(10),
  DESKPULSE_SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  DESKPULSE_TRUSTED_PROXIES: addressList(
    'must be comma-separated IP addresses or CIDRs of the reverse proxies in front of Deskpulse',
  ),
  DESKPULSE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 ** 3)
    .default(1024 ** 3),
  ...providerEnv(),
});

/** `<PROVIDER>_CLIENT_ID`, `_CLIENT_SECRET` and the host overrides each provider declares (`Provider.env`). */
function providerEnv() {
  const shape: Record<string, z.ZodType> = {};
  for (const id of PROVIDER_IDS) {
    const p = id.toUpperCase();
    const env = registry[id].env;
    shape[`${p}_CLIENT_ID`] = z.string().optional();
    shape[`${p}_CLIENT_SECRET`] = z.string().optional();
    if (env.oauthBaseUrl) shape[env.oauthBaseUrl] = httpUrl.optional();
    const placeholder = env.apiBaseUrlPlaceholder;
    shape[env.apiBaseUrl] = (
      placeholder ? httpUrl.refine((u) => u.includes(placeholder), `must contain ${placeholder}`) : httpUrl
    ).optional();
  }
  return shape;
}

export interface ProviderConfig {
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Host of the authorize/token endpoints, when not the provider's own (tests, proxies, Plain). */
  oauthBaseUrl: string | undefined;
  /** API base (Zendesk: a template containing {subdomain}; Plain: the GraphQL endpoint). */
  apiBaseUrl: string | undefined;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** External Postgres; when absent an embedded server runs from `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  /** Signs session cookies. Generated into the data dir when embedded and unset. */
  authSecret: string | undefined;
  embeddedPgPort: number;
  sandbox: boolean;
  logLevel: string;
  /** `id:base64,…`, first is current. Unset: generated into the data dir (refused in production). */
  encryptionKeys: string | undefined;
  providers: Record<ProviderId, ProviderConfig>;
  jobs: JobsConfig;
  webhooks: WebhooksConfig;
  /** Bearer token for `GET /metrics/prometheus`; unset: the endpoint answers loopback callers only. */
  metricsToken: string | undefined;
  imports: ImportsConfig;
  /** `invite`: accounts are made through an invite (or the first-run setup); `open`: anyone may sign up. */
  signUp: 'open' | 'invite';
  auth: AuthConfig;
  health: HealthConfig;
}

export interface AuthConfig {
  /** Failed sign-ins are limited per account and per client address over a sliding window. */
  signIn: { windowSeconds: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number };
  /** Reverse proxies whose `X-Forwarded-For` names the client (else the socket's peer is the client). */
  trustedProxies: string[];
}

export interface HealthConfig {
  /** `/healthz` fails (503) once the database has been unreachable for longer than this. */
  databaseUnhealthyAfterSeconds: number;
}

export interface ImportsConfig {
  /** The largest upload `POST /imports` accepts (the JSON routes keep their 1 MiB). */
  maxBytes: number;
}

export interface JobsConfig {
  /** Run the crons (hourly fan-out, token sweep) from this process's workers. */
  scheduler: boolean;
  /** Jobs of one queue a worker process runs at once. */
  concurrency: number;
  /**
   * A refresh job's pg-boss lease: past it the job is handed out again, which takes the refresh over only when its
   * attempt has stopped heartbeating (a live refresh longer than the lease runs on alone).
   */
  leaseSeconds: number;
  /**
   * A running refresh writes a heartbeat several times within this; one without a heartbeat for this long is
   * presumed dead (its worker was killed or lost the database) and retried, whatever its lease.
   */
  heartbeatTimeoutSeconds: number;
  /** How often pg-boss expires overdue jobs. */
  maintenanceSeconds: number;
  /** `upstream_unavailable` retries: base and cap of the exponential backoff (full jitter). */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Failing for this many days in a row marks a connection `degraded` (refreshed daily until it recovers). */
  degradedAfterDays: number;
  /** Manual refreshes (`POST /integrations/:p/refresh`, `deskpulse refresh`) one connection may start per window. */
  manualRefreshLimit: number;
  manualRefreshWindowMinutes: number;
}

export interface WebhooksConfig {
  /** CIDRs (or single IPs) webhook URLs may resolve into despite being loopback/private/link-local. */
  allowedNetworks: string[];
  /** First retry delay of a failed delivery; doubles per attempt. */
  retryBaseSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings are how .env files say "unset"; treat them so rather than as invalid values.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.DESKPULSE_AUTH_SECRET) {
    throw new ConfigError(['DESKPULSE_AUTH_SECRET: required in production with DATABASE_URL']);
  }
  if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.DESKPULSE_ENCRYPTION_KEYS) {
    throw new ConfigError(['DESKPULSE_ENCRYPTION_KEYS: required in production with DATABASE_URL']);
  }
  const str = (name: string) => {
    const v = (e as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const providers = Object.fromEntries(
    PROVIDER_IDS.map((id) => {
      const p = id.toUpperCase();
      const env = registry[id].env;
      return [
        id,
        {
          clientId: str(`${p}_CLIENT_ID`),
          clientSecret: str(`${p}_CLIENT_SECRET`),
          oauthBaseUrl: env.oauthBaseUrl ? str(env.oauthBaseUrl) : undefined,
          apiBaseUrl: str(env.apiBaseUrl),
        },
      ];
    }),
  ) as Record<ProviderId, ProviderConfig>;
  const publicUrl = (e.DESKPULSE_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DESKPULSE_DATA_DIR),
    publicUrl,
    authSecret: e.DESKPULSE_AUTH_SECRET,
    embeddedPgPort: e.DESKPULSE_PG_PORT,
    // The offline demo is the default of the embedded quick start, never of production.
    sandbox: e.NODE_ENV !== 'production' && (e.DESKPULSE_SANDBOX ?? !e.DATABASE_URL),
    logLevel: e.LOG_LEVEL,
    encryptionKeys: e.DESKPULSE_ENCRYPTION_KEYS,
    providers,
    jobs: {
      scheduler: e.DESKPULSE_SCHEDULER,
      concurrency: e.DESKPULSE_WORKER_CONCURRENCY,
      leaseSeconds: e.DESKPULSE_REFRESH_LEASE_SECONDS,
      heartbeatTimeoutSeconds: e.DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS,
      maintenanceSeconds: e.DESKPULSE_JOB_MAINTENANCE_SECONDS,
      retryBaseSeconds: e.DESKPULSE_RETRY_BASE_SECONDS,
      retryMaxSeconds: e.DESKPULSE_RETRY_MAX_SECONDS,
      degradedAfterDays: e.DESKPULSE_DEGRADED_AFTER_DAYS,
      manualRefreshLimit: e.DESKPULSE_MANUAL_REFRESH_LIMIT,
      manualRefreshWindowMinutes: e.DESKPULSE_MANUAL_REFRESH_WINDOW_MINUTES,
    },
    webhooks: {
      allowedNetworks: e.DESKPULSE_WEBHOOK_ALLOWED_NETWORKS,
      retryBaseSeconds: e.DESKPULSE_WEBHOOK_RETRY_BASE_SECONDS,
    },
    metricsToken: e.DESKPULSE_METRICS_TOKEN,
    imports: { maxBytes: e.DESKPULSE_IMPORT_MAX_BYTES },
    signUp: e.DESKPULSE_SIGNUP,
    auth: {
      signIn: {
        windowSeconds: e.DESKPULSE_SIGNIN_WINDOW_SECONDS,
        maxFailuresPerAccount: e.DESKPULSE_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: e.DESKPULSE_SIGNIN_MAX_FAILURES_PER_ADDRESS,
      },
      trustedProxies: e.DESKPULSE_TRUSTED_PROXIES,
    },
    health: { databaseUnhealthyAfterSeconds: e.DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS },
  };
}
