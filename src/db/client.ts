import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { dataChanged, mayWrite } from '../lib/data-epoch.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface ClosablePool {
  pool: pg.Pool;
  /** Ends the pool and resolves once every one of its connections has closed its socket. */
  end: () => Promise<void>;
}

/** How long `end()` waits for the last sockets to close before giving up on them. */
const SOCKETS_CLOSED_WITHIN_MS = 5000;

/**
 * Moves the data epoch (src/lib/data-epoch.ts) when a statement that may write completes on `client`, whether it
 * succeeded or not (a failed COMMIT may still have committed nothing, but counting it costs only a cache miss).
 * Inside a transaction its COMMIT moves it again, so a read that loaded between the write and the commit is void.
 * pg's `query` takes a string or a config and answers a promise, or calls a callback given last.
 */
function countWritesOf(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || !mayWrite(text)) return query(...args);
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...result: unknown[]) => {
        dataChanged();
        return (last as (...a: unknown[]) => unknown)(...result);
      };
      return query(...args);
    }
    const answer = query(...args);
    if (answer instanceof Promise) void answer.then(dataChanged, dataChanged);
    else dataChanged();
    return answer;
  };
}

/**
 * A pg pool that can be closed for good before its Postgres stops. pg-pool's `end()` resolves once it has asked
 * its idle clients to end, not once they have (`_pulseQueue` and `_remove` in
 * https://github.com/brianc/node-postgres/blob/master/packages/pg-pool/index.js): a server stopped right after
 * still sees them and sends each one "terminating connection due to administrator command". The pool's own
 * `remove` event is emitted when a client has really ended, so `end()` waits for those.
 */
export function createPool(
  config: pg.PoolConfig,
  options: {
    /** Whether its writes move the data epoch: the job queue's own tables are read by no cached route. */
    countWrites?: boolean;
  } = {},
): ClosablePool {
  const pool = new pg.Pool(config);
  // An idle client losing its server (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const open = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    open.add(client);
    // A checked-out client has no listener of pg-pool's: its server dying between two statements of a
    // transaction would be an unhandled 'error' event, which ends the process. The statement that follows fails
    // instead, and pg-pool drops the client when it is released (it is no longer queryable).
    client.on('error', () => undefined);
    if (options.countWrites !== false) countWritesOf(client);
  });
  pool.on('remove', (client) => open.delete(client));
  let ended: Promise<void> | undefined;
  const end = () =>
    (ended ??= (async () => {
      if (!pool.ending) await pool.end();
      if (open.size === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SOCKETS_CLOSED_WITHIN_MS);
        pool.on('remove', () => {
          if (open.size > 0) return;
          clearTimeout(timer);
          resolve();
        });
      });
    })());
  return { pool, end };
}

export function createDb(url: string, options: { max?: number } = {}): DbHandle {
  const { pool, end } = createPool({ connectionString: url, max: options.max ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: async () => {
      // Kysely's destroy() ends the pool; end() then waits for the sockets it asked to close.
      await db.destroy().catch(() => undefined);
      await end();
    },
  };
}
