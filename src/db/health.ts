import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/**
 * Errors that mean "the database is not there now" rather than "this query is wrong": refused or dropped sockets,
 * SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now):
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
// node-postgres's own messages for a connection that ended or never came (pg/lib/client.js, pg-pool/index.js).
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Query read timeout)/;

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 3) return false;
  const { code, message, errors, cause } = e as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  // Node's connect() tries every address of a host and reports them together (AggregateError).
  if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

export interface DatabaseHealth {
  /** When the database stopped answering; null while it answers. */
  unreachableSince: Date | null;
  /** Why the last probe failed (the driver's message, which never carries the password). */
  lastError: string | null;
}

export interface DatabaseMonitor {
  health(): DatabaseHealth;
  stop(): Promise<void>;
}

export interface MonitorOptions {
  url: string;
  logger: Logger;
  /** Between the end of one probe and the start of the next. */
  intervalMs?: number;
  /** A probe that takes longer (connect or `select 1`) has failed. */
  timeoutMs?: number;
  /** After every failed probe: the embedded Postgres supervisor starts the server again from here. */
  onProbeFailed?: () => void;
  onRecovered?: () => void;
}

/**
 * Probes the database every second over a connection of its own, outside the pool, so a pool busy with slow
 * queries never reads as an outage, and records since when it has not answered. `/healthz` reads that; the
 * embedded supervisor (src/db/supervise.ts) restarts Postgres from its failures.
 */
export function monitorDatabase(options: MonitorOptions): DatabaseMonitor {
  const intervalMs = options.intervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const state: DatabaseHealth = { unreachableSince: null, lastError: null };
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let probing: Promise<void> | undefined;
  let isStopped = false;

  const dropClient = () => {
    const c = client;
    client = undefined;
    void c?.end().catch(() => undefined);
  };

  const probe = async () => {
    try {
      if (!client) {
        const c = new pg.Client({
          connectionString: options.url,
          connectionTimeoutMillis: timeoutMs,
          query_timeout: timeoutMs,
          application_name: 'deskpulse-health',
        });
        // A dropped connection surfaces as the next probe's failure.
        c.on('error', () => undefined);
        client = c;
        await c.connect();
      }
      await client.query('select 1');
      if (state.unreachableSince) {
        options.logger.info(
          { downSeconds: (Date.now() - state.unreachableSince.getTime()) / 1000 },
          'database reachable again',
        );
        state.unreachableSince = null;
        state.lastError = null;
        options.onRecovered?.();
      }
    } catch (e) {
      dropClient();
      const message = e instanceof Error ? e.message : String(e);
      if (!state.unreachableSince) {
        state.unreachableSince = new Date();
        options.logger.warn({ error: message }, 'database unreachable');
      }
      state.lastError = message;
      if (!isStopped) options.onProbeFailed?.();
    }
  };

  const schedule = () => {
    if (isStopped) return;
    timer = setTimeout(() => {
      probing = probe().finally(() => {
        probing = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    health: () => ({ ...state }),
    stop: async () => {
      isStopped = true;
      clearTimeout(timer);
      await probing;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
