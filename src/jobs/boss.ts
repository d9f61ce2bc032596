import PgBoss from 'pg-boss';
import type { ConnectionsDeps } from '../domain/connections.ts';
import { runRefresh } from '../domain/metrics.ts';
import type { Logger } from '../lib/logger.ts';
import { QUEUES, type JobQueue } from './catalog.ts';

export interface Jobs {
  queue: JobQueue;
  /** Starts handling jobs in this process (`npm start` and `deskpulse worker`). */
  startWorker(deps: ConnectionsDeps): Promise<void>;
  stop(): Promise<void>;
}

/**
 * pg-boss 10 on the application's Postgres (its own `pgboss` schema, created and migrated by pg-boss). It starts
 * in the background so the HTTP server does not wait for it; producers and the worker wait for it instead.
 */
export function startJobs(options: { databaseUrl: string; logger: Logger }): Jobs {
  const boss = new PgBoss({ connectionString: options.databaseUrl, max: 4 });
  boss.on('error', (e: unknown) => options.logger.error({ err: e }, 'job queue error'));
  const q = QUEUES.metricsRefresh;
  const ready = boss.start().then(() => boss.createQueue(q.name, { name: q.name, ...q.options }));
  ready.catch((e: unknown) => options.logger.error({ err: e }, 'job queue failed to start'));
  return {
    queue: {
      enqueueRefresh: async (job) => {
        await ready;
        await boss.send(q.name, q.payload.parse(job), q.options);
      },
    },
    startWorker: async (deps) => {
      await ready;
      await boss.work(q.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (!job) return;
        const { refreshId } = q.payload.parse(job.data);
        const refresh = await runRefresh(deps, refreshId);
        deps.logger.info(
          { refreshId, state: refresh.state, provider: refresh.provider },
          'metrics refresh finished',
        );
      });
    },
    stop: async () => {
      await ready.catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
