import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/connections/index.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import { findWorkspace } from '../db/repositories/workspaces.ts';
import { AppError } from '../lib/app-error.ts';
import { Pacer } from '../providers/pacer.ts';
import type { RefreshErrorCode } from '../db/schema.ts';
import type { MetricsSnapshot, Progress, SnapshotSource } from '../metrics/types.ts';
import type { ProviderError, ProviderId } from '../providers/types.ts';
import type { JobQueue } from './queue.ts';
import { telemetry } from '../lib/telemetry.ts';
import { type Actor, recordAudit } from './audit.ts';
import { credentialFor, type ConnectionsDeps } from './connections/index.ts';
import { connectionNeedsReauth, connectionRecovered } from './events.ts';
import { publishEvent } from './webhooks.ts';
import { newId } from './ids.ts';
import { commitSnapshot } from './snapshots.ts';
import { attachConnectionSource, liveSourceOf } from './sources.ts';

export type Refresh = refreshes.Refresh;

/** A failed attempt: a helpdesk call's error, or the connection gone, or every worker lost. */
export type RefreshFailure =
  | ProviderError
  | { code: Exclude<RefreshErrorCode, ProviderError['code']>; detail: string; retryAfterMs?: undefined };

/** The first refresh of a connection backfills this many completed weeks; later ones redo the last one. */
export const BACKFILL_WEEKS = 12;
/** The seed's promise: every connection refreshes hourly unless its interval is overridden (schedule.ts). */
export const DEFAULT_INTERVAL_MINUTES = 60;
/** A degraded connection (failing for days) is tried once a day until a success or a reconnect. */
export const DEGRADED_INTERVAL_MINUTES = 24 * 60;
const PROGRESS_WRITE_MS = 250;
/** A running refresh beats this many times within its heartbeat timeout (DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS). */
const BEATS_PER_TIMEOUT = 4;

const actorLabel = (a: Actor) =>
  a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label;

/**
 * An unfinished refresh queued longer ago than this is presumed lost (its job gone with a crash): it no longer
 * holds its connection's place, for requests or the scheduler (src/domain/schedule.ts).
 */
export const STALE_IN_FLIGHT_MS = 24 * 60 * 60 * 1000;

export interface RefreshRequest {
  refresh: Refresh;
  /** False when the connection already had a refresh queued, running or retrying: that one is answered. */
  isNew: boolean;
}

/**
 * Records a manual refresh request, or answers the connection's refresh already in flight (queued, running or
 * retrying, whoever started it): one at a time per connection, so retried scripts cannot multiply helpdesk calls.
 * New ones are limited to `manualRefreshLimit` per connection per `manualRefreshWindowMinutes` (`rate_limited`
 * with the wait past it). With `queue`, the job is enqueued in the same transaction (`POST .../refresh`): a
 * request never stays `queued` without a job. Without, the caller runs it in-process (the CLI).
 */
export async function requestRefresh(
  deps: ConnectionsDeps,
  input: { workspaceId: string; provider: ProviderId; actor: Actor },
  options: { queue?: JobQueue } = {},
): Promise<RefreshRequest> {
  if (!deps.resolve(input.provider).provider.metrics) {
    throw new AppError('not_found', `${input.provider} has no metrics adapter`);
  }
  const queue = options.queue;
  const { manualRefreshLimit: limit, manualRefreshWindowMinutes: minutes } = deps.config.jobs;
  return deps.db.transaction().execute(async (trx) => {
    // The connection row's lock orders every request for this connection, in any process, and the scheduler
    // skips a locked connection (SKIP LOCKED): the check and the insert below never interleave with another's.
    const connection = await repo.findConnection(trx, input.workspaceId, input.provider, { forUpdate: true });
    if (!connection) throw new AppError('not_found', `no ${input.provider} connection in this workspace`);
    const staleBefore = new Date(Date.now() - STALE_IN_FLIGHT_MS);
    const inFlight = await refreshes.findInFlightRefresh(trx, input.workspaceId, input.provider, staleBefore);
    if (inFlight) return { refresh: inFlight, isNew: false };
    const room = await refreshes.manualRefreshRoom(trx, input.workspaceId, input.provider, limit, minutes);
    if (room.full) {
      throw new AppError(
        'rate_limited',
        `${input.provider} was refreshed by hand ${room.count} times in the last ${minutes} minutes, the most allowed; try again in ${room.retryAfterSeconds} s (its scheduled refreshes go on)`,
        undefined,
        room.retryAfterSeconds,
      );
    }
    const refresh = await refreshes.insertRefresh(trx, {
      id: newId('ref'),
      workspaceId: input.workspaceId,
      provider: input.provider,
      requestedBy: actorLabel(input.actor),
      historyWeeks: { backfillWeeks: BACKFILL_WEEKS },
    });
    // It stands in for the scheduled refresh when one is due (a new connection is due at once), instead of
    // being followed by one within the minute.
    await repo.takeDueSlot(trx, connection.id, new Date(), {
      defaultInterval: DEFAULT_INTERVAL_MINUTES,
      degradedInterval: DEGRADED_INTERVAL_MINUTES,
    });
    if (queue) await queue.send('metricsRefresh', { refreshId: refresh.id }, { trx });
    return { refresh, isNew: true };
  });
}

export const findRefresh = refreshes.findRefresh;

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

export const retryPolicyOf = (config: ConnectionsDeps['config']): RetryPolicy => ({
  baseMs: config.jobs.retryBaseSeconds * 1000,
  maxMs: config.jobs.retryMaxSeconds * 1000,
  maxAttempts: 5,
});

/**
 * When to try a failed attempt again, from its error code: `rate_limited` waits for the reset the
 * helpdesk announced (plus a little jitter so a fleet does not return in one burst); `upstream_unavailable` backs
 * off exponentially, capped, with "equal jitter" (half fixed, half random); `unauthorized` and
 * `unexpected_response` never retry — the first needs a reconnect, the second a code change, and retrying would
 * only hide them. `attempt` is the number of the attempt that just failed (1 for the first).
 */
export function retryDelayMs(
  e: { code: RefreshErrorCode; retryAfterMs?: number | undefined },
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  if (e.code === 'rate_limited') {
    const wait = e.retryAfterMs ?? policy.baseMs;
    return Math.round(wait + random() * Math.min(wait * 0.1, 30_000));
  }
  if (e.code === 'upstream_unavailable') {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }
  return null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const secondsSince = (start: number) => (Date.now() - start) / 1000;

const SYSTEM_ACTOR = { kind: 'system' as const, label: 'metrics refresh' };

/**
 * A refresh's final failure, in one transaction: the refresh row (unless another run finished it first, or a
 * newer attempt has started since `refresh` was read), the `refresh.failed` event, and the connection's failure
 * run — `needs_reauth` on `unauthorized`, `degraded` (daily schedule) once it has failed for `degradedAfterDays`.
 * Also used for refreshes whose every attempt lost its worker.
 */
export async function failRefresh(
  deps: Pick<ConnectionsDeps, 'db' | 'jobs' | 'config'>,
  refresh: Refresh,
  e: { code: RefreshErrorCode; detail: string },
  counts: Partial<refreshes.AttemptCounts> = {},
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const locked = await refreshes.lockRefresh(trx, refresh.id);
    if (!locked || isSettledOrSuperseded(locked, refresh)) return;
    await refreshes.finishRefresh(trx, refresh.id, {
      state: 'failed',
      errorCode: e.code,
      errorDetail: e.detail,
      ...counts,
    });
    await publishEvent(trx, deps.jobs, {
      workspaceId: refresh.workspaceId,
      type: 'refresh.failed',
      data: {
        provider: refresh.provider,
        refreshId: refresh.id,
        trigger: refresh.trigger,
        attempts: locked.attempts,
        error: { code: e.code, detail: e.detail },
      },
    });
    const connection = await repo.findConnection(trx, refresh.workspaceId, refresh.provider, {
      forUpdate: true,
    });
    if (!connection) return;
    const now = new Date();
    const dead = e.code === 'unauthorized';
    const failingSince = connection.failingSince ?? now;
    const degrade =
      !dead &&
      connection.status === 'ok' &&
      now.getTime() - failingSince.getTime() >= deps.config.jobs.degradedAfterDays * DAY_MS;
    await repo.recordRefreshFailure(trx, connection.id, {
      at: now,
      lastRefreshStatus: isRefreshStatus(e.code) ? e.code : 'unexpected_response',
      lastError: `refresh failed: ${e.detail}`,
      ...(dead ? { status: 'needs_reauth' as const } : {}),
      // Degraded: stop hammering; the schedule drops to daily until a success or a reconnect.
      ...(degrade ? { status: 'degraded' as const, nextRefreshAt: new Date(now.getTime() + DAY_MS) } : {}),
    });
    if (dead && connection.status !== 'needs_reauth') {
      await connectionNeedsReauth(trx, deps.jobs, connection, { actor: SYSTEM_ACTOR, reason: e.detail });
    }
    if (degrade) {
      await recordAudit(trx, {
        workspaceId: connection.workspaceId,
        actor: SYSTEM_ACTOR,
        action: 'connection.degraded',
        provider: connection.provider,
        outcome: 'degraded',
        detail: `refreshes have failed since ${failingSince.toISOString()}; now refreshed daily`,
      });
    }
  });
}

/** Finished, or another attempt has started since `mine` was read: nothing of `mine` is written any more. */
const isSettledOrSuperseded = (locked: Refresh, mine: Refresh) =>
  locked.state === 'succeeded' || locked.state === 'failed' || locked.attempts !== mine.attempts;

/**
 * The running attempt's heartbeat: its progress, written at most every 250 ms as the adapter reports it, and a
 * beat on a timer in between (a refresh waiting out a 429 reports nothing for minutes, and is alive). `flush()`
 * stops the timer and writes the last progress reported, so a finished refresh never shows a stale count.
 */
function startHeartbeat(db: Db, refresh: Refresh, timeoutSeconds: number) {
  let latest: { done: number; total: number | null } | undefined;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    lastWrite = Date.now();
    const progress = latest;
    // One write at a time, in order: a late write must never overwrite a newer count.
    writing = writing
      .then(() => refreshes.recordHeartbeat(db, refresh.id, refresh.attempts, progress))
      .catch(() => undefined);
  };
  const timer = setInterval(write, Math.max(250, (timeoutSeconds * 1000) / BEATS_PER_TIMEOUT));
  timer.unref();
  let isStopped = false;
  return {
    progress: (p: Progress) => {
      latest = { done: p.done, total: p.total ?? null };
      if (!isStopped && Date.now() - lastWrite >= PROGRESS_WRITE_MS) write();
    },
    flush: async () => {
      if (!isStopped) {
        isStopped = true;
        clearInterval(timer);
        write();
      }
      await writing;
    },
  };
}

/**
 * Runs one attempt of a refresh: every helpdesk call first, then one transaction that writes the snapshot (and
 * the outcome, the connection's state and the webhook events). A failed attempt with a retryable code is put
 * back on the queue (`retrying`) when a job queue is at hand; any final failure leaves the previous snapshot
 * intact and is recorded on the refresh and the connection. While it runs it heartbeats; one that stops (its
 * worker killed) is presumed dead after `heartbeatTimeoutSeconds` and run again by another job. Safe to run twice
 * (a worker presumed dead may still be running): the final write locks the refresh row and the second finisher
 * writes nothing. `jobId` is the pg-boss job running it (none in the CLI).
 */
export async function runRefresh(
  deps: ConnectionsDeps,
  refreshId: string,
  options: { now?: Date; onProgress?: (p: Progress) => void; jobId?: string } = {},
): Promise<Refresh> {
  const reread = async () => {
    const r = await refreshes.findRefresh(deps.db, refreshId);
    if (!r) throw new Error(`refresh ${refreshId} not found`);
    return r;
  };
  const timeoutSeconds = deps.config.jobs.heartbeatTimeoutSeconds;
  const refresh = await refreshes.markRunning(deps.db, refreshId, {
    jobId: options.jobId ?? null,
    deadAfterSeconds: timeoutSeconds,
  });
  // Finished, or another attempt is alive and running it: this job has nothing to do.
  if (!refresh) return reread();
  const startedAt = Date.now();
  const counts = { providerCalls: 0, rateLimitedCalls: 0 };
  const heartbeat = startHeartbeat(deps.db, refresh, timeoutSeconds);
  // Whatever ends the attempt (an error too), its heartbeat stops with it.
  try {
    const fail = async (e: RefreshFailure): Promise<Refresh> => {
      await heartbeat.flush();
      const delay = deps.jobs ? retryDelayMs(e, refresh.attempts, retryPolicyOf(deps.config)) : null;
      if (delay !== null && deps.jobs) {
        const jobs = deps.jobs;
        const retryAt = new Date(Date.now() + delay);
        await deps.db.transaction().execute(async (trx) => {
          // Another run of this refresh may have finished it, or taken it over, meanwhile (this worker was
          // presumed dead): leave it.
          const locked = await refreshes.lockRefresh(trx, refresh.id);
          if (!locked || isSettledOrSuperseded(locked, refresh)) return;
          await refreshes.markRetrying(trx, refresh.id, {
            errorCode: e.code,
            errorDetail: e.detail,
            retryAt,
            ...counts,
          });
          await jobs.send('metricsRefresh', { refreshId: refresh.id }, { trx, startAfter: retryAt });
        });
        telemetry.refreshFinished(refresh.provider, 'retrying', secondsSince(startedAt));
        return reread();
      }
      await failRefresh(deps, refresh, e, counts);
      telemetry.refreshFinished(refresh.provider, 'failed', secondsSince(startedAt));
      return reread();
    };

    const connection = await repo.findConnection(deps.db, refresh.workspaceId, refresh.provider);
    const workspace = await findWorkspace(deps.db, refresh.workspaceId);
    if (!connection || !workspace) return fail({ code: 'not_found', detail: 'the connection was removed' });
    const resolved = deps.resolve(refresh.provider);
    const adapter = resolved.provider.metrics;
    if (!adapter) return fail({ code: 'not_found', detail: `${refresh.provider} has no metrics adapter` });

    // The account the credential opens: what this refresh measures, whatever reconnect happens meanwhile.
    const source = await sourceFor(deps, connection);
    const credential = await credentialFor(deps, connection);
    const onProgress = (p: Progress) => {
      options.onProgress?.(p);
      heartbeat.progress(p);
    };
    const req = {
      now: options.now ?? new Date(),
      timezone: workspace.timezone,
      historyWeeks: refresh.historyWeeks,
    };
    const raw = credential.ok
      ? await adapter.fetch(
          {
            endpoints: resolved.settings.endpoints(connection.params),
            params: connection.params,
            fetch: globalThis.fetch,
            pacer: new Pacer(),
            credential: credential.value,
            onProgress,
            onResponse: (status) => {
              counts.providerCalls++;
              if (status === 429) counts.rateLimitedCalls++;
              telemetry.providerCall(refresh.provider, status);
            },
          },
          req,
        )
      : credential;
    if (!raw.ok) return fail(raw.error);
    let snapshot: MetricsSnapshot;
    try {
      snapshot = adapter.toSnapshot(raw.value, req);
    } catch (e) {
      deps.logger.error({ err: e, refreshId: refresh.id }, 'metrics mapping failed');
      return fail({ code: 'unexpected_response', detail: 'the helpdesk data could not be mapped' });
    }
    // The last progress reported is on the row before it is finished: a finished refresh shows where it ended.
    await heartbeat.flush();
    await deps.db.transaction().execute(async (trx) => {
      const locked = await refreshes.lockRefresh(trx, refresh.id);
      // Another run of the same refresh (a worker presumed dead that was not) finished first: keep its write.
      if (!locked || locked.state === 'succeeded' || locked.state === 'failed') return;
      // refresh.succeeded, then metrics.updated (docs/webhooks.md): the refresh's bookkeeping comes first.
      await recordRefreshSucceeded(trx, deps, refresh, { ...counts, durationMs: Date.now() - startedAt });
      await commitSnapshot(trx, deps.jobs, {
        workspaceId: refresh.workspaceId,
        source,
        snapshot,
        origin: { kind: 'refresh', refreshId: refresh.id, trigger: refresh.trigger },
      });
    });
    telemetry.refreshFinished(refresh.provider, 'succeeded', secondsSince(startedAt));
    return reread();
  } finally {
    await heartbeat.flush();
  }
}

/** The connection's source; one is attached on first use (connections made before sources, bulk inserts). */
async function sourceFor(deps: ConnectionsDeps, c: repo.Connection): Promise<SnapshotSource> {
  return deps.db.transaction().execute(
    async (trx) =>
      (await liveSourceOf(trx, c.id)) ??
      attachConnectionSource(trx, {
        connectionId: c.id,
        workspaceId: c.workspaceId,
        provider: c.provider,
        account: { id: c.accountId ?? c.provider, name: c.accountName ?? c.accountId ?? c.provider },
        isSandbox: c.isSandbox,
      }),
  );
}

/** The refresh's own bookkeeping after its snapshot: outcome, the connection's health, `refresh.succeeded`. */
async function recordRefreshSucceeded(
  trx: Db,
  deps: ConnectionsDeps,
  refresh: Refresh,
  r: refreshes.AttemptCounts & { durationMs: number },
): Promise<void> {
  await refreshes.finishRefresh(trx, refresh.id, {
    state: 'succeeded',
    providerCalls: r.providerCalls,
    rateLimitedCalls: r.rateLimitedCalls,
  });
  const current = await repo.findConnection(trx, refresh.workspaceId, refresh.provider, { forUpdate: true });
  if (current) {
    await repo.recordRefreshSuccess(trx, current.id, new Date(), DEFAULT_INTERVAL_MINUTES);
    const previous =
      current.status === 'degraded'
        ? 'degraded'
        : current.lastRefreshStatus !== null && current.lastRefreshStatus !== 'ok'
          ? current.lastRefreshStatus
          : null;
    if (previous) {
      await connectionRecovered(trx, deps.jobs, current, { actor: SYSTEM_ACTOR, via: 'refresh', previous });
    }
  }
  await publishEvent(trx, deps.jobs, {
    workspaceId: refresh.workspaceId,
    type: 'refresh.succeeded',
    data: {
      provider: refresh.provider,
      refreshId: refresh.id,
      trigger: refresh.trigger,
      attempts: refresh.attempts,
      durationMs: r.durationMs,
    },
  });
}

const REFRESH_STATUSES = [
  'unauthorized',
  'rate_limited',
  'upstream_unavailable',
  'unexpected_response',
] as const;
const isRefreshStatus = (code: RefreshErrorCode): code is (typeof REFRESH_STATUSES)[number] =>
  (REFRESH_STATUSES as readonly string[]).includes(code);
