import type { Context } from 'hono';
import type { Logger } from '../lib/logger.ts';
import type { AppEnv } from './env.ts';

/**
 * The request's logger, bound to its request id: made when first asked for, then kept for the request. Most
 * requests log only their access line, which carries the id itself (src/http/app.ts); pino's `child()` and the
 * serialising of its bindings were ~3 % of `/healthz`'s CPU in a profile under load. Before the frame has given
 * the request an id (an error in the frame itself), the process's logger.
 */
export function requestLogger(c: Context<AppEnv>): Logger {
  const made = c.get('logger');
  if (made !== undefined) return made;
  const { logger } = c.get('deps');
  const reqId = c.get('requestId') as string | undefined;
  if (reqId === undefined) return logger;
  const child = logger.child({ reqId });
  c.set('logger', child);
  return child;
}
