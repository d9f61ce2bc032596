import type { Hono } from 'hono';
import type { Auth } from '../auth/better-auth.ts';
import type { Config } from '../config/index.ts';
import type { DatabaseHealth, Db } from '../domain/database.ts';
import type { ResolvedProvider } from '../domain/provider-settings.ts';
import type { Principal } from '../domain/roles.ts';
import type { JobQueue } from '../domain/queue.ts';
import type { Keyring } from '../lib/keyring.ts';
import type { Logger } from '../lib/logger.ts';
import type { ProviderId } from '../metrics/helpdesks.ts';

/** What the HTTP layer is given by the composition root; tests build their own. */
export interface AppDeps {
  config: Config;
  db: Db;
  auth: Auth;
  logger: Logger;
  keyring: Keyring;
  resolveProvider: (id: ProviderId) => ResolvedProvider;
  jobs: JobQueue;
  /** Whether the database answers, from the process's monitor; unset (tests): always reachable. */
  databaseHealth?: () => DatabaseHealth;
  /** Emulated helpdesks served at /_sandbox/<provider> in sandbox mode (loaded after start-up). */
  sandboxApps?: () => Promise<Record<ProviderId, Hono>>;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /** Made on first use: requestLogger (src/http/request-logger.ts). */
    logger: Logger | undefined;
    principal: Principal | null;
  };
}
