import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createAuth } from './auth/better-auth.ts';
import type { Config } from './config/index.ts';
import { openDatabase } from './db/open.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './http/env.ts';
import { resolveProvider } from './domain/provider-settings.ts';
import { createSandbox } from './sandbox.ts';
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
  const database = await openDatabase(config, logger);
  const jobs = await startJobs({ databaseUrl: database.url, logger });
  const auth = createAuth({
    pool: database.pool,
    secret: database.authSecret,
    publicUrl: config.publicUrl,
    logger,
  });
  const sandbox = config.sandbox ? createSandbox(config, database.authSecret) : undefined;
  const deps: AppDeps = {
    config,
    db: database.db,
    auth,
    logger,
    keyring: database.keyring,
    resolveProvider: (id) => resolveProvider(config, id, sandbox?.sandbox),
    jobs: jobs.queue,
    ...(sandbox ? { sandboxApps: sandbox.apps } : {}),
  };
  if (options.worker !== false) {
    await jobs.startWorker({
      db: deps.db,
      keyring: deps.keyring,
      config,
      logger,
      resolve: deps.resolveProvider,
    });
  }
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, embeddedPostgres: database.embedded }, 'deskpulse listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    deps,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await jobs.stop();
        await database.close();
      })()),
  } satisfies RunningService;
}
