import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import { createPool, type Db } from '../db/client.ts';
import { isDatabaseUnavailable } from '../db/health.ts';
import type { Logger } from '../lib/logger.ts';
import { QUEUES, type JobMeta, type JobQueue, type QueueKey } from './catalog.ts';
import type { WorkerDeps } from './deps.ts';
import { HANDLERS } from './handlers.ts';

export interface Jobs {
  queue: JobQueue;
  /** Starts handling jobs in this process (`npm start` and `deskpulse worker`). */
  startWorker(deps: Omit<WorkerDeps, 'jobs'>): Promise<void>;
  stop(): Promise<void>;
}

export interface JobsOptions {
  databaseUrl: string;
  logger: Logger;
  /** Jobs of one queue this process runs at once (refreshes wait on helpdesks far more than on CPU). */
  concurrency: number;
  /** A refresh job not finished within this many seconds is presumed dead and retried (pg-boss expiry). */
  leaseSeconds: number;
  /** How often pg-boss looks for expired jobs (and does its other maintenance). */
  maintenanceSeconds: number;
  /** Run the crons (fleet tick, token sweep) from this process. pg-boss sends each cron slot once. */
  scheduler: boolean;
}

/** pg-boss's `db` option bound to a Kysely transaction: the job row commits or rolls back with the caller's. */
function inTransaction(trx: Db): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const r = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows };
    },
  };
}

/** A queue's delivery policy for one job: the catalog's options, the refresh lease, and when to start. */
const policyOf = (key: QueueKey, leaseSeconds: number, startAfter?: Date) => ({
  ...QUEUES[key].options,
  ...(key === 'metricsRefresh' ? { expireInSeconds: leaseSeconds } : {}),
  ...(startAfter ? { startAfter } : {}),
});

/**
 * pg-boss 10 on the application's Postgres (its own `pgboss` schema, created and migrated by pg-boss). It starts
 * in the background so the HTTP server does not wait for it; producers and the worker wait for it instead.
 */
export function startJobs(options: JobsOptions): Jobs {
  // pg-boss runs on a pool of ours (its `db` option) so that stop() can wait until every connection has really
  // closed (src/db/client.ts): the process stops its embedded Postgres right after.
  const pool = createPool(
    {
      connectionString: options.databaseUrl,
      max: Math.max(4, options.concurrency + 2),
      application_name: 'pgboss',
    },
    { countWrites: false },
  );
  const newBoss = () => {
    const b = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => pool.pool.query(text, values) },
      schedule: options.scheduler,
      maintenanceIntervalSeconds: options.maintenanceSeconds,
      // pg-boss looks for due crons every 30 s by default, so a minute cron could run up to ~35 s late and two
      // ticks ~95 s apart; every 5 s keeps the fleet tick (and so the retry of a lost refresh) near the minute.
      cronMonitorIntervalSeconds: 5,
      cronWorkerIntervalSeconds: 2,
    });
    b.on('error', (e: unknown) => {
      // While the database is down every poll fails; the database monitor reports the outage once
      // (src/db/health.ts).
      if (isDatabaseUnavailable(e)) options.logger.debug({ err: e }, 'job queue: database unavailable');
      else options.logger.error({ err: e }, 'job queue error');
    });
    return b;
  };
  let boss = newBoss();
  let stopping = false;
  const ready = (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.start();
        for (const key of Object.keys(QUEUES) as QueueKey[]) {
          const q = QUEUES[key];
          await boss.createQueue(q.name, { name: q.name, ...policyOf(key, options.leaseSeconds) });
        }
        return;
      } catch (e) {
        if (stopping || !isDatabaseUnavailable(e)) throw e;
        // The database went away while pg-boss started (it is being restarted, src/db/supervise.ts). A PgBoss
        // whose start() failed never starts again (its `#starting` flag stays set), so the next try gets a new one.
        const retryInMs = Math.min(30_000, 500 * 2 ** (attempt - 1));
        options.logger.warn({ attempt, retryInMs, error: (e as Error).message }, 'job queue: start failed');
        await boss.stop({ graceful: false, close: false }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, retryInMs));
        if (stopping) throw e;
        boss = newBoss();
      }
    }
  })();
  ready.catch((e: unknown) => {
    if (!stopping) options.logger.error({ err: e }, 'job queue failed to start');
  });
  const queue: JobQueue = {
    send: async (key, payload, o = {}) => {
      await ready;
      const q = QUEUES[key];
      await boss.send(q.name, q.payload.parse(payload), {
        ...policyOf(key, options.leaseSeconds, o.startAfter),
        ...(o.trx ? { db: inTransaction(o.trx) } : {}),
      });
    },
    sendMany: async (key, payloads, o = {}) => {
      if (payloads.length === 0) return;
      await ready;
      const q = QUEUES[key];
      const policy = policyOf(key, options.leaseSeconds, o.startAfter);
      const jobs = payloads.map((p) => ({ ...policy, name: q.name, data: q.payload.parse(p) }));
      await boss.insert(jobs, o.trx ? { db: inTransaction(o.trx) } : {});
    },
  };
  return {
    queue,
    startWorker: async (partial) => {
      await ready;
      const deps: WorkerDeps = { ...partial, jobs: queue };
      for (const key of Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]) {
        const q = QUEUES[key];
        const handle = HANDLERS[key] as (d: WorkerDeps, payload: unknown, job: JobMeta) => Promise<void>;
        const lanes = 'cron' in q ? 1 : options.concurrency;
        for (let i = 0; i < lanes; i++) {
          // Stopped while starting (a signal right after start-up): pg-boss refuses new workers, and none are due.
          if (stopping) return;
          let lane = '';
          lane = await boss.work(q.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
            if (!job) return;
            await handle(deps, q.payload.parse(job.data), { id: job.id });
            // A lane that just finished a job fetches the next at once; pg-boss would otherwise wait out the rest
            // of its polling interval, capping a worker at lanes ÷ 0.5 s jobs whatever the CPU (bench/fleet).
            boss.notifyWorker(lane);
          });
        }
        if ('cron' in q && options.scheduler && !stopping)
          await boss.schedule(q.name, q.cron, {}, { tz: 'UTC' });
      }
    },
    stop: async () => {
      stopping = true;
      await ready.catch(() => undefined);
      // Running jobs get 10 s to finish; pg-boss then fails what is left, so another worker retries it.
      await boss.stop({ graceful: true, timeout: 10_000 });
      await pool.end();
    },
  };
}
