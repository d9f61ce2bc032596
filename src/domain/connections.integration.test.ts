import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../db/repositories/connections/index.ts';
import * as webhooks from '../db/repositories/webhooks.ts';
import { generateKey, Keyring, parseKeyring } from '../lib/keyring.ts';
import { createDb, type DbHandle } from '../db/client.ts';
import { dataDirKeySource, loadOrCreateDataDirSecrets } from '../db/data-dir.ts';
import { createWorkspace } from './workspaces.ts';
import { sealedOutside } from './keys.ts';
import {
  approveAtHelpdesk,
  connectByOAuth,
  cliEnv,
  createTestApp,
  createTestDatabase,
  seedWorkspace,
  startHelpdesks,
  TEST_KEYS,
  type TestApp,
  type TestHelpdesks,
  waitFor,
} from '../../test/helpers.ts';
import {
  credentialFor,
  rotateEncryption,
  sweepExpiringTokens,
  type ConnectionsDeps,
} from './connections/index.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/deskpulse.js');

let helpdesks: TestHelpdesks;
let t: TestApp;
beforeAll(async () => {
  helpdesks = await startHelpdesks();
  t = await createTestApp(helpdesks.env);
});
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

const depsOf = (app: TestApp, keyring = app.deps.keyring): ConnectionsDeps => ({
  db: app.deps.db,
  keyring,
  config: app.deps.config,
  logger: app.deps.logger,
  resolve: app.deps.resolveProvider,
});

async function connectionOf(workspaceId: string, provider: 'zendesk' | 'front' | 'plain') {
  const c = await repo.findConnection(t.deps.db, workspaceId, provider);
  if (!c) throw new Error('no connection');
  return c;
}

/** Makes a connection's access token an hour old with `leftMs` to live: due for refresh. */
async function ageToken(connectionId: string, leftMs: number): Promise<void> {
  await t.deps.db
    .updateTable('helpdesk_connections')
    .set({
      access_token_expires_at: new Date(Date.now() + leftMs),
      connected_at: new Date(Date.now() - 3_600_000),
    })
    .where('id', '=', connectionId)
    .execute();
}

/** A user row without going through HTTP (this database has no app in front of it). */
async function signUpDirect(handle: DbHandle): Promise<{ id: string }> {
  const id = `u_${Math.random().toString(16).slice(2)}`;
  await handle.db
    .insertInto('auth_user')
    .values({ id, name: 'K', email: `${id}@x.io`, emailVerified: false })
    .execute();
  return { id };
}

async function cli(args: string[]) {
  const env = cliEnv(t, helpdesks);
  try {
    const r = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('token refresh', () => {
  it('three processes refreshing one connection make exactly one token call and keep the rotated token', async () => {
    const zendesk = helpdesks.emulators.zendesk;
    zendesk.knobs.accessTokenLifetimeSeconds = 600;
    const { keys, workspace } = await seedWorkspace(t);
    expect((await connectByOAuth(t, 'zendesk', keys.admin)).status).toBe(200);
    // An hour-old token with ten minutes left: due.
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ connected_at: new Date(Date.now() - 3_600_000) })
      .where('workspace_id', '=', workspace.id)
      .execute();
    const before = await connectionOf(workspace.id, 'zendesk');
    const oldSecrets = await repo.readSecrets(t.deps.db, t.deps.keyring, before);
    const refreshesBefore = zendesk.stats.refreshRequests;
    zendesk.knobs.latencyMs = 800; // hold the refresh open so the other processes arrive while it is in flight

    const results = await Promise.all([1, 2, 3].map(() => cli(['connections', 'refresh-tokens', '--json'])));
    zendesk.knobs.latencyMs = 0;
    zendesk.knobs.accessTokenLifetimeSeconds = 172_800;

    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(zendesk.stats.refreshRequests - refreshesBefore).toBe(1);
    const after = await connectionOf(workspace.id, 'zendesk');
    const newSecrets = await repo.readSecrets(t.deps.db, t.deps.keyring, after);
    expect(newSecrets.refreshToken).not.toBe(oldSecrets.refreshToken);
    expect(zendesk.issuedTokens().refresh.at(-1)).toBe(newSecrets.refreshToken);
    expect(after.tokenRefreshedAt).not.toBeNull();
    expect(after.lastRefreshStatus).toBe('ok');
    // The stored pair works at the helpdesk; the old one was killed by rotation.
    const me = (token: string) =>
      fetch(`${helpdesks.urls.zendesk}/acme/api/v2/users/me`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(async (r) => ((await r.json()) as { user?: { id: number | null } }).user?.id ?? null);
    expect(await me(newSecrets.accessToken)).not.toBeNull();
    expect(await me(oldSecrets.accessToken)).toBeNull();
  }, 60_000);

  it('announces recovery after a token refresh only when the token step had failed', async () => {
    const { keys, workspace } = await seedWorkspace(t);
    await connectByOAuth(t, 'front', keys.admin);
    const c = await connectionOf(workspace.id, 'front');
    const recoveries = async () =>
      (
        await t.deps.db
          .selectFrom('audit_events')
          .select('detail')
          .where('workspace_id', '=', workspace.id)
          .where('action', '=', 'connection.recovered')
          .execute()
      ).length;
    // A metrics refresh is failing: a successful token refresh does not heal that, and says nothing.
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({
        last_refresh_status: 'upstream_unavailable',
        last_error: 'refresh failed: 503: down',
        last_error_kind: 'metrics_refresh',
      })
      .where('id', '=', c.id)
      .execute();
    expect(
      (await credentialFor(depsOf(t), await connectionOf(workspace.id, 'front'), { force: true })).ok,
    ).toBe(true);
    expect(await recoveries()).toBe(0);
    expect((await connectionOf(workspace.id, 'front')).lastRefreshStatus).toBe('upstream_unavailable');
    // The token step itself had failed: now it is recovered.
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({
        last_refresh_status: 'upstream_unavailable',
        last_error: 'token refresh failed: 503: down',
        last_error_kind: 'token_refresh',
      })
      .where('id', '=', c.id)
      .execute();
    expect(
      (await credentialFor(depsOf(t), await connectionOf(workspace.id, 'front'), { force: true })).ok,
    ).toBe(true);
    expect(await recoveries()).toBe(1);
    expect((await connectionOf(workspace.id, 'front')).lastRefreshStatus).toBe('ok');
  });

  it('leaves fresh tokens alone and refreshes before use when close to expiry', async () => {
    const { keys, workspace } = await seedWorkspace(t);
    await connectByOAuth(t, 'front', keys.admin);
    const calls = helpdesks.emulators.front.stats.refreshRequests;
    const c = await connectionOf(workspace.id, 'front');
    expect((await credentialFor(depsOf(t), c)).ok).toBe(true);
    expect(helpdesks.emulators.front.stats.refreshRequests).toBe(calls);
    await ageToken(c.id, 60_000);
    const due = await connectionOf(workspace.id, 'front');
    const cred = await credentialFor(depsOf(t), due);
    expect(cred.ok).toBe(true);
    expect(helpdesks.emulators.front.stats.refreshRequests).toBe(calls + 1);
    const refreshed = await connectionOf(workspace.id, 'front');
    expect(refreshed.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    // Front returned the same refresh token: it is kept, not wiped.
    expect((await repo.readSecrets(t.deps.db, t.deps.keyring, refreshed)).refreshToken).toBeDefined();
  });

  it('invalid_grant marks needs_reauth with the reason, stops retrying, and a reconnect records the recovery', async () => {
    const plain = helpdesks.emulators.plain;
    const { keys, workspace } = await seedWorkspace(t);
    await connectByOAuth(t, 'plain', keys.admin);
    const c = await connectionOf(workspace.id, 'plain');
    await ageToken(c.id, 1000);
    plain.knobs.forceInvalidGrant = true;
    const calls = plain.stats.refreshRequests;
    try {
      const first = await sweepExpiringTokens(depsOf(t));
      expect(first.failed).toBeGreaterThanOrEqual(1);
      const failed = await connectionOf(workspace.id, 'plain');
      expect(failed.status).toBe('needs_reauth');
      expect(failed.lastRefreshStatus).toBe('unauthorized');
      expect(failed.lastError).toMatch(/^token refresh failed: invalid_grant/);
      const afterFirst = plain.stats.refreshRequests;
      expect(afterFirst).toBe(calls + 1);
      // No retry: neither the sweep nor a use calls the token endpoint again.
      await sweepExpiringTokens(depsOf(t));
      const use = await credentialFor(depsOf(t), failed);
      expect(use).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(plain.stats.refreshRequests).toBe(afterFirst);
      const listed = (await (await t.request('/integrations/connections', { key: keys.member })).json()) as {
        connections: { status: string; lastRefreshStatus: string; lastError: string }[];
      };
      expect(listed.connections[0]).toMatchObject({
        status: 'needs_reauth',
        lastRefreshStatus: 'unauthorized',
      });
    } finally {
      plain.knobs.forceInvalidGrant = false;
    }
    expect((await connectByOAuth(t, 'plain', keys.admin)).status).toBe(200);
    expect((await connectionOf(workspace.id, 'plain')).status).toBe('ok');
    const connectionEvents =
      '/audit?action=connection.connect,connection.reconnect,connection.refresh_failed,connection.recovered';
    const audit = (await (await t.request(connectionEvents, { key: keys.admin })).json()) as {
      events: { action: string; outcome: string; actor: string }[];
    };
    expect(audit.events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'connection.recovered:ok',
      'connection.reconnect:ok',
      'connection.refresh_failed:needs_reauth',
      'connection.connect:ok',
    ]);
    expect(audit.events[2]?.actor).toBe('token sweep');
  });

  it('treats a helpdesk outage as transient: the connection stays ok and the next sweep retries', async () => {
    const front = helpdesks.emulators.front;
    const { keys, workspace } = await seedWorkspace(t);
    await connectByOAuth(t, 'front', keys.admin);
    const c = await connectionOf(workspace.id, 'front');
    await ageToken(c.id, 1000);
    front.knobs.failNext = 1;
    const r = await credentialFor(depsOf(t), await connectionOf(workspace.id, 'front'));
    front.knobs.failNext = 0;
    expect(r).toMatchObject({ ok: false, error: { code: 'upstream_unavailable' } });
    const after = await connectionOf(workspace.id, 'front');
    expect(after.status).toBe('ok');
    expect(after.lastRefreshStatus).toBe('upstream_unavailable');
    expect((await credentialFor(depsOf(t), after)).ok).toBe(true);
    expect((await connectionOf(workspace.id, 'front')).lastRefreshStatus).toBe('ok');
  });
});

describe('key rotation', () => {
  it('re-encrypts every credential under load, then works with the old key removed, and is idempotent', async () => {
    const { keys, workspace } = await seedWorkspace(t);
    for (const p of ['front', 'plain', 'zendesk'] as const) await connectByOAuth(t, p, keys.admin);
    for (let i = 0; i < 25; i++) {
      const w = await seedWorkspace(t, `Load ${i}`);
      await t
        .request('/integrations/front/token', {
          method: 'POST',
          key: w.keys.admin,
          json: { apiToken: `front-token-${i}` },
        })
        .catch(() => undefined);
      await connectByOAuth(t, i % 2 ? 'front' : 'plain', w.keys.admin);
    }
    // Webhook signing secrets are sealed by the same keyring and rotate with the credentials.
    const hookWorkspace = (await t.deps.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow())
      .id;
    await webhooks.insertEndpoint(t.deps.db, t.deps.keyring, {
      id: 'wh_rotation0000000000',
      workspaceId: hookWorkspace,
      url: 'https://hooks.example.com/deskpulse',
      events: ['refresh.failed'],
      secret: 'whsec_rotation-test-secret',
      createdByUserId: null,
    });
    const k2 = generateKey('k2');
    const rotated = new Keyring(parseKeyring(`${k2},${TEST_KEYS}`));
    const deps = depsOf(t, rotated);
    const ids = (await t.deps.db.selectFrom('helpdesk_connections').select('id').execute()).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(25);

    // Load: forced refreshes and credential reads on the rotating keyring while rotation runs.
    let stop = false;
    const load = (async () => {
      let n = 0;
      while (!stop) {
        const id = ids[n++ % ids.length] ?? '';
        const c = await repo.findConnectionById(t.deps.db, id);
        if (c) {
          const r = await credentialFor(deps, c, { force: n % 3 === 0 });
          if (!r.ok && r.error.code !== 'upstream_unavailable')
            throw new Error(`load call failed: ${r.error.code}`);
        }
      }
      return n;
    })();
    const result = await rotateEncryption(deps, { batchSize: 5 });
    stop = true;
    expect(await load).toBeGreaterThan(0);
    expect(result.currentKeyId).toBe('k2');
    expect(await repo.countByEncryptionKey(t.deps.db)).toEqual({ k2: ids.length });

    const onlyNew = new Keyring(parseKeyring(k2));
    for (const id of ids) {
      const c = await repo.findConnectionById(t.deps.db, id);
      await expect(repo.readSecrets(t.deps.db, onlyNew, c!)).resolves.toMatchObject({
        accessToken: expect.any(String) as string,
      });
    }
    expect(await webhooks.countWebhookSecretsByKey(t.deps.db)).toEqual({ k2: 1 });
    const hook = await webhooks.findEndpointWithSecret(t.deps.db, onlyNew, 'wh_rotation0000000000');
    expect(hook?.secret).toBe('whsec_rotation-test-secret');
    expect((await rotateEncryption(depsOf(t, onlyNew))).reencrypted).toBe(0);
    expect((await connectionOf(workspace.id, 'zendesk')).encryptionKeyId).toBe('k2');
  }, 60_000);

  it('`keys rotate --new-key` extends a data-dir keyring, and a running keyring picks the new key up', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-keys-'));
    const database = await createTestDatabase();
    const handle = createDb(database.url, { max: 2 });
    try {
      const { secrets } = await loadOrCreateDataDirSecrets(dir);
      // What a running server holds: the data dir's keyring, watching the file.
      const running = new Keyring(parseKeyring(secrets.encryptionKeys), dataDirKeySource(dir));
      const ws = await createWorkspace(handle.db, {
        name: 'Keys',
        ownerUserId: (await signUpDirect(handle)).id,
      });
      const { connection } = await repo.upsertConnection(handle.db, running, {
        newId: 'con_keys_test',
        workspaceId: ws.id,
        provider: 'front',
        authType: 'token',
        params: {},
        account: { id: 'cmp_1', name: 'Acme' },
        isSandbox: false,
        accessToken: 'front-token-for-rotation',
        refreshToken: undefined,
        accessTokenExpiresAt: null,
        scope: undefined,
        connectedByUserId: null,
      });
      expect(connection.encryptionKeyId).toBe('k1');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: database.url,
        DESKPULSE_AUTH_SECRET: 'x'.repeat(40),
        DESKPULSE_DATA_DIR: dir,
        DESKPULSE_SANDBOX: '0',
      };
      delete env.DESKPULSE_ENCRYPTION_KEYS;
      const out = await run(process.execPath, [BIN, 'keys', 'rotate', '--new-key'], { env });
      expect(out.stdout).toBe(
        're-encrypted 1 connection(s), 0 webhook secret(s), 0 OAuth state(s); every secret is under key k2 (verified)\n',
      );
      expect(out.stderr).toContain('added key k2');
      const after = await repo.findConnectionById(handle.db, connection.id);
      expect(after?.encryptionKeyId).toBe('k2');
      expect((await repo.readSecrets(handle.db, running, after!)).accessToken).toBe(
        'front-token-for-rotation',
      );
      expect(running.currentKeyId).toBe('k2');
      const events = await handle.db.selectFrom('audit_events').select(['action', 'detail']).execute();
      expect(events).toEqual([{ action: 'keys.rotate', detail: 'credentials sealed under key k2' }]);

      const withEnv = await run(process.execPath, [BIN, 'keys', 'rotate', '--new-key'], {
        env: { ...env, DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(withEnv).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('DESKPULSE_ENCRYPTION_KEYS is set') as string,
      });
    } finally {
      await handle.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('rotates while a refresh that returns no new refresh token runs, leaves no row under the old key, then retires it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-retire-'));
    const app = await createTestApp(helpdesks.env, { worker: false });
    const front = helpdesks.emulators.front;
    try {
      // What a running server on the embedded setup holds: the data dir's keyring, watching the file.
      const { secrets } = await loadOrCreateDataDirSecrets(dir);
      const k1 = secrets.encryptionKeys;
      const running = new Keyring(parseKeyring(k1), dataDirKeySource(dir));
      app.deps.keyring = running;
      const deps = depsOf(app, running);
      const { keys, workspace } = await seedWorkspace(app);
      expect((await connectByOAuth(app, 'front', keys.admin)).status).toBe(200);
      await webhooks.insertEndpoint(app.deps.db, running, {
        id: 'wh_retire00000000000',
        workspaceId: workspace.id,
        url: 'http://127.0.0.1:9/never-called',
        events: ['refresh.failed'],
        secret: 'whsec_retire-test-secret',
        createdByUserId: null,
      });
      // An OAuth flow in progress: its PKCE verifier is sealed under k1 until rotated.
      const other = await seedWorkspace(app, 'Other');
      const start = await app.request('/integrations/zendesk/start?subdomain=acme', {
        key: other.keys.admin,
      });
      const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
      expect(await sealedOutside(app.deps.db, 'none')).toMatchObject({
        connections: 1,
        webhookSecrets: 1,
        oauthStates: 1,
        keys: ['k1'],
      });

      const conn = (await repo.findConnection(app.deps.db, workspace.id, 'front'))!;
      const oldRefresh = (await repo.readSecrets(app.deps.db, running, conn)).refreshToken;
      const refreshesBefore = front.stats.refreshRequests;
      front.knobs.omitRefreshToken = true;
      front.knobs.latencyMs = 1500;
      const refreshing = credentialFor(deps, conn, { force: true });
      // Wait until the refresh holds the row (it keeps it through the token call).
      await waitFor('the refresh to lock its row', async () => {
        const free = await app.deps.db
          .transaction()
          .execute(async (trx) =>
            trx
              .selectFrom('helpdesk_connections')
              .select('id')
              .where('id', '=', conn.id)
              .forUpdate()
              .skipLocked()
              .execute(),
          );
        return free.length === 0;
      });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: app.deps.config.databaseUrl ?? '',
        DESKPULSE_AUTH_SECRET: 'x'.repeat(40),
        DESKPULSE_DATA_DIR: dir,
        DESKPULSE_SANDBOX: '0',
      };
      delete env.DESKPULSE_ENCRYPTION_KEYS;
      const deskpulse = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
        run(process.execPath, [BIN, ...args], { env: { ...env, ...extra } }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );

      const refusedCurrent = await deskpulse(['keys', 'retire', 'k1']);
      expect(refusedCurrent).toMatchObject({ code: 1 });
      expect(refusedCurrent.stderr).toBe(
        'deskpulse: error: k1 is the current key: add a new one and re-encrypt first (deskpulse keys rotate --new-key)\n',
      );

      const rotated = await deskpulse(['keys', 'rotate', '--new-key']);
      expect(rotated.stderr).toContain('added key k2');
      expect(rotated.stdout).toMatch(
        /^re-encrypted [01] connection\(s\), 1 webhook secret\(s\), 1 OAuth state\(s\); every secret is under key k2 \(verified\)\n$/,
      );
      expect(rotated.code).toBe(0);
      front.knobs.latencyMs = 0;
      expect((await refreshing).ok).toBe(true);
      expect(front.stats.refreshRequests - refreshesBefore).toBe(1);
      expect(await sealedOutside(app.deps.db, 'k2')).toEqual({
        connections: 0,
        webhookSecrets: 0,
        oauthStates: 0,
        keys: [],
      });
      const after = (await repo.findConnection(app.deps.db, workspace.id, 'front'))!;
      expect(after.encryptionKeyId).toBe('k2');

      // A process that never saw k2 writes a secret under k1: retiring k1 is refused until it is rotated.
      const stale = new Keyring(parseKeyring(k1));
      await webhooks.insertEndpoint(app.deps.db, stale, {
        id: 'wh_retire00000000001',
        workspaceId: workspace.id,
        url: 'http://127.0.0.1:9/never-called',
        events: ['refresh.failed'],
        secret: 'whsec_stale-process',
        createdByUserId: null,
      });
      const refused = await deskpulse(['keys', 'retire', 'k1']);
      expect(refused).toMatchObject({ code: 1 });
      expect(refused.stderr).toBe(
        'deskpulse: error: cannot retire k1: 0 connection(s), 1 webhook secret(s), 0 OAuth state(s) are still sealed under it; run deskpulse keys rotate first\n',
      );
      expect((await deskpulse(['keys', 'rotate'])).stdout).toBe(
        're-encrypted 0 connection(s), 1 webhook secret(s), 0 OAuth state(s); every secret is under key k2 (verified)\n',
      );

      const k2 = parseKeyring((await loadOrCreateDataDirSecrets(dir)).secrets.encryptionKeys)[0]!;
      const withEnv = await deskpulse(['keys', 'retire', 'k1'], {
        DESKPULSE_ENCRYPTION_KEYS: `k2:${k2.key.toString('base64')},${k1}`,
      });
      expect(withEnv.stdout).toBe(
        "no secret is sealed under k1: remove k1 from DESKPULSE_ENCRYPTION_KEYS in every process's environment and restart them\n",
      );
      const retired = await deskpulse(['keys', 'retire', 'k1']);
      expect(retired.stdout).toBe(
        `retired k1: removed from ${dir}/secrets.json; no secret was sealed under it\n`,
      );
      expect(running.keyIds).toEqual(['k2']);

      // Every credential opens without k1: the kept refresh token, the webhook secrets, the OAuth verifier.
      const onlyNew = new Keyring([k2]);
      const secretsAfter = await repo.readSecrets(app.deps.db, onlyNew, after);
      expect(secretsAfter.refreshToken).toBe(oldRefresh);
      for (const id of ['wh_retire00000000000', 'wh_retire00000000001']) {
        expect((await webhooks.findEndpointWithSecret(app.deps.db, onlyNew, id))?.secret).toMatch(/^whsec_/);
      }
      const { code, state } = await approveAtHelpdesk(authorizeUrl);
      const completed = await app.request('/integrations/zendesk/complete', {
        method: 'POST',
        key: other.keys.admin,
        json: { code, state, subdomain: 'acme' },
      });
      expect(completed.status, await completed.clone().text()).toBe(200);
      front.knobs.omitRefreshToken = false;
      expect((await credentialFor(depsOf(app, onlyNew), after, { force: true })).ok).toBe(true);
    } finally {
      front.knobs.omitRefreshToken = false;
      front.knobs.latencyMs = 0;
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
