import * as repo from '../../db/repositories/connections/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { telemetry } from '../../lib/telemetry.ts';
import { refreshTokens, type OAuthFlow } from '../../providers/oauth/engine.ts';
import type { Credential, ProviderError } from '../../providers/types.ts';
import { type Actor, recordAudit } from '../audit.ts';
import { connectionNeedsReauth, connectionRecovered } from '../events.ts';
import type { Connection, ConnectionsDeps } from './deps.ts';

/** Access tokens this close to expiry are refreshed before use (Nango's REFRESH_MARGIN_MS). */
export const REFRESH_MARGIN_MS = 15 * 60 * 1000;

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
        lastError: { message: `token refresh failed: ${e.detail}`, kind: 'token_refresh' },
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
      previousRefreshToken: secrets.refreshToken,
    });
    // Only a failure of the token step itself is healed by a token refresh; a failing metrics refresh is not.
    const tokenWasFailing = locked.lastErrorKind === 'token_refresh' && locked.lastRefreshStatus !== 'ok';
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
