import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded.ts';

/**
 * The README's quick start, run as a new user runs it: `npm start` on a fresh data dir, then every ```sh block of
 * the quick start (its own, and those of "Connect a helpdesk", "Metrics" and "Import a CSV export") in one bash
 * session, in order, with `set -euo pipefail` (the snippets use `curl -fsS`, so any non-2xx fails them).
 *
 * What differs from a user's terminal, and nothing else:
 * - `npm ci` is skipped (CI has run it); the server is started by `npm start` itself.
 * - The port: the server gets a free PORT and the blocks' `127.0.0.1:3000` is rewritten to it; PORT and the
 *   temporary DESKPULSE_DATA_DIR are exported to the blocks, as a user's one shell would have them.
 * - The blocks run in the repository root (so `npx deskpulse` is this checkout's), and the `template.csv` the
 *   import block downloads there is removed afterwards.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const README = path.join(ROOT, 'README.md');

/** The ```sh blocks of the "Quick start" section (up to the next `## ` heading). */
export function quickStartBlocks(markdown: string): string[] {
  const start = markdown.indexOf('\n## Quick start');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

let dir: string;
let port: number;
let server: ChildProcess | undefined;
let serverLog = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-readme-'));
  port = await freePort();
});
afterAll(async () => {
  if (server?.pid) {
    // `npm start` runs the server under npm: end the whole group it leads, and wait for it.
    const exited = new Promise((r) => server?.once('exit', r));
    process.kill(-server.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    // npm may exit before the server under it has stopped Postgres, which still writes into the data dir: wait
    // for the group to empty and the postmaster to go (its pid file), then remove.
    const gone = () => {
      try {
        process.kill(-(server?.pid ?? 0), 0);
        return false;
      } catch {
        return !existsSync(path.join(dir, 'pg', 'postmaster.pid'));
      }
    };
    for (const deadline = Date.now() + 20_000; !gone() && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 100));
  }
  await rm(path.join(ROOT, 'template.csv'), { force: true });
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const env = () => ({
  ...process.env,
  DESKPULSE_DATA_DIR: dir,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  // The blocks are a user's shell, not a test's.
  NODE_ENV: undefined,
  VITEST: undefined,
});

function run(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: ROOT, env: env() });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('README quick start', () => {
  it('runs every snippet of the quick start, connect, metrics and import sections, each curl 2xx', async () => {
    const blocks = quickStartBlocks(await readFile(README, 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks[0]?.trim()).toBe('npm ci && npm start');

    server = spawn('npm', ['start'], {
      cwd: ROOT,
      env: env(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ready = await fetch(`${base}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`npm start never got ready:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // "open http://127.0.0.1:3000": the first visit lands on the dashboard's first-run setup.
    const page = await fetch(`${base}/`);
    expect(new URL(page.url).pathname).toMatch(/^\/app\/?$/);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
    const setup = (await (await fetch(`${base}/setup`)).json()) as { needed: boolean };
    expect(setup.needed).toBe(true);

    // One shell for all blocks, as the README's second terminal: each block sees the variables of those before.
    const script = blocks
      .slice(1)
      .map((b, n) => `echo '::block ${n + 2}' >&2\n${b.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`)}`)
      .join('\n');
    const { code, output } = await run(script);
    const failed = [...output.matchAll(/::block (\d+)/g)].at(-1)?.[1];
    expect(
      code,
      `block ${failed} failed:\n${blocks[Number(failed) - 1]}\n---\n${output}\n--- server:\n${serverLog}`,
    ).toBe(0);
    // Every block ran; the connect block connected both helpdesks, the import block stored an import.
    expect(output).toContain(`::block ${blocks.length}`);
    const key = /dpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(output)?.[0];
    expect(output).toContain('"provider":"intercom"');
    expect(output).toContain('"state":"succeeded"');
    expect(key === undefined || !serverLog.includes(key)).toBe(true);
    // "then sign in": the password the quick start gave the owner signs them in.
    const given = /printf '%s\\n' '([^']+)' \| npx deskpulse user set-password --email (\S+)/.exec(
      blocks.join('\n'),
    );
    expect(given, 'the quick start gives the owner a password').not.toBeNull();
    const signIn = await fetch(`${base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: given?.[2], password: given?.[1] }),
    });
    expect(signIn.status).toBe(200);
  }, 300_000);
});
