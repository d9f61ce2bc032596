import pg from 'pg';
import type { Config } from '../config/index.ts';
import { Keyring, parseKeyring } from '../lib/keyring.ts';
import type { Logger } from '../lib/logger.ts';
import { createDb, type DbHandle } from './client.ts';
import { AppError } from '../lib/app-error.ts';
import { dataDirKeySource, hasDataDirDatabase, loadOrCreateDataDirSecrets } from './data-dir.ts';
import { openEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';

export interface OpenedDatabase extends DbHandle {
  url: string;
  authSecret: string;
  keyring: Keyring;
  /** Where the keyring comes from: the environment, or the data dir (which `keys rotate --new-key` may extend). */
  keySource: 'env' | 'data-dir';
  embedded: boolean;
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
  options: { migrate?: boolean; create?: boolean } = {},
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
  let stopEmbedded = async () => undefined as void;
  if (!url) {
    const secrets = dataDir?.secrets;
    if (!secrets) throw new Error('no data dir secrets');
    const pgServer = await openEmbeddedPostgres({
      dataDir: config.dataDir,
      password: secrets.pgPassword,
      port: config.embeddedPgPort,
      logger,
    });
    await ensureDatabase(pgServer.url, DATABASE, create).catch(async (e: unknown) => {
      await pgServer.stop();
      throw e;
    });
    url = pgServer.url.replace(/\/postgres$/, `/${DATABASE}`);
    stopEmbedded = () => pgServer.stop();
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
  return {
    ...handle,
    url,
    authSecret,
    keyring,
    keySource: config.encryptionKeys ? 'env' : 'data-dir',
    embedded: !config.databaseUrl,
    close: async () => {
      await handle.close();
      await stopEmbedded();
    },
  };
}
