import { z } from 'zod';
import type { JobPayloads, QueueKey } from '../domain/queue.ts';

/**
 * The queue catalog: name → payload schema and delivery policy. Handlers live in their own files; producers only
 * know `JobQueue`, so the HTTP layer and the domain never import pg-boss.
 */
export const QUEUES = {
  /** One metrics refresh (manual or scheduled). Retries by error code are ours (src/jobs/refresh-handler.ts). */
  metricsRefresh: {
    name: 'metrics-refresh',
    payload: z.object({ refreshId: z.string().regex(/^ref_[0-9a-f]{20}$/) }),
    // pg-boss retries only a job whose worker died or overran its lease (expireInSeconds comes from config).
    options: { retryLimit: 3, retryDelay: 5, retryBackoff: true },
  },
  /** The minute cron: fans out one refresh per due connection (src/domain/schedule.ts). */
  fleetTick: {
    name: 'fleet-tick',
    payload: z.object({}).loose(),
    options: { retryLimit: 0 },
    cron: '* * * * *',
  },
  /** Every five minutes: tokens expiring within 15 minutes, connections idle for 24 hours. */
  tokenSweep: {
    name: 'token-sweep',
    payload: z.object({}).loose(),
    options: { retryLimit: 0 },
    cron: '*/5 * * * *',
  },
  /** Daily: finished refreshes and webhook deliveries older than the retention period are deleted. */
  retention: {
    name: 'retention',
    payload: z.object({}).loose(),
    options: { retryLimit: 1 },
    cron: '17 3 * * *',
  },
  /** One webhook delivery attempt; retries are rescheduled by the handler with its own backoff. */
  webhookDeliver: {
    name: 'webhook-deliver',
    payload: z.object({ deliveryId: z.string().regex(/^whd_[0-9a-f]{20}$/) }),
    options: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  },
} as const satisfies {
  [K in QueueKey]: { name: string; payload: z.ZodType<JobPayloads[K]>; options: object; cron?: string };
};

export type { JobQueue, QueueKey } from '../domain/queue.ts';
export type JobPayload<K extends QueueKey> = JobPayloads[K];
export type MetricsRefreshJob = JobPayload<'metricsRefresh'>;
export type WebhookDeliverJob = JobPayload<'webhookDeliver'>;

/** The pg-boss job a handler runs: its id stays the same when pg-boss retries it. */
export interface JobMeta {
  id: string;
}
