import type { Db } from '../db/client.ts';
import type { JobQueue } from './queue.ts';
import type { ProviderId } from '../providers/types.ts';
import { type Actor, recordAudit } from './audit.ts';
import { publishEvent } from './webhooks.ts';

/**
 * Connection lifecycle events. Each is written once, in the caller's transaction, to the audit log and to the
 * workspace's webhooks (whose deliveries are queued in the same transaction when a job queue is at hand, and
 * picked up by the minute cron otherwise).
 */
interface ConnectionRef {
  id: string;
  workspaceId: string;
  provider: ProviderId;
}

export async function connectionNeedsReauth(
  trx: Db,
  jobs: JobQueue | undefined,
  c: ConnectionRef,
  e: { actor: Actor; reason: string },
): Promise<void> {
  await recordAudit(trx, {
    workspaceId: c.workspaceId,
    actor: e.actor,
    action: 'connection.refresh_failed',
    provider: c.provider,
    outcome: 'needs_reauth',
    detail: e.reason,
  });
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'connection.needs_reauth',
    data: { provider: c.provider, connectionId: c.id, reason: e.reason },
  });
}

export async function connectionRecovered(
  trx: Db,
  jobs: JobQueue | undefined,
  c: ConnectionRef,
  e: { actor: Actor; via: 'reconnect' | 'token_refresh' | 'refresh'; previous: string },
): Promise<void> {
  const how = {
    reconnect: 'reconnected',
    token_refresh: 'token refresh succeeded again',
    refresh: 'refresh succeeded again',
  };
  await recordAudit(trx, {
    workspaceId: c.workspaceId,
    actor: e.actor,
    action: 'connection.recovered',
    provider: c.provider,
    outcome: 'ok',
    detail: `was ${e.previous}; ${how[e.via]}`,
  });
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'connection.recovered',
    data: { provider: c.provider, connectionId: c.id, via: e.via, previous: e.previous },
  });
}
