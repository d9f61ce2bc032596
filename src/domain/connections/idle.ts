import * as repo from '../../db/repositories/connections/index.ts';
import { connectionNeedsReauth } from '../events.ts';
import { credentialFor } from './credentials.ts';
import { contextFor, type ConnectionsDeps } from './deps.ts';

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
          lastError: { message: `idle check failed: ${verified.error.detail}`, kind: 'idle_check' },
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
