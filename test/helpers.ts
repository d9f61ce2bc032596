import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import { createAuth } from '../src/auth/better-auth.ts';
import { loadConfig, type Config } from '../src/config/index.ts';
import { createDb, type DbHandle } from '../src/db/client.ts';
import { insertTokenConnections } from '../src/db/repositories/connections/index.ts';
import { createApiKey } from '../src/domain/api-keys.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { createApp } from '../src/http/app.ts';
import type { AppDeps } from '../src/http/env.ts';
import { resolveProvider } from '../src/domain/provider-settings.ts';
import { Keyring, parseKeyring } from '../src/lib/keyring.ts';
import { createLogger } from '../src/lib/logger.ts';
import { startJobs, type Jobs } from '../src/jobs/boss.ts';
import { providers } from '../src/providers/index.ts';
import { PROVIDER_IDS, type ProviderId } from '../src/providers/types.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulators/index.ts';
import { ContractValidator, ContractViolation, type OpenApiDocument } from './contract.ts';

const TEMPLATE_DB = 'deskpulse_template';

/** A fresh database cloned from the migrated template; dropped by the returned cleanup. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  deps: AppDeps;
  handle: DbHandle;
  app: ReturnType<typeof createApp>;
  /** Every log line the app wrote, for leak assertions. */
  logs: string[];
  jobs: Jobs;
  /** The app's fetch; every response is checked against the OpenAPI document (test/contract.ts). */
  request(
    path: string,
    init?: RequestInit & { key?: string; cookie?: string; json?: unknown },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** A fixed test keyring (never a real secret); tests of rotation build their own. */
export const TEST_KEYS = `t1:${Buffer.alloc(32, 7).toString('base64')}`;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused',
    DESKPULSE_AUTH_SECRET: 'test-secret-test-secret-test-secret-!!',
    DESKPULSE_PUBLIC_URL: 'http://127.0.0.1:3000',
    DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
    DESKPULSE_SANDBOX: '0',
    // Crons off: a minute tick firing mid-test would schedule refreshes the test did not ask for.
    DESKPULSE_SCHEDULER: '0',
    DESKPULSE_WORKER_CONCURRENCY: '2',
    LOG_LEVEL: 'debug',
    // Webhook receivers in tests listen on loopback, which the SSRF guard refuses unless allow-listed; no test
    // registers anything else, so no delivery can leave the machine (src/domain/webhook-target.test.ts covers
    // the public/private classification itself).
    DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
    // Most tests sign people up freely; the invite-only default has its own tests (DESKPULSE_SIGNUP=invite).
    DESKPULSE_SIGNUP: 'open',
    ...overrides,
  });
}

export async function createTestApp(
  overrides: Record<string, string> = {},
  options: { worker?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = { ...testConfig(overrides), databaseUrl: database.url };
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        // DESKPULSE_TEST_LOGS=1 echoes the app's logs while debugging a test.
        if (process.env.DESKPULSE_TEST_LOGS === '1') process.stderr.write(chunk);
        cb();
      },
    }),
  });
  const handle = createDb(database.url, { max: 5 });
  const auth = createAuth({
    pool: handle.pool,
    secret: config.authSecret ?? '',
    publicUrl: config.publicUrl,
    logger,
  });
  const deps: AppDeps = {
    config,
    db: handle.db,
    auth,
    logger,
    keyring: new Keyring(parseKeyring(config.encryptionKeys ?? TEST_KEYS)),
    resolveProvider: (id) => resolveProvider(config, id, undefined),
    jobs: {
      send: () => Promise.reject(new Error('jobs not started')),
      sendMany: () => Promise.reject(new Error('jobs not started')),
    },
  };
  // Real pg-boss on this test's database, with an in-process worker, as `npm start` runs it.
  const jobs = startJobs({ databaseUrl: database.url, logger, ...config.jobs });
  deps.jobs = jobs.queue;
  if (options.worker !== false) {
    await jobs.startWorker({
      db: deps.db,
      keyring: deps.keyring,
      config,
      logger,
      resolve: deps.resolveProvider,
    });
  }
  const app = createApp(deps);
  return {
    deps,
    handle,
    app,
    logs,
    jobs,
    request: async (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.key) headers.set('authorization', `Bearer ${init.key}`);
      if (init.cookie) headers.set('cookie', init.cookie);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const { key: _k, cookie: _c, json: _j, ...rest } = init;
      const res = await app.request(path, { ...rest, headers, body: body ?? null });
      await expectDescribed(rest.method ?? 'GET', path, res, () => documentOf(app));
      return res;
    },
    close: async () => {
      await jobs.stop();
      await handle.close();
      await database.drop();
    },
  };
}

/**
 * Another API process on the test's database: the same app with its own pool and its own better-auth, as a second
 * `deskpulse serve` would have (in-process caches included). `config` replaces the test app's configuration.
 */
export function secondApiProcess(
  t: TestApp,
  config: Config = t.deps.config,
): { app: ReturnType<typeof createApp>; close(): Promise<void> } {
  const handle = createDb(t.deps.config.databaseUrl ?? '', { max: 5 });
  const auth = createAuth({
    pool: handle.pool,
    secret: config.authSecret ?? '',
    publicUrl: config.publicUrl,
    logger: t.deps.logger,
  });
  return { app: createApp({ ...t.deps, db: handle.db, auth, config }), close: () => handle.close() };
}

/** The document is the same for every app of a run; each process builds its validator once. */
let validator: Promise<ContractValidator> | undefined;
const documentOf = async (app: { request(path: string): Response | Promise<Response> }) =>
  (await app.request('/openapi.json')).json() as Promise<OpenApiDocument>;

/** Throws a `ContractViolation` for a response the OpenAPI document does not describe. */
export async function expectDescribed(
  method: string,
  url: string,
  res: Response,
  document: () => Promise<OpenApiDocument>,
): Promise<void> {
  validator ??= document().then((doc) => new ContractValidator(doc));
  const problems = await (await validator).check(method.toUpperCase(), url, res);
  if (problems.length > 0) throw new ContractViolation(problems);
}

/**
 * `fetch` to a running server with the same check, for tests over real HTTP that opt in; the document is read
 * from that server.
 */
export async function contractFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  await expectDescribed(
    init.method ?? 'GET',
    url,
    res,
    async () => (await fetch(new URL('/openapi.json', url))).json() as Promise<OpenApiDocument>,
  );
  return res;
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}${++counter}-${randomBytes(3).toString('hex')}@example.com`;

/** Signs up through the real endpoint (which never signs in), then signs in: returns the session cookie. */
export async function signUp(
  t: TestApp,
  email = uniqueEmail(),
): Promise<{ cookie: string; userId: string; email: string }> {
  const body = { email, password: 'correct horse battery', name: 'Test' };
  if (t.deps.config.signUp === 'invite') {
    // Invite-only sign-up has no door for a first owner: create the account as first-run setup does.
    await t.deps.auth.api.signUpEmail({ body });
    return signIn(t, email);
  }
  const res = await t.request('/auth/sign-up', { method: 'POST', json: body });
  if (res.status !== 202) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return signIn(t, email);
}

/** Signs in through the real endpoint and returns the session cookie. */
export async function signIn(
  t: TestApp,
  email: string,
  password = 'correct horse battery',
): Promise<{ cookie: string; userId: string; email: string }> {
  const res = await t.request('/auth/sign-in', { method: 'POST', json: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = (await res.json()) as { user: { id: string } };
  return { cookie, userId: body.user.id, email };
}

/** A workspace with an owner user (signed in) and keys of every role. */
export async function seedWorkspace(t: TestApp, name = 'Acme') {
  const owner = await signUp(t);
  const workspace = await createWorkspace(t.deps.db, { name, ownerUserId: owner.userId });
  const mk = async (role: 'owner' | 'admin' | 'member') =>
    (
      await createApiKey(t.deps.db, {
        workspaceId: workspace.id,
        name: role,
        role,
        createdBy: {
          kind: 'session',
          apiKeyId: null,
          userId: owner.userId,
          email: owner.email,
          workspaceId: workspace.id,
          role: 'owner',
        },
      })
    ).secret;
  return {
    workspace,
    owner,
    keys: { owner: await mk('owner'), admin: await mk('admin'), member: await mk('member') },
  };
}

export interface TestHelpdesks {
  emulators: Record<ProviderId, Emulator>;
  urls: Record<ProviderId, string>;
  /** Env that points Deskpulse at the emulators with a registered OAuth client each. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_PUBLIC_URL = 'http://127.0.0.1:3000';

/** All four emulated helpdesks on real loopback ports, with an OAuth client registered for our callbacks. */
export async function startHelpdesks(
  options: (id: ProviderId) => EmulatorOptions = () => ({}),
): Promise<TestHelpdesks> {
  const started = await Promise.all(
    PROVIDER_IDS.map(async (id) => {
      const extra = options(id);
      const running = await startEmulator(id, {
        ...extra,
        clients: [
          {
            clientId: `client-${id}`,
            clientSecret: `client-secret-${id}-0123456789`,
            redirectUris: [`${TEST_PUBLIC_URL}/integrations/${id}/callback`],
          },
          ...(extra.clients ?? []),
        ],
      });
      return { id, running };
    }),
  );
  const env: Record<string, string> = {};
  for (const { id, running } of started) {
    const p = id.toUpperCase();
    env[`${p}_CLIENT_ID`] = `client-${id}`;
    env[`${p}_CLIENT_SECRET`] = `client-secret-${id}-0123456789`;
    const o = providers[id].emulatorOverrides(running.url);
    if (o.oauthBaseUrl) env[`${p}_OAUTH_BASE_URL`] = o.oauthBaseUrl;
    if (o.apiBaseUrl) env[id === 'plain' ? 'PLAIN_API_URL' : `${p}_API_BASE_URL`] = o.apiBaseUrl;
  }
  return {
    emulators: Object.fromEntries(started.map(({ id, running }) => [id, running.emulator])) as Record<
      ProviderId,
      Emulator
    >,
    urls: Object.fromEntries(started.map(({ id, running }) => [id, running.url])) as Record<
      ProviderId,
      string
    >,
    env,
    close: async () => {
      await Promise.all(started.map(({ running }) => running.close()));
    },
  };
}

/** Drives the helpdesk's consent screen the way a script does: the code and state it redirects back with. */
export async function approveAtHelpdesk(
  authorizeUrl: string,
): Promise<{ code: string; state: string; redirect: URL }> {
  const res = await fetch(`${authorizeUrl}&auto_approve=1`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const redirect = new URL(res.headers.get('location') ?? '');
  return {
    code: redirect.searchParams.get('code') ?? '',
    state: redirect.searchParams.get('state') ?? '',
    redirect,
  };
}

/** A full OAuth connection through our HTTP API: start, consent at the emulator, complete. */
export async function connectByOAuth(t: TestApp, provider: ProviderId, key: string): Promise<Response> {
  const query = provider === 'zendesk' ? '?subdomain=acme' : '';
  const start = await t.request(`/integrations/${provider}/start${query}`, { key });
  if (start.status !== 200) throw new Error(`start answered ${start.status}: ${await start.text()}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const { code, state } = await approveAtHelpdesk(authorizeUrl);
  return t.request(`/integrations/${provider}/complete`, {
    method: 'POST',
    key,
    json: { code, state, ...(provider === 'zendesk' ? { subdomain: 'acme' } : {}) },
  });
}

/** Environment for a `deskpulse` child process that shares this test app's database, keyring and helpdesks. */
export function cliEnv(
  t: TestApp,
  helpdesks: TestHelpdesks,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...helpdesks.env,
    DATABASE_URL: t.deps.config.databaseUrl ?? '',
    DESKPULSE_AUTH_SECRET: 'x'.repeat(40),
    DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
    DESKPULSE_SANDBOX: '0',
    ...extra,
  };
}

/**
 * Many token connections fast, straight through the repository (one workspace each: a connection is unique per
 * workspace and provider). For fleet tests; the HTTP connect flow has its own tests.
 */
export async function seedTokenConnections(
  t: TestApp,
  connections: { provider: ProviderId; token: string; params?: Record<string, string> }[],
): Promise<{ workspaceId: string; connectionId: string; provider: ProviderId }[]> {
  const batch = randomBytes(4).toString('hex');
  const rows = connections.map((c, i) => {
    const n = `${batch}${String(i).padStart(6, '0')}`;
    return {
      id: `con_${n}`,
      workspaceId: `ws_${n}`,
      provider: c.provider,
      params: c.params ?? {},
      account: { id: `acct-${n}`, name: `Account ${i}` },
      accessToken: c.token,
    };
  });
  await t.deps.db
    .insertInto('workspaces')
    .values(rows.map((r, i) => ({ id: r.workspaceId, name: `Fleet ${i}` })))
    .execute();
  await insertTokenConnections(t.deps.db, t.deps.keyring, rows);
  return rows.map((r) => ({ workspaceId: r.workspaceId, connectionId: r.id, provider: r.provider }));
}

/**
 * Polls `probe` every `everyMs` until it returns something other than `false` or `undefined`, and returns that;
 * after `timeoutMs` it throws, naming `what`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A webhook receiver on a free loopback port that records what it gets and answers 204. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: { path: string; body: string }[];
  close(): Promise<void>;
}> {
  const received: { path: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A workspace's stored snapshots: each one's period and the refresh that wrote it. */
export const snapshotsOf = (t: TestApp, workspaceId: string) =>
  t.deps.db
    .selectFrom('metric_snapshots')
    .select(['period', 'refresh_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
