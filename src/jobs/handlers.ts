import type { JobMeta, JobPayload, QueueKey } from './catalog.ts';
import type { WorkerDeps } from './deps.ts';
import { handleRefresh } from './refresh-handler.ts';
import { handleFleetTick, handleRetention, handleTokenSweep } from './schedule-handler.ts';
import { handleWebhookDelivery } from './webhook-handler.ts';

/** Queue → handler. Every queue in the catalog has exactly one. */
export const HANDLERS: {
  [K in QueueKey]: (deps: WorkerDeps, payload: JobPayload<K>, job: JobMeta) => Promise<void>;
} = {
  metricsRefresh: handleRefresh,
  fleetTick: handleFleetTick,
  tokenSweep: handleTokenSweep,
  retention: handleRetention,
  webhookDeliver: handleWebhookDelivery,
};
