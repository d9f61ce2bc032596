import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/index.ts';
import { recordRunningServer } from './db/data-dir.ts';
import { openDatabase } from './db/open.ts';
import { createApp } from './http/app.ts';
import { answerClientError } from './http/client-error.ts';
import type { AppDeps } from './http/env.ts';
import { resolveProvider } from './domain/provider-settings.ts';
import { loadSandboxApps, sandboxSettings } from './sandbox.ts';
import { startJobs } from './jobs/boss.ts';
import { createLogger, type Logger } from './lib/logger.ts';

export interface RunningService {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

/** Composition root: config → db → services → HTTP server. */
export async function startService(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
  options: { worker?: boolean } = {},
) {
  // better-auth is the heaviest import: load it while Postgres starts.
  const authModule = import('./auth/better-auth.ts');
  const database = await openDatabase(config, logger, { supervise: true });
  const { createAuth } = await authModule;
  const jobs = startJobs({ databaseUrl: database.url, logger, ...config.jobs });
  const auth = createAuth({
    pool: database.pool,
    secret: database.authSecret,
    publicUrl: config.publicUrl,
    logger,
  });
  const sandbox = config.sandbox ? sandboxSettings(config, database.authSecret) : undefined;
  let sandboxApps: ReturnType<typeof loadSandboxApps> | undefined;
  const loadSandbox = () =>
    (sandboxApps ??= loadSandboxApps(config, sandbox ?? sandboxSettings(config, database.authSecret)));
  const deps: AppDeps = {
    config,
    db: database.db,
    auth,
    logger,
    keyring: database.keyring,
    resolveProvider: (id) => resolveProvider(config, id, sandbox),
    jobs: jobs.queue,
    databaseHealth: database.health,
    ...(sandbox ? { sandboxApps: loadSandbox } : {}),
  };
  if (options.worker !== false) {
    // In the background: the API answers while pg-boss starts; jobs queued meanwhile wait in Postgres.
    jobs
      .startWorker({ db: deps.db, keyring: deps.keyring, config, logger, resolve: deps.resolveProvider })
      .catch((e: unknown) => logger.error({ err: e }, 'worker failed to start'));
  }
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  server.on('clientError', answerClientError);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, embeddedPostgres: database.embedded }, 'deskpulse listening');
  // The CLI on this data dir reaches the sandbox helpdesks here (src/cli/connections.ts), whatever its own PORT.
  const forgetServer =
    sandbox && database.embedded
      ? recordRunningServer(config.dataDir, {
          url,
          publicUrl: config.publicUrl === `http://${config.host}:${config.port}` ? url : config.publicUrl,
        })
      : () => undefined;
  if (sandbox)
    setImmediate(() => void loadSandbox().catch((e: unknown) => logger.error({ err: e }, 'sandbox failed')));
  let closing: Promise<void> | undefined;
  return {
    url,
    deps,
    close: () =>
      (closing ??= (async () => {
        forgetServer();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await jobs.stop();
        await database.close();
      })()),
  } satisfies RunningService;
}

/**
 * A worker without the HTTP API (`deskpulse worker`): any number of them can run against one Postgres; pg-boss
 * hands each job to one of them.
 */
export async function startWorkerProcess(
  config: Config,
  logger: Logger,
  options: { create?: boolean } = {},
): Promise<{ close(): Promise<void>; db: AppDeps['db'] }> {
  const database = await openDatabase(config, logger, { ...options, supervise: true });
  const sandbox = config.sandbox ? sandboxSettings(config, database.authSecret) : undefined;
  const jobs = startJobs({ databaseUrl: database.url, logger, ...config.jobs });
  await jobs.startWorker({
    db: database.db,
    keyring: database.keyring,
    config,
    logger,
    resolve: (id) => resolveProvider(config, id, sandbox),
  });
  logger.info('deskpulse worker started');
  return {
    db: database.db,
    close: async () => {
      await jobs.stop();
      await database.close();
    },
  };
}
