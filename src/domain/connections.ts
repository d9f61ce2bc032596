import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/connections.ts';
import * as states from '../db/repositories/oauth-states.ts';
import * as webhookRepo from '../db/repositories/webhooks.ts';
import { AppError, type ErrorDetail } from '../lib/app-error.ts';
import { randomToken, sha256Hex } from '../lib/crypto.ts';
import type { Keyring } from '../lib/keyring.ts';
import type { Logger } from '../lib/logger.ts';
import { err, ok, type Result } from '../lib/result.ts';
import {
  buildAuthorizeUrl,
  exchangeCode,
  newCodeVerifier,
  refreshTokens,
  type OAuthFlow,
} from '../providers/oauth/engine.ts';
import type {
  Account,
  ConnectionParams,
  Credential,
  ProviderContext,
  ProviderError,
  ProviderId,
} from '../providers/types.ts';
import type { JobQueue } from './queue.ts';
import { telemetry } from '../lib/telemetry.ts';
import { type Actor, recordAudit } from './audit.ts';
import { connectionNeedsReauth, connectionRecovered } from './events.ts';
import { newId } from './ids.ts';
import type { ResolvedProvider } from './provider-settings.ts';
import type { WorkspacePrincipal } from './roles.ts';

export type Connection = repo.Connection;

export interface ConnectionsDeps {
  db: Db;
  keyring: Keyring;
  config: Config;
  logger: Logger;
  resolve: (id: ProviderId) => ResolvedProvider;
  /** Present in API and worker processes: lets events queue their webhook deliveries at once. */
  jobs?: JobQueue;
}

/** Prefix of `lastError` when the token step failed (as opposed to a metrics refresh or an idle check). */
const TOKEN_FAILURE = 'token refresh failed: ';

/** OAuth transactions expire after 10 minutes (RFC 9700 §4.7.1 asks for short-lived state). */
export const STATE_TTL_MS = 10 * 60 * 1000;
/** Access tokens this close to expiry are refreshed before use (Nango's REFRESH_MARGIN_MS). */
export const REFRESH_MARGIN_MS = 15 * 60 * 1000;

/** One fixed callback per provider, never built from input: exact redirect matching and a mix-up defence. */
export const redirectUriFor = (config: Config, id: ProviderId) =>
  `${config.publicUrl}/integrations/${id}/callback`;

const stateAad = (stateHash: string) => `deskpulse/oauth-state/v1|${stateHash}`;

function contextFor(resolved: ResolvedProvider, params: ConnectionParams): ProviderContext {
  return { endpoints: resolved.settings.endpoints(params), params, fetch: globalThis.fetch };
}

/** Validates connection parameters against the provider's specs before any of them reaches a URL. */
export function validateParams(
  resolved: ResolvedProvider,
  raw: Record<string, string | undefined>,
): ConnectionParams {
  const { provider } = resolved;
  const details: ErrorDetail[] = [];
  const params: ConnectionParams = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const spec = provider.params[name];
    if (!spec) details.push({ path: name, message: `${provider.displayName} takes no ${name}` });
    else if (!spec.pattern.test(value)) details.push({ path: name, message: `must be ${spec.description}` });
    else params[name] = value;
  }
  for (const [name, spec] of Object.entries(provider.params)) {
    if (spec.required && !(name in params) && !details.some((d) => d.path === name)) {
      details.push({ path: name, message: `required: ${spec.description}` });
    }
  }
  if (details.length) throw new AppError('invalid_query', 'invalid connection parameters', details);
  return params;
}

function describe(resolved: ResolvedProvider, e: ProviderError): AppError {
  const name = resolved.provider.displayName;
  if (e.code === 'unauthorized')
    return new AppError('credential_rejected', `${name} rejected the credential: ${e.detail}`);
  if (e.code === 'rate_limited')
    return new AppError('upstream_error', `${name} is rate limiting us: ${e.detail}`);
  if (e.code === 'upstream_unavailable')
    return new AppError('upstream_error', `${name} is unavailable: ${e.detail}`);
  return new AppError('upstream_error', `${name} answered unexpectedly: ${e.detail}`);
}

export async function startOAuth(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
  rawParams: Record<string, string | undefined>,
): Promise<{ authorizeUrl: string; expiresAt: Date }> {
  const resolved = deps.resolve(id);
  if (resolved.missingForOAuth)
    throw new AppError('provider_not_configured', `missing ${resolved.missingForOAuth}`);
  const params = validateParams(resolved, rawParams);
  const state = randomToken(32);
  const stateHash = sha256Hex(state);
  const codeVerifier = resolved.provider.oauth.pkce ? newCodeVerifier() : undefined;
  const redirectUri = redirectUriFor(deps.config, id);
  const expiresAt = new Date(Date.now() + STATE_TTL_MS);
  // Abandoned flows are purged as new ones start, so no state outlives its 10 minutes by much.
  await states.deleteExpiredOAuthStates(deps.db);
  await states.insertOAuthState(deps.db, stateHash, {
    workspaceId: caller.workspaceId,
    provider: id,
    userId: caller.userId,
    apiKeyId: caller.apiKeyId,
    params,
    codeVerifierCt: codeVerifier ? deps.keyring.encrypt(codeVerifier, stateAad(stateHash)) : null,
    redirectUri,
    expiresAt,
  });
  const flow: OAuthFlow = { provider: resolved.provider, settings: resolved.settings, params };
  return { authorizeUrl: await buildAuthorizeUrl(flow, { state, redirectUri, codeVerifier }), expiresAt };
}

/**
 * Checks every binding of the state (provider, workspace, initiator, expiry, parameters) and consumes it.
 * All failures are `invalid_state` (400) and store nothing.
 */
async function consumeState(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
  state: string,
  subdomain: { bound: true } | { given: string | undefined },
) {
  const stateHash = sha256Hex(state);
  const row = await states.findOAuthState(deps.db, stateHash);
  const reject = (why: string) => new AppError('invalid_state', `invalid OAuth state: ${why}`);
  if (!row) throw reject('unknown, tampered or already used');
  if (row.provider !== id) throw reject(`it was issued for ${row.provider}, not ${id}`);
  if (row.workspaceId !== caller.workspaceId) throw reject('it belongs to another workspace');
  const sameInitiator = caller.userId ? row.userId === caller.userId : row.apiKeyId === caller.apiKeyId;
  if (!sameInitiator) throw reject('it was issued to someone else');
  if (row.expiresAt.getTime() <= Date.now()) {
    await states.consumeOAuthState(deps.db, stateHash);
    throw reject('it expired; start the connection again');
  }
  if ('subdomain' in row.params && 'given' in subdomain && subdomain.given !== row.params.subdomain) {
    throw reject('the subdomain does not match the one this connection started with');
  }
  if (!(await states.consumeOAuthState(deps.db, stateHash))) throw reject('already used');
  return {
    params: row.params,
    redirectUri: row.redirectUri,
    codeVerifier: row.codeVerifierCt
      ? deps.keyring.decrypt(row.codeVerifierCt, stateAad(stateHash))
      : undefined,
  };
}

export async function completeOAuth(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
  input: { code: string; state: string; subdomain?: string | undefined },
  options: { viaCallback?: boolean } = {},
): Promise<Connection> {
  const resolved = deps.resolve(id);
  if (resolved.missingForOAuth)
    throw new AppError('provider_not_configured', `missing ${resolved.missingForOAuth}`);
  // The browser callback carries no subdomain of its own (it arrives on our host); POST /complete must repeat it.
  const bound = await consumeState(
    deps,
    caller,
    id,
    input.state,
    options.viaCallback ? { bound: true } : { given: input.subdomain },
  );
  const flow: OAuthFlow = { provider: resolved.provider, settings: resolved.settings, params: bound.params };
  const tokens = await exchangeCode(flow, {
    code: input.code,
    redirectUri: bound.redirectUri,
    codeVerifier: bound.codeVerifier,
  });
  if (!tokens.ok) {
    await recordAudit(deps.db, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'connection.connect',
      provider: id,
      outcome: 'failed',
      detail: tokens.error.detail,
    });
    throw describe(resolved, tokens.error);
  }
  const credential = resolved.provider.credentialFor(tokens.value.accessToken, 'oauth', bound.params);
  const account = await verifyOrThrow(deps, caller, resolved, credential, bound.params);
  return store(deps, caller, resolved, {
    authType: 'oauth',
    params: bound.params,
    account,
    accessToken: tokens.value.accessToken,
    refreshToken: tokens.value.refreshToken,
    accessTokenExpiresAt: tokens.value.expiresAt,
    scope: tokens.value.scope,
  });
}

async function verifyOrThrow(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  resolved: ResolvedProvider,
  credential: Credential,
  params: ConnectionParams,
): Promise<Account> {
  const verified = await resolved.provider.verify(credential, contextFor(resolved, params));
  if (verified.ok) return verified.value;
  await recordAudit(deps.db, {
    workspaceId: caller.workspaceId,
    actor: caller,
    action: 'connection.connect',
    provider: resolved.provider.id,
    outcome: 'failed',
    detail: verified.error.detail,
  });
  throw describe(resolved, verified.error);
}

async function store(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  resolved: ResolvedProvider,
  input: Pick<
    repo.UpsertConnection,
    'authType' | 'params' | 'account' | 'accessToken' | 'refreshToken' | 'accessTokenExpiresAt' | 'scope'
  >,
): Promise<Connection> {
  const id = resolved.provider.id;
  return deps.db.transaction().execute(async (trx) => {
    const { connection, previousStatus, previouslyFailing } = await repo.upsertConnection(trx, deps.keyring, {
      ...input,
      newId: newId('con'),
      workspaceId: caller.workspaceId,
      provider: id,
      isSandbox: resolved.settings.isSandbox,
      connectedByUserId: caller.userId,
    });
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: previousStatus ? 'connection.reconnect' : 'connection.connect',
      provider: id,
      outcome: 'ok',
      detail: `${input.authType} · ${input.account.name}`,
    });
    if (previousStatus && (previousStatus !== 'ok' || previouslyFailing)) {
      await connectionRecovered(trx, deps.jobs, connection, {
        actor: caller,
        via: 'reconnect',
        previous: previousStatus !== 'ok' ? previousStatus : 'failing',
      });
    }
    return connection;
  });
}

export async function connectWithToken(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
  body: unknown,
): Promise<Connection> {
  const resolved = deps.resolve(id);
  const parsed = resolved.provider.tokenConnect.body.safeParse(body);
  if (!parsed.success) {
    throw new AppError(
      'invalid_body',
      'invalid request body',
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: k, message: 'unknown field' }))
          : [{ path: i.path.map(String).join('.') || '(root)', message: i.message }],
      ),
    );
  }
  const { secret, params } = resolved.provider.tokenConnect.toStored(parsed.data);
  const credential = resolved.provider.credentialFor(secret, 'token', params);
  const account = await verifyOrThrow(deps, caller, resolved, credential, params);
  return store(deps, caller, resolved, {
    authType: 'token',
    params,
    account,
    accessToken: secret,
    refreshToken: undefined,
    accessTokenExpiresAt: null,
    scope: undefined,
  });
}

export const listConnections = (deps: Pick<ConnectionsDeps, 'db'>, workspaceId: string) =>
  repo.listConnections(deps.db, workspaceId);

export async function disconnect(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
): Promise<void> {
  const connection = await repo.findConnection(deps.db, caller.workspaceId, id);
  if (!connection) throw new AppError('not_found', `no ${id} connection in this workspace`);
  const resolved = deps.resolve(id);
  let outcome = 'revocation not offered by the helpdesk; revoke the app there too';
  if (resolved.provider.revoke) {
    const secrets = await repo.readSecrets(deps.db, deps.keyring, connection);
    const credential = resolved.provider.credentialFor(
      secrets.accessToken,
      connection.authType,
      connection.params,
    );
    const revoked = await resolved.provider.revoke(credential, contextFor(resolved, connection.params));
    outcome = revoked.ok
      ? 'revoked at the helpdesk'
      : `revocation failed (${revoked.error.code}: ${revoked.error.detail})`;
  }
  // The local credential goes whatever the helpdesk said: the user asked us to forget it.
  await repo.deleteConnection(deps.db, connection.id);
  await recordAudit(deps.db, {
    workspaceId: caller.workspaceId,
    actor: caller,
    action: 'connection.disconnect',
    provider: id,
    outcome: 'ok',
    detail: outcome,
  });
}

/**
 * An access token is due for refresh within 15 minutes of expiry, or in the second half of its life when the
 * helpdesk issues tokens shorter than half an hour (else every fresh token would already count as expiring and
 * processes would refresh one after another).
 */
export function isDue(
  c: Pick<Connection, 'accessTokenExpiresAt' | 'tokenRefreshedAt' | 'connectedAt'>,
  now: number,
): boolean {
  if (!c.accessTokenExpiresAt) return false;
  const expires = c.accessTokenExpiresAt.getTime();
  const issued = (c.tokenRefreshedAt ?? c.connectedAt).getTime();
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, (expires - issued) / 2));
  return expires - now < margin;
}

/**
 * The credential to call the helpdesk with, refreshed first when the access token is within the margin of
 * expiry. One refresh per connection at a time across every process: the row lock (SELECT … FOR UPDATE) is held
 * through the token call, and the rotated pair is committed before the new access token is returned.
 */
export async function credentialFor(
  deps: ConnectionsDeps,
  connection: Connection,
  options: { force?: boolean; actor?: Actor } = {},
): Promise<Result<Credential, ProviderError>> {
  const resolved = deps.resolve(connection.provider);
  const isExpiring = (c: Connection) => isDue(c, Date.now());
  const needsRefresh = (c: Connection) => c.hasRefreshToken && (options.force === true || isExpiring(c));
  if (connection.status === 'needs_reauth') {
    return err({
      code: 'unauthorized',
      detail: connection.lastError ?? 'the connection needs to be reconnected',
    });
  }
  if (!needsRefresh(connection)) {
    const secrets = await repo.readSecrets(deps.db, deps.keyring, connection);
    return ok(resolved.provider.credentialFor(secrets.accessToken, connection.authType, connection.params));
  }
  const actor = options.actor ?? { kind: 'system' as const, label: 'token refresh' };
  return deps.db.transaction().execute(async (trx) => {
    const locked = await repo.findConnectionById(trx, connection.id, { forUpdate: true });
    if (!locked) return err({ code: 'unauthorized' as const, detail: 'the connection was removed' });
    if (locked.status === 'needs_reauth') {
      return err({
        code: 'unauthorized' as const,
        detail: locked.lastError ?? 'the connection needs to be reconnected',
      });
    }
    const secrets = await repo.readSecrets(trx, deps.keyring, locked);
    // Another process refreshed while we waited for the lock: use its token, do not refresh again.
    const refreshedMeanwhile = locked.tokenRefreshedAt?.getTime() !== connection.tokenRefreshedAt?.getTime();
    const stillNeeds = !refreshedMeanwhile && (options.force === true || isExpiring(locked));
    if (!stillNeeds || !secrets.refreshToken) {
      return ok(resolved.provider.credentialFor(secrets.accessToken, locked.authType, locked.params));
    }
    const flow: OAuthFlow = {
      provider: resolved.provider,
      settings: resolved.settings,
      params: locked.params,
    };
    const refreshed = await refreshTokens(flow, secrets.refreshToken);
    telemetry.tokenRefresh(locked.provider, refreshed.ok ? 'ok' : refreshed.error.code);
    if (!refreshed.ok) {
      const e = refreshed.error;
      const dead = e.code === 'unauthorized';
      await repo.recordRefreshOutcome(trx, locked.id, {
        ...(dead ? { status: 'needs_reauth' as const } : {}),
        lastRefreshStatus: e.code,
        lastError: `${TOKEN_FAILURE}${e.detail}`,
      });
      if (dead) {
        await connectionNeedsReauth(trx, deps.jobs, locked, { actor, reason: e.detail });
      } else if (locked.lastRefreshStatus === 'ok' || locked.lastRefreshStatus === null) {
        await recordAudit(trx, {
          workspaceId: locked.workspaceId,
          actor,
          action: 'connection.refresh_failed',
          provider: locked.provider,
          outcome: e.code,
          detail: e.detail,
        });
      }
      deps.logger.warn(
        { connectionId: locked.id, provider: locked.provider, code: e.code },
        'token refresh failed',
      );
      return err(e);
    }
    await repo.storeRefreshedTokens(trx, deps.keyring, locked, {
      accessToken: refreshed.value.accessToken,
      refreshToken: refreshed.value.refreshToken,
      expiresAt: refreshed.value.expiresAt,
    });
    // Only a failure of the token step itself is healed by a token refresh; a failing metrics refresh is not.
    const tokenWasFailing =
      locked.lastError?.startsWith(TOKEN_FAILURE) === true && locked.lastRefreshStatus !== 'ok';
    if (tokenWasFailing) {
      await connectionRecovered(trx, deps.jobs, locked, {
        actor,
        via: 'token_refresh',
        previous: locked.lastRefreshStatus ?? 'failing',
      });
    }
    if (tokenWasFailing || locked.lastRefreshStatus === null) {
      await repo.recordRefreshOutcome(trx, locked.id, { lastRefreshStatus: 'ok', lastError: null });
    }
    return ok(resolved.provider.credentialFor(refreshed.value.accessToken, locked.authType, locked.params));
  });
}

export interface SweepResult {
  checked: number;
  refreshed: number;
  /** Another process got there first, or the token turned out not to be due. */
  skipped: number;
  failed: number;
}

/** Refreshes every access token that expires within the margin (the hourly job and `connections refresh-tokens`). */
export async function sweepExpiringTokens(
  deps: ConnectionsDeps,
  options: { marginMs?: number; batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SweepResult> {
  const before = new Date(Date.now() + (options.marginMs ?? REFRESH_MARGIN_MS));
  const ids = await repo.listExpiringConnectionIds(deps.db, before, options.batchSize ?? 10_000);
  const result: SweepResult = { checked: ids.length, refreshed: 0, skipped: 0, failed: 0 };
  for (const [i, id] of ids.entries()) {
    const connection = await repo.findConnectionById(deps.db, id);
    if (connection) {
      const r = await credentialFor(deps, connection, { actor: { kind: 'system', label: 'token sweep' } });
      const after = await repo.findConnectionById(deps.db, id);
      if (!r.ok) result.failed++;
      else if (after?.tokenRefreshedAt?.getTime() !== connection.tokenRefreshedAt?.getTime())
        result.refreshed++;
      else result.skipped++;
    }
    options.onProgress?.(i + 1, ids.length);
  }
  return result;
}

/** A connection nothing has called for this long is verified by the sweep (keeps refresh tokens alive). */
export const IDLE_TOUCH_MS = 24 * 60 * 60 * 1000;

/**
 * Touches connections idle for 24 hours — degraded ones on their daily schedule, or ones whose interval is a day:
 * refreshes their token if due and makes one identity call, so a revoked credential shows up as `needs_reauth`
 * (with its webhook) instead of at the next refresh, and refresh tokens that expire when unused stay alive.
 */
export async function touchIdleConnections(
  deps: ConnectionsDeps,
  options: { now?: Date; batchSize?: number } = {},
): Promise<{ checked: number; ok: number; failed: number }> {
  const now = options.now ?? new Date();
  const ids = await repo.listIdleConnectionIds(
    deps.db,
    new Date(now.getTime() - IDLE_TOUCH_MS),
    options.batchSize ?? 500,
  );
  const result = { checked: ids.length, ok: 0, failed: 0 };
  const actor = { kind: 'system' as const, label: 'idle check' };
  for (const id of ids) {
    try {
      const connection = await repo.findConnectionById(deps.db, id);
      if (!connection) continue;
      const resolved = deps.resolve(connection.provider);
      const credential = await credentialFor(deps, connection, { actor });
      const verified = credential.ok
        ? await resolved.provider.verify(credential.value, contextFor(resolved, connection.params))
        : credential;
      await deps.db.transaction().execute(async (trx) => {
        await repo.markTouched(trx, id, now);
        if (verified.ok) return;
        const locked = await repo.findConnectionById(trx, id, { forUpdate: true });
        if (verified.error.code !== 'unauthorized' || !locked || locked.status === 'needs_reauth') return;
        await repo.recordRefreshOutcome(trx, id, {
          status: 'needs_reauth',
          lastRefreshStatus: 'unauthorized',
          lastError: `idle check failed: ${verified.error.detail}`,
        });
        await connectionNeedsReauth(trx, deps.jobs, locked, { actor, reason: verified.error.detail });
      });
      if (verified.ok) result.ok++;
      else result.failed++;
    } catch (e) {
      // One broken row (a credential the keyring cannot open) must not stop the sweep for the others.
      deps.logger.error({ err: e, connectionId: id }, 'idle check failed');
      await repo.markTouched(deps.db, id, now).catch(() => undefined);
      result.failed++;
    }
  }
  return result;
}

/**
 * Re-seals every secret under the current key — helpdesk credentials and webhook signing secrets; resumable and
 * idempotent (only rows sealed by another key are touched).
 */
export async function rotateEncryption(
  deps: Pick<ConnectionsDeps, 'db' | 'keyring'>,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ reencrypted: number; currentKeyId: string }> {
  const current = deps.keyring.currentKeyId;
  const stores = [
    { count: repo.countByEncryptionKey, batch: repo.reencryptBatch },
    { count: webhookRepo.countWebhookSecretsByKey, batch: webhookRepo.reencryptWebhookSecretsBatch },
  ];
  const othersOf = (counts: Record<string, number>) =>
    Object.entries(counts).reduce((n, [k, c]) => (k === current ? n : n + c), 0);
  let total = 0;
  for (const store of stores) total += othersOf(await store.count(deps.db));
  let done = 0;
  for (const store of stores) {
    for (;;) {
      const n = await store.batch(deps.db, deps.keyring, options.batchSize ?? 100);
      done += n;
      options.onProgress?.(Math.min(done, total), Math.max(total, done));
      if (n > 0) continue;
      if (othersOf(await store.count(deps.db)) === 0) break;
      // Rows held by in-flight transactions were skipped; wait for them and try again.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { reencrypted: done, currentKeyId: current };
}

/** The workspace an OAuth state was issued in (the browser callback has no other way to know it). */
export async function workspaceOfState(
  deps: Pick<ConnectionsDeps, 'db'>,
  state: string,
): Promise<string | undefined> {
  return (await states.findOAuthState(deps.db, sha256Hex(state)))?.workspaceId;
}
