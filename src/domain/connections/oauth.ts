import type { Config } from '../../config/index.ts';
import * as states from '../../db/repositories/oauth-states.ts';
import { AppError } from '../../lib/app-error.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import {
  buildAuthorizeUrl,
  exchangeCode,
  newCodeVerifier,
  type OAuthFlow,
} from '../../providers/oauth/engine.ts';
import type { ProviderId } from '../../providers/types.ts';
import { recordAudit } from '../audit.ts';
import type { WorkspacePrincipal } from '../roles.ts';
import { describe, store, validateParams, verifyOrThrow } from './connect.ts';
import type { Connection, ConnectionsDeps } from './deps.ts';

/** OAuth transactions expire after 10 minutes (RFC 9700 §4.7.1 asks for short-lived state). */
export const STATE_TTL_MS = 10 * 60 * 1000;

/** One fixed callback per provider, never built from input: exact redirect matching and a mix-up defence. */
export const redirectUriFor = (config: Config, id: ProviderId) =>
  `${config.publicUrl}/integrations/${id}/callback`;

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
  await states.insertOAuthState(deps.db, deps.keyring, stateHash, {
    workspaceId: caller.workspaceId,
    provider: id,
    userId: caller.userId,
    apiKeyId: caller.apiKeyId,
    params,
    codeVerifier,
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
    codeVerifier: states.openCodeVerifier(deps.keyring, stateHash, row),
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

/** The workspace an OAuth state was issued in (the browser callback has no other way to know it). */
export async function workspaceOfState(
  deps: Pick<ConnectionsDeps, 'db'>,
  state: string,
): Promise<string | undefined> {
  return (await states.findOAuthState(deps.db, sha256Hex(state)))?.workspaceId;
}
