import { createLogger } from './chunk-EN3GNUY5.js';
import { providers } from './chunk-GBRXWDP4.js';
import { PROVIDER_IDS } from './chunk-YPT27EPG.js';
import './chunk-JFRFXCQY.js';
import './chunk-MAMGE6RR.js';

// src/config/index.ts
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
var boolish = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');
var httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
var EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3e3),
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
  DESKPULSE_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  DESKPULSE_RETRY_BASE_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  DESKPULSE_RETRY_MAX_SECONDS: z.coerce.number().min(0.1).max(86400).default(900),
  DESKPULSE_DEGRADED_AFTER_DAYS: z.coerce.number().min(1e-3).max(365).default(3),
  DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .every((n) => ipaddr.isValidCIDR(n) || ipaddr.isValid(n)),
      'must be comma-separated IP addresses or CIDRs (e.g. 127.0.0.1/32,10.0.0.0/8)',
    ),
  DESKPULSE_WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  DESKPULSE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ...providerEnv(),
});
function providerEnv() {
  const shape = {};
  for (const id of PROVIDER_IDS) {
    const p = id.toUpperCase();
    const env = providers[id].env;
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
var ConfigError = class extends Error {
  constructor(issues) {
    super(`invalid configuration:
${issues.map((i) => `  ${i}`).join('\n')}`);
    this.issues = issues;
    this.name = 'ConfigError';
  }
  issues;
};
function loadConfig(env = process.env) {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== void 0 && v !== ''));
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
  const str = (name) => {
    const v = e[name];
    return typeof v === 'string' ? v : void 0;
  };
  const providers2 = Object.fromEntries(
    PROVIDER_IDS.map((id) => {
      const p = id.toUpperCase();
      const env2 = providers[id].env;
      return [
        id,
        {
          clientId: str(`${p}_CLIENT_ID`),
          clientSecret: str(`${p}_CLIENT_SECRET`),
          oauthBaseUrl: env2.oauthBaseUrl ? str(env2.oauthBaseUrl) : void 0,
          apiBaseUrl: str(env2.apiBaseUrl),
        },
      ];
    }),
  );
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
    providers: providers2,
    jobs: {
      scheduler: e.DESKPULSE_SCHEDULER,
      concurrency: e.DESKPULSE_WORKER_CONCURRENCY,
      leaseSeconds: e.DESKPULSE_REFRESH_LEASE_SECONDS,
      maintenanceSeconds: e.DESKPULSE_JOB_MAINTENANCE_SECONDS,
      retryBaseSeconds: e.DESKPULSE_RETRY_BASE_SECONDS,
      retryMaxSeconds: e.DESKPULSE_RETRY_MAX_SECONDS,
      degradedAfterDays: e.DESKPULSE_DEGRADED_AFTER_DAYS,
    },
    webhooks: {
      allowedNetworks: e.DESKPULSE_WEBHOOK_ALLOWED_NETWORKS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      retryBaseSeconds: e.DESKPULSE_WEBHOOK_RETRY_BASE_SECONDS,
    },
    metricsToken: e.DESKPULSE_METRICS_TOKEN,
  };
}

// src/cli/context.ts
function context(kind = 'command') {
  const config = loadConfig();
  return {
    config,
    logger: createLogger({
      level: kind === 'service' || config.logLevel !== 'info' ? config.logLevel : 'warn',
      destination: process.stderr,
    }),
  };
}
export { context };
//# sourceMappingURL=context-STLAXO4P.js.map
