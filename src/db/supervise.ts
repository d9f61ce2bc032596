import type { Logger } from '../lib/logger.ts';
import type { EmbeddedDatabase } from './embedded.ts';

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** 0.5 s, 1 s, 2 s, … up to 30 s between attempts. */
export const RESTART_BACKOFF: Backoff = { baseMs: 500, maxMs: 30_000 };

export interface Supervisor {
  /** The database monitor's failed probe: start the server again unless an attempt is under way or not yet due. */
  onProbeFailed: () => void;
  /** The database answers again: the next outage starts from the first attempt. */
  onRecovered: () => void;
  /** No more attempts; waits for one under way (so close() never races a server being started). */
  stop(): Promise<void>;
}

/**
 * Keeps the embedded Postgres running under a long-lived process (`serve`, `worker`). When the database stops
 * answering and no postmaster is alive in the data dir (killed, crashed, or stopped by the process that owned
 * it), it starts one on the same port, with exponential backoff between attempts, and logs each attempt. The
 * process that starts it owns it from then on and stops it on exit. Concurrent supervisors in several processes
 * are safe: Postgres's lock file lets one postmaster run per data dir, so the others' attempts fail and they
 * find it alive on their next one.
 */
export function superviseEmbedded(
  server: EmbeddedDatabase,
  logger: Logger,
  backoff: Backoff = RESTART_BACKOFF,
): Supervisor {
  let attempt = 0;
  let notBefore = 0;
  let running: Promise<void> | undefined;
  let isStopped = false;

  const delayAfter = (n: number) => Math.min(backoff.maxMs, backoff.baseMs * 2 ** (n - 1));

  const tryOnce = async () => {
    attempt += 1;
    const n = attempt;
    const retryInMs = delayAfter(n);
    notBefore = Date.now() + retryInMs;
    const started = Date.now();
    logger.warn({ attempt: n, port: server.port }, 'embedded postgres not answering: restarting it');
    try {
      const outcome = await server.revive();
      if (outcome === 'started') {
        logger.info(
          { attempt: n, port: server.port, startMs: Date.now() - started },
          'embedded postgres started again',
        );
      } else {
        logger.warn(
          { attempt: n, port: server.port, retryInMs },
          'embedded postgres is running but not answering yet: waiting',
        );
      }
    } catch (e) {
      logger.warn(
        { attempt: n, port: server.port, retryInMs, error: e instanceof Error ? e.message : String(e) },
        'embedded postgres failed to start',
      );
    }
  };

  return {
    onProbeFailed: () => {
      if (isStopped || running || Date.now() < notBefore) return;
      running = tryOnce().finally(() => {
        running = undefined;
      });
    },
    onRecovered: () => {
      attempt = 0;
      notBefore = 0;
    },
    stop: async () => {
      isStopped = true;
      await running;
    },
  };
}
