import { createHash } from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/connections/index.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import * as signInFailures from '../db/repositories/sign-in-failures.ts';
import * as webhookRepo from '../db/repositories/webhooks.ts';
import type { JobQueue } from './queue.ts';
import type { Logger } from '../lib/logger.ts';
import { AppError } from '../lib/app-error.ts';
import { providers } from '../providers/index.ts';
import type { ProviderId } from '../providers/types.ts';
import { recordAudit } from './audit.ts';
import type { ConnectionsDeps } from './connections/index.ts';
import { newId } from './ids.ts';
import type { WorkspacePrincipal } from './roles.ts';
import {
  BACKFILL_WEEKS,
  DEFAULT_INTERVAL_MINUTES,
  DEGRADED_INTERVAL_MINUTES,
  failRefresh,
  retryPolicyOf,
  STALE_IN_FLIGHT_MS,
} from './metrics.ts';

export const MAX_INTERVAL_MINUTES = 24 * 60;
const BATCH = 500;
const MINUTE_MS = 60_000;

export interface SchedulerDeps {
  db: Db;
  jobs: JobQueue;
  config: Config;
  logger: Logger;
}

export const intervalOf = (c: Pick<repo.DueConnection, 'status' | 'refreshIntervalMinutes'>) =>
  c.status === 'degraded'
    ? DEGRADED_INTERVAL_MINUTES
    : (c.refreshIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES);

/**
 * The slot a connection is in at `now`. Slots are `interval` long and offset per connection by a stable hash of
 * its id, so 10,000 hourly connections spread over the hour instead of all starting at :00 — and any scheduler,
 * at any instant inside the slot, computes the same slot start, which is what the unique index deduplicates on.
 */
export function slotStart(connectionId: string, now: Date, intervalMinutes: number): Date {
  const period = intervalMinutes * MINUTE_MS;
  const offset = createHash('sha256').update(connectionId).digest().readUInt32BE(0) % period;
  return new Date(Math.floor((now.getTime() - offset) / period) * period + offset);
}

/**
 * The fan-out the minute cron runs: claims every connection whose slot has started (SKIP LOCKED, so schedulers
 * in several processes split the work), writes one refresh per (connection, slot) — the unique index drops a slot
 * someone already took — moves each connection's next slot forward, and queues the jobs, all in one transaction
 * per batch: a crash leaves either everything or nothing.
 */
export async function scheduleDue(deps: SchedulerDeps, now: Date): Promise<{ scheduled: number }> {
  // First, refreshes whose worker died are retried (or failed, when that was their last attempt), freeing their
  // connection's slot.
  const { requeued, abandoned } = await retryLostRefreshes(deps);
  let scheduled = 0;
  for (;;) {
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const due = await repo.claimDueConnections(trx, now, BATCH);
      const planned = due.map((c) => {
        const interval = intervalOf(c);
        const slot = slotStart(c.id, now, interval);
        return { c, slot, next: new Date(slot.getTime() + interval * MINUTE_MS) };
      });
      const ids = await refreshes.insertScheduledRefreshes(
        trx,
        planned.map(({ c, slot }) => ({
          id: newId('ref'),
          connectionId: c.id,
          workspaceId: c.workspaceId,
          provider: c.provider satisfies ProviderId,
          slot,
        })),
        {
          backfillWeeks: BACKFILL_WEEKS,
          staleBefore: new Date(now.getTime() - STALE_IN_FLIGHT_MS),
        },
      );
      await repo.setNextRefreshTimes(
        trx,
        planned.map((p) => ({ id: p.c.id, at: p.next })),
      );
      await deps.jobs.sendMany(
        'metricsRefresh',
        ids.map((refreshId) => ({ refreshId })),
        { trx },
      );
      scheduled += ids.length;
      return due.length;
    });
    if (claimed < BATCH) break;
  }
  if (scheduled > 0 || requeued > 0 || abandoned > 0)
    deps.logger.info({ scheduled, requeued, abandoned }, 'refreshes scheduled');
  return { scheduled };
}

/**
 * Refreshes whose worker was killed (or lost its database) stop heartbeating; after
 * `heartbeatTimeoutSeconds` without one they are presumed dead, whatever their pg-boss lease, and queued again
 * for another attempt (`retrying`, `worker_lost`), or failed as `worker_lost` when that was their last one. A
 * retry whose job never ran (due three leases ago) fails likewise. Each in a transaction that locks the row and
 * checks it is still the attempt that was seen, so concurrent schedulers and a late heartbeat cannot double it.
 */
export async function retryLostRefreshes(
  deps: SchedulerDeps,
): Promise<{ requeued: number; abandoned: number }> {
  const timeout = deps.config.jobs.heartbeatTimeoutSeconds;
  const policy = retryPolicyOf(deps.config);
  let requeued = 0;
  let abandoned = 0;
  for (const lost of await refreshes.listLostRefreshes(deps.db, timeout, BATCH)) {
    const detail = `the worker running attempt ${lost.attempts} stopped: no heartbeat for ${timeout} s`;
    if (lost.attempts >= policy.maxAttempts) {
      await failRefresh(deps, lost, { code: 'worker_lost', detail });
      abandoned++;
      continue;
    }
    const isRequeued = await deps.db.transaction().execute(async (trx) => {
      // Still the same silent attempt: not finished, not taken over, no heartbeat since it was listed.
      const locked = await refreshes.lockRefresh(trx, lost.id);
      if (
        locked?.state !== 'running' ||
        locked.attempts !== lost.attempts ||
        locked.heartbeatAt?.getTime() !== lost.heartbeatAt?.getTime()
      )
        return false;
      await refreshes.markRetrying(trx, lost.id, {
        errorCode: 'worker_lost',
        errorDetail: detail,
        retryAt: new Date(),
        providerCalls: 0,
        rateLimitedCalls: 0,
      });
      await deps.jobs.send('metricsRefresh', { refreshId: lost.id }, { trx });
      return true;
    });
    if (isRequeued) {
      requeued++;
      deps.logger.warn(
        {
          refreshId: lost.id,
          provider: lost.provider,
          attempts: lost.attempts,
          heartbeatAt: lost.heartbeatAt,
        },
        'refresh lost its worker: queued again',
      );
    }
  }
  // Wall clock, not the tick's `now`: callers may schedule for another instant (tests, catch-up).
  const overdue = new Date(Date.now() - 3 * deps.config.jobs.leaseSeconds * 1000);
  for (const r of await refreshes.listAbandonedRefreshes(deps.db, overdue, BATCH)) {
    await failRefresh(deps, r, {
      code: 'worker_lost',
      detail: 'the refresh did not finish: its retry was never picked up by a worker',
    });
    abandoned++;
  }
  return { requeued, abandoned };
}

/** The shortest interval a helpdesk's rate limits allow for a connection's schedule (see each metrics adapter). */
export const minIntervalOf = (provider: ProviderId): number =>
  providers[provider].metrics?.minRefreshIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES;

/** `PATCH /integrations/connections?provider=`: a per-connection interval, or null to go back to hourly. */
export async function setRefreshInterval(
  deps: Pick<ConnectionsDeps, 'db'>,
  caller: WorkspacePrincipal,
  provider: ProviderId,
  minutes: number | null,
): Promise<repo.Connection> {
  const connection = await repo.findConnection(deps.db, caller.workspaceId, provider);
  if (!connection) throw new AppError('not_found', `no ${provider} connection in this workspace`);
  const min = minIntervalOf(provider);
  if (minutes !== null && (minutes < min || minutes > MAX_INTERVAL_MINUTES)) {
    throw new AppError(
      'invalid_body',
      `refreshIntervalMinutes for ${provider} must be between ${min} and ${MAX_INTERVAL_MINUTES} (its rate limits allow no more often than every ${min} minutes)`,
      [{ path: 'refreshIntervalMinutes', message: `must be between ${min} and ${MAX_INTERVAL_MINUTES}` }],
    );
  }
  const interval = minutes ?? DEFAULT_INTERVAL_MINUTES;
  // A shorter interval takes effect at once; a longer one after the slot already planned.
  const updated = await repo.setRefreshInterval(
    deps.db,
    connection.id,
    minutes,
    new Date(Date.now() + interval * MINUTE_MS),
  );
  await recordAudit(deps.db, {
    workspaceId: caller.workspaceId,
    actor: caller,
    action: 'connection.schedule',
    provider,
    outcome: 'ok',
    detail:
      minutes === null ? 'refresh interval reset to hourly' : `refresh interval set to ${minutes} minutes`,
  });
  return updated;
}

/** How long finished refreshes and webhook deliveries stay queryable (`GET /refreshes/:id`, delivery logs). */
export const HISTORY_RETENTION_DAYS = 30;

/**
 * Deletes finished refresh rows and finished webhook deliveries older than the retention period: at 10,000
 * hourly connections the refresh log alone grows by 240,000 rows a day. Snapshots keep their values (their
 * `refresh_id` becomes null); pending work is never touched.
 */
export async function pruneHistory(
  db: Db,
  now: Date,
  retentionDays = HISTORY_RETENTION_DAYS,
): Promise<{ refreshes: number; deliveries: number; signInFailures: number }> {
  const before = new Date(now.getTime() - retentionDays * 24 * 60 * MINUTE_MS);
  return {
    refreshes: await refreshes.deleteFinishedBefore(db, before),
    deliveries: await webhookRepo.deleteFinishedDeliveriesBefore(db, before),
    // The longest sign-in window is a day (DESKPULSE_SIGNIN_WINDOW_SECONDS); older failures count for nothing.
    signInFailures: await signInFailures.deleteFailuresBefore(
      db,
      new Date(now.getTime() - 24 * 60 * MINUTE_MS),
    ),
  };
}
