import { z } from 'zod';
import type { Db } from '../db/client.ts';

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
} as const;

export type QueueKey = keyof typeof QUEUES;
export type JobPayload<K extends QueueKey> = z.infer<(typeof QUEUES)[K]['payload']>;
export type MetricsRefreshJob = JobPayload<'metricsRefresh'>;
export type WebhookDeliverJob = JobPayload<'webhookDeliver'>;

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits (transactional outbox). */
  trx?: Db;
  /** Do not start before this instant (retries, rate-limit resets). */
  startAfter?: Date;
}

export interface JobQueue {
  send<K extends QueueKey>(queue: K, payload: JobPayload<K>, options?: SendOptions): Promise<void>;
  /** Many jobs of one queue in one statement (the scheduler's fan-out). */
  sendMany<K extends QueueKey>(queue: K, payloads: JobPayload<K>[], options?: SendOptions): Promise<void>;
}
