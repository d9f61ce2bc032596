import { chmodSync, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.ts';
import { providers } from '../providers/index.ts';
import { TEST_KEYS, waitFor } from '../../test/helpers.ts';
import {
  childPids,
  createWorkspaceKey,
  killHard,
  postmasterPid,
  readyOrExited,
  runCli,
  spawnDeskpulse,
  startServe,
  type DeskpulseProcess,
  type ServeProcess,
} from '../../test/processes.ts';
import { openEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';

/**
 * The database dies under a running `deskpulse serve` (kill -9 of the postmaster). Embedded: the process starts
 * it again, with backoff, logging each attempt; `/healthz` fails only once the outage outlasts
 * DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS. External DATABASE_URL: nothing to restart, so the API answers 503 until the
 * database is back, `/healthz` fails past the limit, and everything recovers when it returns.
 */
const UNHEALTHY_AFTER_SECONDS = 4;

const dirs: string[] = [];
const processes: DeskpulseProcess[] = [];
const servers: EmbeddedDatabase[] = [];
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

interface Probe {
  status: number;
  code?: string;
}

async function probe(url: string, key?: string): Promise<Probe> {
  const init = key ? { headers: { authorization: `Bearer ${key}` } } : {};
  // A keep-alive socket the server closes as it is reused reads as "other side closed": ask once more.
  const res = await fetch(url, init).catch(() => fetch(url, init));
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
  return { status: res.status, ...(body.error ? { code: body.error.code } : {}) };
}

/** Polls the three views of one process every 100 ms until `until` holds; every answer is kept. */
async function watch(serve: ServeProcess, key: string, until: (p: Sample) => boolean, timeoutMs: number) {
  const samples: Sample[] = [];
  const start = Date.now();
  for (;;) {
    if (serve.child.exitCode !== null || serve.child.signalCode !== null)
      throw new Error(
        `serve exited (${serve.child.exitCode} ${serve.child.signalCode}):\n${serve.output().slice(-6000)}`,
      );
    const [healthz, readyz, api] = await Promise.all([
      probe(`${serve.base}/healthz`),
      probe(`${serve.base}/readyz`),
      probe(`${serve.base}/integrations/connections`, key),
    ]);
    const sample = { at: Date.now(), healthz, readyz, api };
    if (serve.child.exitCode !== null || serve.child.signalCode !== null)
      throw new Error(
        `serve exited (${serve.child.exitCode} ${serve.child.signalCode}):\n${serve.output().slice(-6000)}`,
      );
    samples.push(sample);
    if (until(sample)) return samples;
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out; last sample ${JSON.stringify(sample)}\n${serve.output().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
interface Sample {
  at: number;
  healthz: Probe;
  readyz: Probe;
  api: Probe;
}
const isUp = (s: Sample) => s.healthz.status === 200 && s.readyz.status === 200 && s.api.status === 200;

/** Connects the sandbox's Front by token and runs a refresh to its end: the job worker works. */
async function refreshWorks(serve: ServeProcess, key: string): Promise<string> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const connected = await fetch(`${serve.base}/integrations/front/token`, {
    method: 'POST',
    headers,
    body: JSON.stringify(providers.front.sandbox.tokenBody),
  });
  expect(connected.status).toBe(200);
  const queued = await fetch(`${serve.base}/integrations/front/refresh`, { method: 'POST', headers });
  expect(queued.status).toBe(202);
  const { refreshId } = (await queued.json()) as { refreshId: string };
  return waitFor(
    'the refresh to finish',
    async () => {
      const r = (await (await fetch(`${serve.base}/refreshes/${refreshId}`, { headers })).json()) as {
        state: string;
      };
      return r.state === 'succeeded' || r.state === 'failed' ? r.state : false;
    },
    60_000,
    200,
  );
}

/** Every answer during an outage is a 503 in the error contract, never a 500. */
function expectOutageAnswers(samples: Sample[], serve: ServeProcess) {
  for (const s of samples) {
    for (const p of [s.healthz, s.readyz, s.api]) {
      // On a failure, the server's own account of that answer (an unmapped error is logged with its stack).
      const why = () => `${JSON.stringify(s)}\n${serve.output().slice(-8000)}`;
      expect([200, 503], why()).toContain(p.status);
      if (p.status === 503) expect(p.code, why()).toBe('not_ready');
    }
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe('a dying embedded Postgres', () => {
  it('is started again with backoff, and /healthz fails only when the outage lasts', async () => {
    const dataDir = await tempDir('deskpulse-outage-');
    const pgDir = path.join(dataDir, 'pg');
    const env = {
      DESKPULSE_DATA_DIR: dataDir,
      // No minute tick: each connect makes Front due, and a tick would queue the refresh refreshWorks asks for.
      DESKPULSE_SCHEDULER: '0',
      DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS: String(UNHEALTHY_AFTER_SECONDS),
    };
    const serve = await startServe(env);
    processes.push(serve);
    const key = await createWorkspaceKey(env);
    // Also proves the job worker has started before the database is killed.
    expect(await refreshWorks(serve, key)).toBe('succeeded');

    // 1. kill -9: the supervisor starts it again on its own.
    const killedAt = Date.now();
    await killHard(postmasterPid(pgDir));
    const first = await watch(serve, key, (s) => s.at - killedAt > 500 && isUp(s), 60_000);
    expectOutageAnswers(first, serve);
    const down = first.find((s) => s.api.status === 503);
    expect(down?.readyz.status).toBe(503);
    const recoveredMs = (first.at(-1)?.at ?? 0) - killedAt;
    expect(serve.logs.filter((l) => l.msg === 'embedded postgres started again')).toHaveLength(1);
    expect(await refreshWorks(serve, key)).toBe('succeeded');
    // The pool answering is not the monitor's own probe answering: the second outage must start from a monitor
    // that has seen the database back, or its clock would still run from the first (a busy machine's probe lags).
    await waitFor('the monitor to see the database back', async () =>
      serve.logs.some((l) => l.msg === 'database reachable again'),
    );

    // 2. kill -9, and the data dir cannot be opened: every restart fails, with backoff, until it can again.
    // The postmaster's backends are killed with it: one left running would answer a query that reaches it
    // between the kill and noticing its postmaster gone by failing to open its files in the data dir made
    // unreadable under it ("permission denied", a 500), which is this test's doing, not an outage's.
    const mode = statSync(pgDir).mode & 0o777;
    const killedAgainAt = Date.now();
    const postmaster = postmasterPid(pgDir);
    for (const pid of [postmaster, ...childPids(postmaster)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // A backend that ended on its own since the listing.
      }
    }
    chmodSync(pgDir, 0);
    let restoredAt = 0;
    let unhealthyMs = 0;
    try {
      const outage = await watch(serve, key, (s) => s.healthz.status === 503, 30_000);
      unhealthyMs = (outage.at(-1)?.at ?? 0) - killedAgainAt;
      expect(unhealthyMs).toBeGreaterThanOrEqual(UNHEALTHY_AFTER_SECONDS * 1000);
      expect(unhealthyMs).toBeLessThan(UNHEALTHY_AFTER_SECONDS * 1000 + 4000);
      expectOutageAnswers(outage, serve);
      // Healthy (200) through the first seconds of the outage, while the API already answered 503.
      expect(outage.some((s) => s.healthz.status === 200 && s.api.status === 503)).toBe(true);
      const unhealthy = await probe(`${serve.base}/healthz`);
      expect(unhealthy).toEqual({ status: 503, code: 'not_ready' });
      const failed = serve.logs.filter(
        (l) => l.msg === 'embedded postgres failed to start' && Date.parse(l.time as string) > killedAgainAt,
      );
      expect(failed.length).toBeGreaterThanOrEqual(2);
      const delays = failed.map((l) => Number(l.retryInMs));
      expect(delays).toEqual([...delays].sort((a, b) => a - b));
      expect(new Set(delays).size).toBe(delays.length);
    } finally {
      chmodSync(pgDir, mode);
      restoredAt = Date.now();
    }
    const back = await watch(serve, key, isUp, 60_000);
    expectOutageAnswers(back, serve);
    const backMs = (back.at(-1)?.at ?? 0) - restoredAt;
    expect(await refreshWorks(serve, key)).toBe('succeeded');
    const attempts = serve.logs.filter((l) => l.msg === 'embedded postgres not answering: restarting it');
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(serve.logs.filter((l) => l.level === 'error')).toEqual([]);

    console.log(
      `embedded: kill -9 → back up in ${seconds(recoveredMs)} s; with the data dir unopenable → /healthz 503 ` +
        `after ${seconds(unhealthyMs)} s, back up ${seconds(backMs)} s after it could be opened again`,
    );
    expect(await serve.stop()).toBe(0);
  }, 180_000);
});

describe('an embedded Postgres whose owner stops', () => {
  it('is taken over by a worker that joined it, which then owns and stops it', async () => {
    const dataDir = await tempDir('deskpulse-takeover-');
    const pgDir = path.join(dataDir, 'pg');
    const env = { DESKPULSE_DATA_DIR: dataDir };
    const serve = await startServe(env);
    processes.push(serve);
    const ownerPid = postmasterPid(pgDir);
    const worker = spawnDeskpulse(['worker'], env);
    processes.push(worker);
    await readyOrExited(worker, 'the worker to start', async () =>
      worker.logs.some((l) => l.msg === 'deskpulse worker started'),
    );
    // The owner stops, and stops its Postgres with it: the worker that joined starts it again as its own.
    expect(await serve.stop()).toBe(0);
    await waitFor(
      'the worker to start the server again',
      async () => worker.logs.some((l) => l.msg === 'embedded postgres started again'),
      30_000,
    );
    expect(postmasterPid(pgDir)).not.toBe(ownerPid);
    const created = await runCli(
      ['workspace', 'create', '--name', 'After', '--owner-email', 'a@after.io'],
      env,
    );
    expect(created.code).toBe(0);
    expect(await worker.stop()).toBe(0);
    // The worker owned it now, so it stopped it on its way out.
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
    expect(worker.output()).not.toMatch(/terminating connection/);
    expect(worker.logs.filter((l) => l.level === 'error')).toEqual([]);
  }, 120_000);
});

describe('a dying external database (DATABASE_URL)', () => {
  it('answers 503 while it is gone, fails /healthz past the limit, and recovers when it returns', async () => {
    const pgData = await tempDir('deskpulse-external-pg-');
    const logger = createLogger({ level: 'silent' });
    let port = 0;
    const open = () => openEmbeddedPostgres({ dataDir: pgData, password: 'external-pw', port, logger });
    const server = await open();
    servers.push(server);
    port = server.port;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database deskpulse_external');
    await admin.end();
    const env = {
      DATABASE_URL: server.url.replace(/\/postgres$/, '/deskpulse_external'),
      DESKPULSE_AUTH_SECRET: 'external-db-test-secret-external-db-test',
      DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
      DESKPULSE_SANDBOX: '1',
      DESKPULSE_DATA_DIR: await tempDir('deskpulse-external-data-'),
      DESKPULSE_SCHEDULER: '0',
      DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS: String(UNHEALTHY_AFTER_SECONDS),
    };
    const serve = await startServe(env);
    processes.push(serve);
    const key = await createWorkspaceKey(env);
    expect(await refreshWorks(serve, key)).toBe('succeeded');

    const killedAt = Date.now();
    await killHard(postmasterPid(path.join(pgData, 'pg')));
    const outage = await watch(serve, key, (s) => s.healthz.status === 503, 30_000);
    expectOutageAnswers(outage, serve);
    const unhealthyMs = (outage.at(-1)?.at ?? 0) - killedAt;
    expect(unhealthyMs).toBeGreaterThanOrEqual(UNHEALTHY_AFTER_SECONDS * 1000);
    expect(unhealthyMs).toBeLessThan(UNHEALTHY_AFTER_SECONDS * 1000 + 4000);
    expect(outage.some((s) => s.healthz.status === 200 && s.api.status === 503)).toBe(true);
    // Still serving 503s, and nothing tries to start a database it does not own.
    const later = await watch(
      serve,
      key,
      (s) => s.at - killedAt > (UNHEALTHY_AFTER_SECONDS + 2) * 1000,
      30_000,
    );
    expectOutageAnswers(later, serve);
    expect(later.every((s) => s.api.status === 503 && s.readyz.status === 503)).toBe(true);
    expect(serve.logs.some((l) => String(l.msg).startsWith('embedded postgres'))).toBe(false);
    expect(serve.logs.filter((l) => l.msg === 'database unreachable')).toHaveLength(1);

    // The database returns (same data, same port).
    await server.stop();
    const restarted = await open();
    servers.push(restarted);
    const returnedAt = Date.now();
    const back = await watch(serve, key, isUp, 60_000);
    expectOutageAnswers(back, serve);
    const backMs = (back.at(-1)?.at ?? 0) - returnedAt;
    expect(await refreshWorks(serve, key)).toBe('succeeded');
    expect(serve.logs.filter((l) => l.level === 'error')).toEqual([]);
    console.log(
      `external: kill -9 → /healthz 503 after ${seconds(unhealthyMs)} s; back up ${seconds(backMs)} s after the database returned`,
    );
    expect(await serve.stop()).toBe(0);
  }, 180_000);
});
