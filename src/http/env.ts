import type { Auth } from '../auth/better-auth.ts';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../domain/roles.ts';
import type { Logger } from '../lib/logger.ts';

/** What the HTTP layer is given by the composition root; tests build their own. */
export interface AppDeps {
  config: Config;
  db: Db;
  auth: Auth;
  logger: Logger;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    principal: Principal | null;
  };
}
