import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/db/embedded.ts';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, TEST_KEYS, waitFor, type TestApp } from './helpers.ts';

/** Real `deskpulse` processes for tests: the compiled CLI (bin/deskpulse.js → dist/, built by the global setup). */
export const BIN = path.resolve('bin/deskpulse.js');

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface DeskpulseProcess {
  child: ChildProcess;
  /** Every JSON log line the process wrote so far. */
  logs: LogLine[];
  /** Raw stdout and stderr, for assertions on anything that is not a log line. */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, and the exit code once it has exited. */
  stop(): Promise<number | null>;
}

export interface ServeProcess extends DeskpulseProcess {
  base: string;
  port: number;
}

/** A long-running `deskpulse` command (`serve`, `worker`) in a child process, its logs collected. */
export function spawnDeskpulse(args: string[], env: Record<string, string>): DeskpulseProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let raw = '';
  // Logs are JSON lines on stderr (src/cli/context.ts); anything else is kept in `raw` only.
  const reader = () => {
    let pending = '';
    return (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      raw += text;
      // DESKPULSE_TEST_LOGS=1 echoes the process's logs while debugging a test (as test/helpers.ts does).
      if (process.env.DESKPULSE_TEST_LOGS === '1') process.stderr.write(chunk);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
      }
    };
  };
  child.stdout?.on('data', reader());
  child.stderr?.on('data', reader());
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    output: () => raw,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Resolves once `isReady` holds; fails at once, with the output, if the process exits first. */
export async function readyOrExited(
  p: DeskpulseProcess,
  what: string,
  isReady: () => Promise<boolean>,
  withinMs = 60_000,
): Promise<void> {
  try {
    await Promise.race([
      waitFor(what, isReady, withinMs, 100),
      p.exited.then((code) => {
        throw new Error(`deskpulse exited with ${code} before ${what}:\n${p.output()}`);
      }),
    ]);
  } catch (e) {
    p.child.kill('SIGKILL');
    throw e;
  }
}

/** `deskpulse serve` in a child process; resolves once `/readyz` answers 200. */
export async function startServe(
  env: Record<string, string>,
  options: { port?: number; args?: string[]; readyWithinMs?: number } = {},
): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const p = spawnDeskpulse(['serve', ...(options.args ?? [])], { ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const isReady = () =>
    fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  await readyOrExited(p, 'deskpulse serve to be ready', isReady, options.readyWithinMs);
  return { ...p, base, port };
}

/**
 * A second API process beside the test app: `deskpulse serve --no-worker` on the test's database, with its own
 * pools and caches, as another machine behind the load balancer would be.
 */
export function serveBeside(t: TestApp): Promise<ServeProcess> {
  const config = t.deps.config;
  return startServe(
    {
      NODE_ENV: 'test',
      DATABASE_URL: config.databaseUrl ?? '',
      DESKPULSE_AUTH_SECRET: config.authSecret ?? '',
      DESKPULSE_PUBLIC_URL: config.publicUrl,
      DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
      DESKPULSE_SANDBOX: '0',
      DESKPULSE_SCHEDULER: '0',
      LOG_LEVEL: 'warn',
    },
    { args: ['--no-worker'] },
  );
}

/**
 * For a test file about what one process sees of another's changes: the test app (no worker) and a second API
 * process beside it (`serveBeside`), started before the file's tests and stopped after them.
 */
export function twoApiProcesses(): { readonly t: TestApp; readonly base: string } {
  let app: TestApp | undefined;
  let second: ServeProcess | undefined;
  beforeAll(async () => {
    app = await createTestApp({}, { worker: false });
    second = await serveBeside(app);
  }, 60_000);
  afterAll(async () => {
    await second?.stop();
    await app?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('twoApiProcesses: used before its beforeAll ran');
    return v;
  };
  return {
    get t() {
      return started(app);
    },
    get base() {
      return started(second).base;
    },
  };
}

/** One `deskpulse` command to its end. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A new workspace through the CLI; its owner API key. */
export async function createWorkspaceKey(env: Record<string, string>, name = 'Acme'): Promise<string> {
  const r = await runCli(
    ['workspace', 'create', '--name', name, '--owner-email', `owner@${name}.example`],
    env,
  );
  if (r.code !== 0) throw new Error(`workspace create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The pid of the postmaster running a data directory (line 1 of postmaster.pid). */
export function postmasterPid(pgDir: string): number {
  return Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The processes whose parent is `pid` (a postmaster's backends and helpers), from /proc. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return children;
}

/** Sends SIGKILL and waits until the process is gone. */
export async function killHard(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await waitFor(
    `process ${pid} to be gone`,
    async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    10_000,
    10,
  );
}
