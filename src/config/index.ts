import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Parsed once at boot; a bad or missing variable stops the process naming it.
 * Everything else receives a Config (tests build their own).
 */
const boolish = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

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
});

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
  };
}
