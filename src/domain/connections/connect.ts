import * as repo from '../../db/repositories/connections/index.ts';
import { AppError, type ErrorDetail } from '../../lib/app-error.ts';
import type {
  Account,
  ConnectionParams,
  Credential,
  ProviderError,
  ProviderId,
} from '../../providers/types.ts';
import { recordAudit } from '../audit.ts';
import { connectionRecovered } from '../events.ts';
import { newId } from '../ids.ts';
import type { ResolvedProvider } from '../provider-settings.ts';
import type { WorkspacePrincipal } from '../roles.ts';
import { attachConnectionSource } from '../sources.ts';
import { contextFor, type Connection, type ConnectionsDeps } from './deps.ts';

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

export function describe(resolved: ResolvedProvider, e: ProviderError): AppError {
  const name = resolved.provider.displayName;
  if (e.code === 'unauthorized')
    return new AppError('credential_rejected', `${name} rejected the credential: ${e.detail}`);
  if (e.code === 'rate_limited')
    return new AppError('upstream_error', `${name} is rate limiting us: ${e.detail}`);
  if (e.code === 'upstream_unavailable')
    return new AppError('upstream_error', `${name} is unavailable: ${e.detail}`);
  return new AppError('upstream_error', `${name} answered unexpectedly: ${e.detail}`);
}

export async function verifyOrThrow(
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

export async function store(
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
    await attachConnectionSource(trx, {
      connectionId: connection.id,
      workspaceId: caller.workspaceId,
      provider: id,
      account: input.account,
      isSandbox: resolved.settings.isSandbox,
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
