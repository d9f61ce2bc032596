import pg from 'pg';
import type { Config } from '../config/index.ts';
import { Keyring, parseKeyring } from '../lib/keyring.ts';
import type { Logger } from '../lib/logger.ts';
import { createDb, type DbHandle } from './client.ts';
import { AppError } from '../lib/app-error.ts';
import { dataDirKeySource, hasDataDirDatabase, loadOrCreateDataDirSecrets } from './data-dir.ts';
import { openEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
import { monitorDatabase, type DatabaseHealth, type DatabaseMonitor } from './health.ts';
import { migrateToLatest } from './migrate.ts';
import { superviseEmbedded, type Supervisor } from './supervise.ts';

export interface OpenedDatabase extends DbHandle {
  url: string;
  authSecret: string;
  keyring: Keyring;
  /** Where the keyring comes from: the environment, or the data dir (which `keys rotate --new-key` may extend). */
  keySource: 'env' | 'data-dir';
  embedded: boolean;
  /** Whether the database answers, from the monitor (`supervise`); always reachable without one. */
  health: () => DatabaseHealth;
}

const DATABASE = 'deskpulse';

async function ensureDatabase(adminUrl: string, name: string, create: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount && !create) throw new Error(`the embedded Postgres holds no ${name} database`);
    if (!rowCount)
      await client.query(`create database ${name}`).catch((e: { code?: string }) => {
        // 42P04 duplicate_database: a concurrent first start created it.
        if (e.code !== '42P04') throw e;
      });
  } finally {
    await client.end();
  }
}

/**
 * The one way a process gets its database: DATABASE_URL when set, otherwise the embedded server in the data dir
 * (started, or joined when another process already runs it). Migrations are applied before anything uses it.
 * `create: false` (every command but serve, worker and migrate) refuses a data dir that holds no Deskpulse
 * database instead of creating an empty one: a mistyped DESKPULSE_DATA_DIR must not look like a fresh install.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  /**
   * `supervise`: a long-lived process (`serve`, `worker`) watches the database (src/db/health.ts) and, when it
   * is the embedded one, starts it again when it dies (src/db/supervise.ts). Short CLI commands do neither.
   */
  options: { migrate?: boolean; create?: boolean; supervise?: boolean } = {},
): Promise<OpenedDatabase> {
  const create = options.create !== false;
  if (!create && !config.databaseUrl && !hasDataDirDatabase(config.dataDir)) {
    throw new AppError(
      'not_found',
      `no Deskpulse database in ${config.dataDir}: start it with \`deskpulse serve\` (or \`deskpulse migrate\`) there first, or set DESKPULSE_DATA_DIR or DATABASE_URL to yours`,
    );
  }
  const needsDataDirSecrets = !config.databaseUrl || !config.authSecret || !config.encryptionKeys;
  const dataDir = needsDataDirSecrets ? await loadOrCreateDataDirSecrets(config.dataDir) : undefined;
  if (dataDir?.created.includes('encryptionKeys') && !config.encryptionKeys) {
    logger.warn(
      { dataDir: config.dataDir },
      'generated a token encryption key into the data dir: back it up (losing it loses every stored helpdesk credential); production sets DESKPULSE_ENCRYPTION_KEYS',
    );
  }
  const authSecret = config.authSecret ?? dataDir?.secrets.authSecret;
  if (!authSecret) throw new Error('no session secret');
  const keyring = config.encryptionKeys
    ? new Keyring(parseKeyring(config.encryptionKeys))
    : new Keyring(parseKeyring(dataDir?.secrets.encryptionKeys ?? ''), dataDirKeySource(config.dataDir));

  let url = config.databaseUrl;
  let pgServer: EmbeddedDatabase | undefined;
  const stopEmbedded = async () => pgServer?.stop();
  if (!url) {
    const secrets = dataDir?.secrets;
    if (!secrets) throw new Error('no data dir secrets');
    pgServer = await openEmbeddedPostgres({
      dataDir: config.dataDir,
      password: secrets.pgPassword,
      port: config.embeddedPgPort,
      logger,
    });
    await ensureDatabase(pgServer.url, DATABASE, create).catch(async (e: unknown) => {
      await stopEmbedded();
      throw e;
    });
    url = pgServer.url.replace(/\/postgres$/, `/${DATABASE}`);
  }
  const handle = createDb(url);
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(handle.db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
  } catch (e) {
    await handle.close();
    await stopEmbedded();
    throw e;
  }
  let supervisor: Supervisor | undefined;
  let monitor: DatabaseMonitor | undefined;
  if (options.supervise) {
    supervisor = pgServer && superviseEmbedded(pgServer, logger);
    monitor = monitorDatabase({
      url,
      logger,
      ...(supervisor ? { onProbeFailed: supervisor.onProbeFailed, onRecovered: supervisor.onRecovered } : {}),
    });
  }
  return {
    ...handle,
    url,
    authSecret,
    keyring,
    keySource: config.encryptionKeys ? 'env' : 'data-dir',
    embedded: !config.databaseUrl,
    health: () => monitor?.health() ?? { unreachableSince: null, lastError: null },
    // Nothing may still talk to Postgres when it stops (it would end those sessions with "terminating connection
    // due to administrator command"): no more restarts, then the probe's connection, then the pool's sockets.
    close: async () => {
      await supervisor?.stop();
      await monitor?.stop();
      await handle.close();
      await stopEmbedded();
    },
  };
}
