/**
 * HTTP throughput and latency of the API against a bare Hono app, in one run. Setup: `deskpulse serve` (the
 * compiled CLI, embedded Postgres in a temp data dir, sandbox mode) with a workspace, its four sandbox helpdesks
 * connected by API token and one refresh of each done. Baseline: a bare Hono app on @hono/node-server in its own
 * process, serving the bytes Deskpulse answered for each path (same status, same JSON, same content type).
 * Each path is loaded with autocannon (BENCH_CONNECTIONS=50 connections) after a 2 s warm-up, bare and Deskpulse
 * taking turns BENCH_ROUNDS=3 times for BENCH_SECONDS=5 s each, and printed as the median req/s, p50 and p99 and
 * the ratio to bare.
 * Goals: authenticated reads ≥ 40 % of bare, /healthz ≥ 70 %, p99 < 25 ms.
 * BENCH_CPU_PROF=<dir> runs the server under `node --cpu-prof` and leaves the profile there; BENCH_PATHS=/me,…
 * loads only those rows.
 * Run: `npm run build && npm run bench:api` (the server is the compiled dist/).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../src/db/embedded.ts';
import { CPU_PROF_FLAGS, DESKPULSE_NODE_ENV, DESKPULSE_NODE_FLAGS, serverCommand } from './node-flags.ts';
import { PROVIDER_IDS } from '../src/metrics/helpdesks.ts';
import { providers } from '../src/providers/index.ts';
import { median } from './stats.ts';

const SELF = fileURLToPath(import.meta.url);

interface Canned {
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** The baseline: `node --import tsx bench/api.ts bare <port>` reads the canned answers on stdin. */
async function runBare(port: number): Promise<void> {
  const [{ Hono }, { serve }] = await Promise.all([import('hono'), import('@hono/node-server')]);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const canned = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Canned[];
  const app = new Hono();
  for (const c of canned) {
    const [pathname] = c.path.split('?');
    app.get(
      pathname ?? c.path,
      () => new Response(c.body, { status: c.status, headers: { 'content-type': c.contentType } }),
    );
  }
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => process.stdout.write('listening\n'));
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Load> {
  const r = await autocannon({
    url,
    headers,
    connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
    duration: seconds,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/**
 * On a machine of two or more cores, the server under load (bare or Deskpulse, with Deskpulse's Postgres) runs on
 * the last core and this process (autocannon) on the first, where `taskset` exists: each side keeps a core of its
 * own instead of being moved between them, which is most of the run-to-run noise on a small machine.
 * BENCH_PIN=0 leaves scheduling to the kernel.
 */
const pinned = (() => {
  if (process.argv[2] === 'bare' || process.env.BENCH_PIN === '0' || os.cpus().length < 2) return undefined;
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    return String(os.cpus().length - 1);
  } catch {
    return undefined;
  }
})();
/** `command args…`, on the server's core when pinned. */
const onServerCore = (args: string[]): [string, string[]] =>
  pinned ? ['taskset', ['-c', pinned, process.execPath, ...args]] : [process.execPath, args];

const medianOf = (runs: Load[]): Load => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
  errors: runs.reduce((n, r) => n + r.errors, 0),
});

async function main(): Promise<void> {
  // BENCH_BIN=<path to bin/deskpulse.js> measures another build (an earlier commit's, say).
  const bin = path.resolve(process.env.BENCH_BIN ?? 'bin/deskpulse.js');
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-api-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...DESKPULSE_NODE_ENV,
    DESKPULSE_DATA_DIR: dataDir,
    PORT: String(port),
    DESKPULSE_SANDBOX: '1',
    // The crons would refresh the connections mid-run; the refresh below is the one this bench wants.
    DESKPULSE_SCHEDULER: '0',
  };
  const serveArgs = [...DESKPULSE_NODE_FLAGS, ...CPU_PROF_FLAGS, bin];
  let stopping = false;
  let server: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  // The server's log (stderr) goes to a file, as a deployment's would go to its collector.
  const logFile = path.join(dataDir, 'serve.log');
  const logFd = openSync(logFile, 'a');
  try {
    server = spawn(...onServerCore([...serveArgs, 'serve']), {
      env,
      stdio: ['ignore', 'ignore', logFd],
    });
    server.once('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`deskpulse serve exited (${code ?? signal}); its log:\n`);
        process.stderr.write(readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
        process.exit(1);
      }
    });
    await waitUntil('deskpulse /readyz', async () => (await fetch(`${base}/readyz`)).ok);
    // The README's way: the CLI joins the running server's embedded Postgres.
    const password = 'bench-password-0123';
    const created = execFile(
      process.execPath,
      [
        bin,
        'workspace',
        'create',
        '--name',
        'Bench',
        '--owner-email',
        'lead@bench.example',
        '--owner-password-stdin',
      ],
      { env },
    );
    created.stdin?.end(password);
    const key = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      created.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      created.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      created.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
    });
    const auth = { authorization: `Bearer ${key}` };
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    for (const id of PROVIDER_IDS) {
      // The sandbox emulators load just after the server listens: the first connect may come too early.
      await waitUntil(`the ${id} sandbox connection`, () =>
        call('POST', `/integrations/${id}/token`, providers[id].sandbox.tokenBody).then(() => true),
      );
      const { refreshId } = (await call('POST', `/integrations/${id}/refresh`)) as { refreshId: string };
      await waitUntil(`the ${id} refresh`, async () => {
        const r = await call('GET', `/refreshes/${refreshId}`);
        if (r.state === 'failed') throw new Error(`${id} refresh failed: ${JSON.stringify(r)}`);
        return r.state === 'succeeded';
      });
    }
    const signIn = await fetch(`${base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lead@bench.example', password }),
    });
    if (!signIn.ok) throw new Error(`sign-in answered ${signIn.status}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    const all: { label: string; path: string; headers: Record<string, string>; goal: number }[] = [
      { label: '/healthz', path: '/healthz', headers: {}, goal: 0.7 },
      { label: '/me', path: '/me', headers: auth, goal: 0.4 },
      { label: '/me (session cookie)', path: '/me', headers: { cookie }, goal: 0.4 },
      { label: '/integrations/connections', path: '/integrations/connections', headers: auth, goal: 0.4 },
      { label: '/metrics', path: '/metrics', headers: auth, goal: 0.4 },
      { label: '/metrics/history?weeks=12', path: '/metrics/history?weeks=12', headers: auth, goal: 0.4 },
    ];
    // BENCH_PATHS=/healthz,/me loads only those rows (while profiling one path, say).
    const only = process.env.BENCH_PATHS?.split(',');
    const cases = only ? all.filter((c) => only.includes(c.label)) : all;
    const canned: Canned[] = [];
    for (const c of cases) {
      if (canned.some((k) => k.path === c.path)) continue;
      const res = await fetch(`${base}${c.path}`, { headers: c.headers });
      canned.push({
        path: c.path,
        status: res.status,
        contentType: res.headers.get('content-type') ?? 'application/json',
        body: await res.text(),
      });
      if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}`);
    }

    const barePort = await freePort();
    bare = spawn(...onServerCore(['--import', 'tsx', SELF, 'bare', String(barePort)]), {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    bare.stdin?.end(JSON.stringify(canned));
    await new Promise<void>((resolve) => bare?.stdout?.once('data', () => resolve()));
    const bareBase = `http://127.0.0.1:${barePort}`;

    // Bare and Deskpulse take turns, BENCH_ROUNDS times, so a neighbour's burst on a shared machine lands on
    // both; each figure is the median of its rounds.
    const rows: { label: string; bare: Load; ours: Load; goal: number }[] = [];
    const loadBefore = os.loadavg()[0] ?? 0;
    for (const c of cases) {
      await load(`${bareBase}${c.path}`, c.headers, 2);
      await load(`${base}${c.path}`, c.headers, 2);
      const b: Load[] = [];
      const o: Load[] = [];
      for (let i = 0; i < rounds; i++) {
        b.push(await load(`${bareBase}${c.path}`, c.headers, seconds));
        o.push(await load(`${base}${c.path}`, c.headers, seconds));
      }
      rows.push({ label: c.label, bare: medianOf(b), ours: medianOf(o), goal: c.goal });
    }

    const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
    console.log(
      `bench/api — autocannon, ${connections} connections, median of ${rounds} × ${seconds} s per path, ${os.cpus().length} cores${pinned ? ` (server on core ${pinned}, load on core 0)` : ''}, node ${process.version}, load average ${loadBefore.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
    );
    const header = ['path', 'bare req/s', 'req/s', 'ratio', 'goal', 'p50', 'p99', 'bare p99', 'met'];
    const table = rows.map((r) => {
      const ratio = r.ours.rps / r.bare.rps;
      const met = ratio >= r.goal && r.ours.p99 < 25 && r.ours.non2xx === 0 && r.ours.errors === 0;
      return [
        r.label,
        r.bare.rps.toFixed(0),
        r.ours.rps.toFixed(0),
        `${(ratio * 100).toFixed(0)} %`,
        `≥ ${(r.goal * 100).toFixed(0)} %`,
        `${r.ours.p50} ms`,
        `${r.ours.p99} ms`,
        `${r.bare.p99} ms`,
        met
          ? 'yes'
          : r.ours.non2xx || r.ours.errors
            ? `NO (${r.ours.non2xx} non-2xx, ${r.ours.errors} errors)`
            : 'NO',
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    console.log(line(header));
    for (const row of table) console.log(line(row));
    console.log('goals: /healthz ≥ 70 % of bare, authenticated reads ≥ 40 %, p99 < 25 ms');
    console.log(`server: ${serverCommand('(as bin/deskpulse.js runs it)')}`);
  } finally {
    stopping = true;
    closeSync(logFd);
    if (bare) await stopChild(bare);
    if (server) await stopChild(server);
    await promisify(setTimeout)(100);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Last, so every helper above is initialised before either runs.
if (process.argv[2] === 'bare') {
  await runBare(Number(process.argv[3]));
} else {
  await main();
}
