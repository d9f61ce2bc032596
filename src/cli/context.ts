import { loadConfig, type Config } from '../config/index.ts';
import { bufferedStderr, createLogger, type Logger } from '../lib/logger.ts';

export interface CliContext {
  config: Config;
  /** Logs go to stderr so stdout stays machine-readable (a key, or --json). */
  logger: Logger;
}

/**
 * `service` (serve, worker, migrate) logs at LOG_LEVEL; one-shot commands keep stderr quiet at the default level
 * (info becomes warn) so a person sees only the result.
 */
export function context(kind: 'service' | 'command' = 'command'): CliContext {
  const config = loadConfig();
  return {
    config,
    logger: createLogger({
      level: kind === 'service' || config.logLevel !== 'info' ? config.logLevel : 'warn',
      destination: kind === 'service' ? bufferedStderr() : process.stderr,
    }),
  };
}
