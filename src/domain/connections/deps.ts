import type { Config } from '../../config/index.ts';
import type { Db } from '../../db/client.ts';
import * as repo from '../../db/repositories/connections/index.ts';
import type { Keyring } from '../../lib/keyring.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ConnectionParams, ProviderContext, ProviderId } from '../../providers/types.ts';
import type { ResolvedProvider } from '../provider-settings.ts';
import type { JobQueue } from '../queue.ts';

export type Connection = repo.Connection;

export interface ConnectionsDeps {
  db: Db;
  keyring: Keyring;
  config: Config;
  logger: Logger;
  resolve: (id: ProviderId) => ResolvedProvider;
  /** Present in API and worker processes: lets events queue their webhook deliveries at once. */
  jobs?: JobQueue;
}

export function contextFor(resolved: ResolvedProvider, params: ConnectionParams): ProviderContext {
  return { endpoints: resolved.settings.endpoints(params), params, fetch: globalThis.fetch };
}

export const listConnections = (deps: Pick<ConnectionsDeps, 'db'>, workspaceId: string) =>
  repo.listConnections(deps.db, workspaceId);
