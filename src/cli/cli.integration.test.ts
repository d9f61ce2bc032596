import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../db/embedded.ts';
import { createTestDatabase, waitFor } from '../../test/helpers.ts';
import { loadConfig } from '../config/index.ts';
import { createDb, type DbHandle } from '../db/client.ts';
import { openDatabase } from '../db/open.ts';
import { createAuth } from '../auth/better-auth.ts';
import { accountHashOf } from '../domain/sign-in-guard.ts';
import { createLogger } from '../lib/logger.ts';

const BIN = path.resolve('bin/deskpulse.js');
const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string>, input?: string) {
  const child = run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else {
    child.child.stdin?.end();
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('deskpulse CLI on an external database', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let handle: DbHandle;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = () => database.drop();
    handle = createDb(database.url, { max: 2 });
    env = { DATABASE_URL: database.url, DESKPULSE_AUTH_SECRET: 'x'.repeat(40), NODE_ENV: 'test' };
  });
  afterAll(async () => {
    await handle.close();
    await drop();
  });

  it('creates a workspace and prints only the owner key on stdout', async () => {
    const r = await cli(['workspace', 'create', '--name', 'Acme', '--owner-email', 'Lead@Acme.io'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
    const owner = await handle.db.selectFrom('auth_user').select('email').execute();
    expect(owner.map((o) => o.email)).toContain('lead@acme.io');
  });

  it('prints structured output with --json and accepts a password on stdin', async () => {
    const r = await cli(
      [
        'workspace',
        'create',
        '--name',
        'Beta',
        '--owner-email',
        'b@beta.io',
        '--owner-password-stdin',
        '--json',
      ],
      env,
      'a fine long password\n',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      workspace: { id: string; name: string };
      apiKey: { role: string; key: string };
    };
    expect(out.workspace.name).toBe('Beta');
    expect(out.apiKey.role).toBe('owner');
    expect(out.apiKey.key).toMatch(/^dpk_/);
  });

  it('lists the workspaces, with --json as the API shows a workspace', async () => {
    const rows = await handle.db.selectFrom('workspaces').selectAll().orderBy('created_at').execute();
    const listed = await cli(['workspace', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      workspaces: rows.map((r) => ({
        id: r.id,
        name: r.name,
        timezone: r.timezone,
        createdAt: r.created_at.toISOString(),
      })),
    });
    const text = await cli(['workspace', 'list'], env);
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(rows.length);
    for (const r of rows) expect(text.stdout).toMatch(new RegExp(`^${r.id}  ${r.name} +UTC  `, 'm'));
  });

  it(
    'refuses bad input with one line, a non-zero exit and nothing written',
    { timeout: 120_000 },
    async () => {
      const before = await handle.db.selectFrom('workspaces').select('id').execute();
      const bad = await cli(['workspace', 'create', '--name', 'X', '--owner-email', 'not-an-email'], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain(
        "option '--owner-email <email>' argument 'not-an-email' is invalid. must be an email address",
      );
      expect(bad.stdout).toBe('');
      const missing = await cli(['workspace', 'create', '--name', 'X'], env);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("required option '--owner-email <email>' not specified");
      const short = await cli(
        ['workspace', 'create', '--name', 'X', '--owner-email', 'x@x.io', '--owner-password-stdin'],
        env,
        'short',
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toBe('deskpulse: error: the owner password must be at least 12 characters\n');
      // The same policy as sign-up: a common password and the email itself are refused too.
      for (const [password, problem] of [
        ['password1234', 'is too common: it is on a list of passwords that attackers try first'],
        ['x@x.io', 'must be at least 12 characters'],
        ['owner@example.com', 'must not be your email address or its name part'],
      ]) {
        const refused = await cli(
          [
            'workspace',
            'create',
            '--name',
            'X',
            '--owner-email',
            'owner@example.com',
            '--owner-password-stdin',
          ],
          env,
          password,
        );
        expect(refused.stderr).toBe(`deskpulse: error: the owner password ${problem}\n`);
      }
      expect(await handle.db.selectFrom('workspaces').select('id').execute()).toHaveLength(before.length);
    },
  );

  it(
    'gives an owner made with a key only a password, then a new one that signs out their sessions',
    { timeout: 120_000 },
    async () => {
      const email = 'gamma@gamma.io';
      const created = await cli(['workspace', 'create', '--name', 'Gamma', '--owner-email', email], env);
      expect(created.code).toBe(0);
      const auth = createAuth({
        pool: handle.pool,
        secret: env.DESKPULSE_AUTH_SECRET as string,
        publicUrl: 'http://127.0.0.1:3000',
        logger: createLogger({ level: 'silent' }),
      });
      const signIn = async (password: string) =>
        (await auth.api.signInEmail({ body: { email, password }, asResponse: true })).status;
      const { id: userId } = await handle.db
        .selectFrom('auth_user')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const sessions = async () =>
        (await handle.pool.query('select 1 from auth_session where "userId" = $1', [userId])).rowCount;
      expect(await signIn('a first long password')).toBe(401);
      // workspace create cannot give an existing account a password: it says what does.
      const again = await cli(
        ['workspace', 'create', '--name', 'Gamma 2', '--owner-email', email, '--owner-password-stdin'],
        env,
        'a first long password\n',
      );
      expect(again).toMatchObject({
        code: 1,
        stderr: `deskpulse: error: ${email} already has an account: omit --owner-password-stdin, or give it a new password with deskpulse user set-password\n`,
      });

      const set = await cli(
        ['user', 'set-password', '--email', 'Gamma@Gamma.io'],
        env,
        'a first long password\n',
      );
      expect(set).toEqual({
        code: 0,
        stdout: `${email}: password set; they can sign in to the dashboard\n`,
        stderr: '',
      });
      expect(await signIn('a first long password')).toBe(200);
      expect(await sessions()).toBe(1);

      // Locked out by someone guessing: a new password lifts it, ends the session and replaces the old one.
      await handle.db
        .insertInto('sign_in_failures')
        .values({ account_hash: accountHashOf(email), address: '203.0.113.9' })
        .execute();
      const changed = await cli(
        ['user', 'set-password', '--email', email, '--json'],
        env,
        'a second long password\n',
      );
      expect(changed.code).toBe(0);
      expect(JSON.parse(changed.stdout)).toEqual({ user: { id: userId, email }, changed: true });
      expect(await sessions()).toBe(0);
      expect(
        await handle.db
          .selectFrom('sign_in_failures')
          .select('id')
          .where('account_hash', '=', accountHashOf(email))
          .execute(),
      ).toEqual([]);
      expect(await signIn('a first long password')).toBe(401);
      expect(await signIn('a second long password')).toBe(200);
      const audit = await handle.db
        .selectFrom('audit_events')
        .select(['action', 'actor_label', 'target_id'])
        .where('action', '=', 'auth.password_set')
        .execute();
      expect(audit).toEqual([
        { action: 'auth.password_set', actor_label: 'deskpulse user set-password', target_id: userId },
        { action: 'auth.password_set', actor_label: 'deskpulse user set-password', target_id: userId },
      ]);

      // Refused with one line, nothing changed.
      const unknown = await cli(
        ['user', 'set-password', '--email', 'nobody@gamma.io'],
        env,
        'a fine long password\n',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        'deskpulse: error: no account has the email nobody@gamma.io: deskpulse workspace create makes one, or invite them from the dashboard\n',
      );
      const weak = await cli(['user', 'set-password', '--email', email], env, 'short');
      expect(weak).toMatchObject({
        code: 1,
        stderr: 'deskpulse: error: the password must be at least 12 characters\n',
      });
      const mine = await cli(['user', 'set-password', '--email', email], env, email);
      expect(mine.stderr).toBe(
        'deskpulse: error: the password must not be your email address or its name part\n',
      );
      const noEmail = await cli(['user', 'set-password', '--email', 'nope'], env, 'a fine long password\n');
      expect(noEmail.stderr).toContain(
        "option '--email <email>' argument 'nope' is invalid. must be an email address",
      );
      expect(await signIn('a second long password')).toBe(200);
    },
  );

  it('creates, lists and revokes API keys', { timeout: 120_000 }, async () => {
    const several = await cli(['apikey', 'create', '--role', 'admin'], env);
    expect(several.code).toBe(1);
    expect(several.stderr).toBe('deskpulse: error: several workspaces exist: pass --workspace <id>\n');
    const ws = await handle.db
      .selectFrom('workspaces')
      .select('id')
      .where('name', '=', 'Acme')
      .executeTakeFirstOrThrow();
    const badRole = await cli(['apikey', 'create', '--role', 'root', '--workspace', ws.id], env);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('Allowed choices are admin, member');

    const created = await cli(
      ['apikey', 'create', '--role', 'member', '--workspace', ws.id, '--name', 'ci', '--json'],
      env,
    );
    const key = JSON.parse(created.stdout) as { id: string; key: string; role: string };
    expect(key.role).toBe('member');
    const listed = await cli(['apikey', 'list', '--workspace', ws.id, '--json'], env);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(key.key.slice(-43));
    const revoked = await cli(['apikey', 'revoke', key.id], env);
    expect(revoked.stdout).toBe(`revoked ${key.id} (ci, member)\n`);
    const row = await handle.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    const again = await cli(['apikey', 'revoke', key.id], env);
    expect(again.stdout).toBe(
      `${key.id} (ci, member) was already revoked, at ${row.revoked_at?.toISOString()}\n`,
    );
    // The text list: a header and a line a key, aligned, revoked or not.
    const text = await cli(['apikey', 'list', '--workspace', ws.id], env);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +ROLE +CREATED BY +CREATED +LAST USED +REVOKED$/);
    expect(lines.find((l) => l.startsWith(key.id))).toMatch(/ ci +member .* \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const unknown = await cli(['apikey', 'revoke', 'key_0000000000000000'], env);
    expect(unknown.stderr).toBe('deskpulse: error: no API key key_0000000000000000\n');
  });

  it('names a mistyped option, and answers every usage error on one line', { timeout: 120_000 }, async () => {
    const typo = await cli(['refresh', '--provdier', 'front'], env);
    expect(typo).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        "deskpulse: error: unknown option '--provdier' (Did you mean --provider?); run `deskpulse refresh --help` for usage\n",
    });
    for (const args of [
      ['refresh'],
      ['refresh', '--provider', 'hubspot'],
      ['apikey', 'create', '--role', 'admin', '--bogus'],
      ['workspace', 'lst'],
      ['nosuch'],
      ['metrics', 'extra'],
    ]) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/^deskpulse: error: [^\n]+\n$/);
    }
    // A configuration error lists every bad variable, still on one line.
    const config = await cli(['workspace', 'list'], { ...env, PORT: 'x', LOG_LEVEL: 'loud' });
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(
      /^deskpulse: error: invalid configuration: [^\n]*PORT[^\n]*LOG_LEVEL[^\n]*\n$/,
    );
  });

  it('has --help on every command', { timeout: 120_000 }, async () => {
    for (const args of [
      [],
      ['workspace', 'create'],
      ['workspace', 'list'],
      ['apikey', 'create'],
      ['apikey', 'revoke'],
      ['user', 'set-password'],
      ['serve'],
      ['migrate'],
    ]) {
      const r = await cli([...args, '--help'], env);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: deskpulse');
    }
  });
});

describe('deskpulse CLI on a data dir without a database', () => {
  it('refuses every command but serve and migrate, creating nothing', { timeout: 120_000 }, async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-empty-'));
    const dir = path.join(parent, 'typo');
    try {
      const env = { DESKPULSE_DATA_DIR: dir, LOG_LEVEL: 'warn' };
      for (const args of [
        ['workspace', 'list'],
        ['workspace', 'create', '--name', 'X', '--owner-email', 'x@x.io'],
        ['apikey', 'list'],
        ['metrics'],
        ['refresh', '--provider', 'front'],
        ['connections', 'refresh-tokens'],
        ['worker'],
      ]) {
        const r = await cli(args, env);
        expect(r, args.join(' ')).toMatchObject({
          code: 1,
          stdout: '',
          stderr: `deskpulse: error: no Deskpulse database in ${dir}: start it with \`deskpulse serve\` (or \`deskpulse migrate\`) there first, or set DESKPULSE_DATA_DIR or DATABASE_URL to yours\n`,
        });
      }
      expect(existsSync(dir)).toBe(false);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe('deskpulse CLI beside a running server on the same data dir', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  afterAll(async () => {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await rm(dir, { recursive: true, force: true });
  });

  it('joins the embedded Postgres the server started', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-cli-'));
    const port = await freePort();
    // No minute tick: the connect below makes Front due, and a tick would queue the refresh the CLI runs.
    const env = { DESKPULSE_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn', DESKPULSE_SCHEDULER: '0' };
    // The file itself, through its #! line, as `npm start` and `npx deskpulse` run it.
    server = spawn(BIN, ['serve'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the server to be ready',
      () =>
        fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      15_000,
    );
    // What the #! line sets reached node (its environment as it started), and not the Postgres it started.
    const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ(server.pid as number)).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')).toContain(
      '--max-semi-space-size=4',
    );
    const postmaster = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(environ(postmaster).filter((v) => v.startsWith('MALLOC_MMAP_THRESHOLD_='))).toEqual([]);
    const created = await cli(['workspace', 'create', '--name', 'Live', '--owner-email', 'live@x.io'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(await me.json()).toMatchObject({ workspace: { name: 'Live' }, role: 'owner', via: 'api_key' });

    // The sandbox helpdesks live in the server: an in-process refresh finds them at the URL the server recorded
    // in the data dir, without this command knowing the server's PORT.
    const connect = await fetch(`${base}/integrations/front/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiToken: 'sandbox-front-token' }),
    });
    expect(connect.status).toBe(200);
    const noPort = { DESKPULSE_DATA_DIR: dir, PORT: '', LOG_LEVEL: 'warn' };
    const refreshed = await cli(['refresh', '--provider', 'front', '--json'], noPort);
    expect(refreshed.stderr).toBe('');
    expect(refreshed.code).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({ provider: 'front', source: { sandbox: true } });

    const stopped = new Promise<number | null>((r) => server?.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    expect(await stopped).toBe(0);
    server = undefined;

    // Without a server there is no sandbox helpdesk to call: said on one line, before anything is written.
    const offline = await cli(['refresh', '--provider', 'front'], noPort);
    expect(offline).toMatchObject({
      code: 1,
      stderr: `deskpulse: error: the sandbox front helpdesk runs inside \`deskpulse serve\`, and none is running on ${dir}: start it first\n`,
    });
    const config = loadConfig({ DESKPULSE_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const database = await openDatabase(config, createLogger({ level: 'silent' }), { create: false });
    try {
      const refreshes = await database.db.selectFrom('metric_refreshes').select('state').execute();
      expect(refreshes.map((r) => r.state)).toEqual(['succeeded']);
      const connection = await database.db
        .selectFrom('helpdesk_connections')
        .select(['status', 'last_refresh_status'])
        .executeTakeFirstOrThrow();
      expect(connection).toEqual({ status: 'ok', last_refresh_status: 'ok' });
    } finally {
      await database.close();
    }
  }, 120_000);
});
