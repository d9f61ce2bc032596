import type { ConnectionsDeps } from '../domain/connections.ts';
import type { JobPayload, JobQueue, QueueKey } from './catalog.ts';
import { handleRefresh } from './refresh-handler.ts';
import { handleFleetTick, handleRetention, handleTokenSweep } from './schedule-handler.ts';
import { handleWebhookDelivery } from './webhook-handler.ts';

export interface WorkerDeps extends ConnectionsDeps {
  jobs: JobQueue;
}

/** Queue → handler. Every queue in the catalog has exactly one. */
export const HANDLERS: { [K in QueueKey]: (deps: WorkerDeps, payload: JobPayload<K>) => Promise<void> } = {
  metricsRefresh: handleRefresh,
  fleetTick: handleFleetTick,
  tokenSweep: handleTokenSweep,
  retention: handleRetention,
  webhookDeliver: handleWebhookDelivery,
};
