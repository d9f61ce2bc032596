import { sweepExpiringTokens, touchIdleConnections } from '../domain/connections/index.ts';
import { pruneHistory, scheduleDue } from '../domain/schedule.ts';
import { redriveStaleDeliveries } from '../domain/webhooks.ts';
import type { WorkerDeps } from './deps.ts';

/** Every minute: connections whose slot started get their refresh; webhook deliveries without a job get one. */
export async function handleFleetTick(deps: WorkerDeps): Promise<void> {
  await scheduleDue(deps, new Date());
  await redriveStaleDeliveries(deps);
}

/** Every five minutes: tokens expiring within 15 minutes are refreshed; connections idle for 24 hours verified. */
export async function handleTokenSweep(deps: WorkerDeps): Promise<void> {
  const swept = await sweepExpiringTokens(deps);
  const touched = await touchIdleConnections(deps);
  if (swept.checked > 0 || touched.checked > 0) deps.logger.info({ swept, touched }, 'token sweep finished');
}

/** Daily: the refresh log and the webhook delivery log keep 30 days (snapshots are kept for good). */
export async function handleRetention(deps: WorkerDeps): Promise<void> {
  const pruned = await pruneHistory(deps.db, new Date());
  deps.logger.info(pruned, 'history pruned');
}
