import * as repo from '../db/repositories/connections.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import * as snapshots from '../db/repositories/snapshots.ts';
import { findWorkspace } from '../db/repositories/workspaces.ts';
import { AppError } from '../lib/app-error.ts';
import { Pacer } from '../providers/http.ts';
import type { MetricsSnapshot, Progress } from '../providers/metrics-types.ts';
import type { ProviderId } from '../providers/types.ts';
import { type Actor, recordAudit } from './audit.ts';
import { credentialFor, type ConnectionsDeps } from './connections.ts';
import { newId } from './ids.ts';

export type Refresh = refreshes.Refresh;
export type StoredSnapshot = snapshots.StoredSnapshot;

/** The first refresh of a connection backfills this many completed weeks; later ones redo the last one. */
export const BACKFILL_WEEKS = 12;
const PROGRESS_WRITE_MS = 250;

const actorLabel = (a: Actor) =>
  a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label;

/** Records a refresh request; the caller hands its id to the job queue (or runs it directly, as the CLI does). */
export async function requestRefresh(
  deps: ConnectionsDeps,
  input: { workspaceId: string; provider: ProviderId; actor: Actor },
): Promise<Refresh> {
  const connection = await repo.findConnection(deps.db, input.workspaceId, input.provider);
  if (!connection) throw new AppError('not_found', `no ${input.provider} connection in this workspace`);
  if (!deps.resolve(input.provider).provider.metrics) {
    throw new AppError('not_found', `${input.provider} has no metrics adapter`);
  }
  const backfilled = await snapshots.hasHistory(deps.db, input.workspaceId, input.provider);
  return refreshes.insertRefresh(deps.db, {
    id: newId('ref'),
    workspaceId: input.workspaceId,
    provider: input.provider,
    requestedBy: actorLabel(input.actor),
    historyWeeks: backfilled ? 1 : BACKFILL_WEEKS,
  });
}

export const findRefresh = refreshes.findRefresh;

/**
 * Runs one refresh: every helpdesk call first, then one transaction that writes the snapshot. Any failure
 * leaves the previous snapshot intact and is recorded on the refresh and the connection.
 */
export async function runRefresh(
  deps: ConnectionsDeps,
  refreshId: string,
  options: { now?: Date; onProgress?: (p: Progress) => void } = {},
): Promise<Refresh> {
  const refresh = await refreshes.findRefresh(deps.db, refreshId);
  if (!refresh) throw new Error(`refresh ${refreshId} not found`);
  if (refresh.state === 'succeeded') return refresh;
  await refreshes.markRunning(deps.db, refresh.id);
  const fail = async (code: string, detail: string) => {
    await refreshes.finishRefresh(deps.db, refresh.id, {
      state: 'failed',
      errorCode: code,
      errorDetail: detail,
    });
    return (await refreshes.findRefresh(deps.db, refresh.id)) ?? refresh;
  };
  const connection = await repo.findConnection(deps.db, refresh.workspaceId, refresh.provider);
  const workspace = await findWorkspace(deps.db, refresh.workspaceId);
  if (!connection || !workspace) return fail('not_found', 'the connection was removed');
  const resolved = deps.resolve(refresh.provider);
  const adapter = resolved.provider.metrics;
  if (!adapter) return fail('not_found', `${refresh.provider} has no metrics adapter`);

  const credential = await credentialFor(deps, connection);
  let lastWrite = 0;
  const onProgress = (p: Progress) => {
    options.onProgress?.(p);
    const now = Date.now();
    if (now - lastWrite < PROGRESS_WRITE_MS) return;
    lastWrite = now;
    void refreshes.updateProgress(deps.db, refresh.id, p.done, p.total ?? null).catch(() => undefined);
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
        },
        req,
      )
    : credential;
  if (!raw.ok) {
    const e = raw.error;
    const dead = e.code === 'unauthorized';
    await repo.recordRefreshOutcome(deps.db, connection.id, {
      ...(dead ? { status: 'needs_reauth' as const } : {}),
      lastRefreshStatus: e.code,
      lastError: `refresh failed: ${e.detail}`,
    });
    if (dead && connection.status !== 'needs_reauth') {
      await recordAudit(deps.db, {
        workspaceId: connection.workspaceId,
        actor: { kind: 'system', label: 'metrics refresh' },
        action: 'connection.refresh_failed',
        provider: connection.provider,
        outcome: 'needs_reauth',
        detail: e.detail,
      });
    }
    return fail(e.code, e.detail);
  }
  let snapshot: MetricsSnapshot;
  try {
    snapshot = adapter.toSnapshot(raw.value, req);
  } catch (e) {
    deps.logger.error({ err: e, refreshId: refresh.id }, 'metrics mapping failed');
    await repo.recordRefreshOutcome(deps.db, connection.id, {
      lastRefreshStatus: 'unexpected_response',
      lastError: 'refresh failed: the helpdesk data could not be mapped',
    });
    return fail('unexpected_response', 'the helpdesk data could not be mapped');
  }
  await deps.db.transaction().execute(async (trx) => {
    await snapshots.writeSnapshot(trx, {
      workspaceId: refresh.workspaceId,
      provider: refresh.provider,
      refreshId: refresh.id,
      snapshot,
    });
    await refreshes.finishRefresh(trx, refresh.id, { state: 'succeeded' });
    await repo.recordRefreshOutcome(trx, connection.id, {
      lastRefreshStatus: 'ok',
      lastError: null,
      refreshedAt: new Date(),
    });
    if (connection.lastRefreshStatus !== null && connection.lastRefreshStatus !== 'ok') {
      await recordAudit(trx, {
        workspaceId: connection.workspaceId,
        actor: { kind: 'system', label: 'metrics refresh' },
        action: 'connection.recovered',
        provider: connection.provider,
        outcome: 'ok',
        detail: 'refresh succeeded again',
      });
    }
  });
  return (await refreshes.findRefresh(deps.db, refresh.id)) ?? refresh;
}

export const listCurrent = snapshots.listCurrentSnapshots;
export const listWeekly = snapshots.listWeeklySnapshots;
