import type { Db } from '../db/client.ts';

/**
 * The job queue as the domain sees it: what can be queued and with which payload. src/jobs/ implements it on
 * pg-boss (its catalog validates these payloads with zod); the domain never imports pg-boss or src/jobs/.
 */
export interface JobPayloads {
  /** One metrics refresh (manual or scheduled). */
  metricsRefresh: { refreshId: string };
  /** The minute cron: fans out one refresh per due connection. */
  fleetTick: Record<string, unknown>;
  /** Every five minutes: expiring tokens and idle connections. */
  tokenSweep: Record<string, unknown>;
  /** Daily: old refreshes and webhook deliveries are deleted. */
  retention: Record<string, unknown>;
  /** One webhook delivery attempt. */
  webhookDeliver: { deliveryId: string };
}

export type QueueKey = keyof JobPayloads;

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits (transactional outbox). */
  trx?: Db;
  /** Do not start before this instant (retries, rate-limit resets). */
  startAfter?: Date;
}

export interface JobQueue {
  send<K extends QueueKey>(queue: K, payload: JobPayloads[K], options?: SendOptions): Promise<void>;
  /** Many jobs of one queue in one statement (the scheduler's fan-out). */
  sendMany<K extends QueueKey>(queue: K, payloads: JobPayloads[K][], options?: SendOptions): Promise<void>;
}
