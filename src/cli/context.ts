import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { loadConfig, type Config } from '../config/index.ts';
import { createLogger, type Logger } from '../lib/logger.ts';

/** Validates a flag with zod and reports the flag's own words on failure. */
export const parseWith =
  <T>(schema: z.ZodType<T>) =>
  (value: string): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? 'invalid value');
    return r.data;
  };

export interface CliContext {
  config: Config;
  /** Logs go to stderr so stdout stays machine-readable (a key, or --json). */
  logger: Logger;
}

export function context(level?: string): CliContext {
  const config = loadConfig();
  return {
    config,
    logger: createLogger({
      level: level ?? (config.logLevel === 'info' ? 'warn' : config.logLevel),
      destination: process.stderr,
    }),
  };
}
