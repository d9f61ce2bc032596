import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db } from '../db/client.ts';
import type { Logger } from '../lib/logger.ts';
import { QUEUES, type JobQueue, type QueueKey } from './catalog.ts';
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
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    max: Math.max(4, options.concurrency + 2),
    schedule: options.scheduler,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
  });
  boss.on('error', (e: unknown) => options.logger.error({ err: e }, 'job queue error'));
  const ready = boss.start().then(async () => {
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      const q = QUEUES[key];
      await boss.createQueue(q.name, { name: q.name, ...policyOf(key, options.leaseSeconds) });
    }
  });
  ready.catch((e: unknown) => options.logger.error({ err: e }, 'job queue failed to start'));
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
        const handle = HANDLERS[key] as (d: WorkerDeps, payload: unknown) => Promise<void>;
        const lanes = 'cron' in q ? 1 : options.concurrency;
        for (let i = 0; i < lanes; i++) {
          let lane = '';
          lane = await boss.work(q.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
            if (!job) return;
            await handle(deps, q.payload.parse(job.data));
            // A lane that just finished a job fetches the next at once; pg-boss would otherwise wait out the rest
            // of its polling interval, capping a worker at lanes ÷ 0.5 s jobs whatever the CPU (bench/fleet).
            boss.notifyWorker(lane);
          });
        }
        if ('cron' in q && options.scheduler) await boss.schedule(q.name, q.cron, {}, { tz: 'UTC' });
      }
    },
    stop: async () => {
      await ready.catch(() => undefined);
      // Running jobs get 10 s to finish; pg-boss then fails what is left, so another worker retries it.
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
