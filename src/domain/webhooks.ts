import { createHmac } from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/webhooks.ts';
import type { WebhookAttempt } from '../db/schema.ts';
import type { JobQueue } from './queue.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken } from '../lib/crypto.ts';
import type { Keyring } from '../lib/keyring.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit } from './audit.ts';
import { newId } from './ids.ts';
import type { WorkspacePrincipal } from './roles.ts';
import { checkWebhookTarget, postToWebhook } from './webhook-target.ts';

/** Outgoing webhooks: endpoints, events, signed deliveries with retries and a log (docs/webhooks.md). */
export const WEBHOOK_EVENTS = [
  'connection.needs_reauth',
  'connection.recovered',
  'refresh.failed',
  'refresh.succeeded',
  'metrics.updated',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface DomainEvent {
  workspaceId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: Date;
}

export type WebhookDelivery = Omit<repo.WebhookDelivery, 'attemptCount' | 'endpointId' | 'workspaceId'>;

/** Six attempts: the first at once, then after base·1, 2, 4, 8, 16 (docs/webhooks.md). */
export const MAX_ATTEMPTS = 6;
/** No retry waits longer than an hour, whatever the base. */
export const MAX_RETRY_DELAY_MS = 3600_000;
/** A worker holds a delivery this long: well over the 10 s request timeout, so the lease never ends mid-attempt. */
const LEASE_MS = 60_000;
/** A pending delivery this overdue has lost its job (or never had one) and is re-queued by the minute cron. */
export const REDRIVE_AFTER_MS = 60_000;
/** A job that starts this early (clock skew between processes and Postgres) still counts as due. */
const DUE_TOLERANCE_MS = 1000;
const REDRIVE_BATCH = 500;

export const SIGNATURE_HEADER = 'deskpulse-signature';
const USER_AGENT = 'Deskpulse-Webhooks/1';

const isWebhookEvent = (e: string): e is WebhookEventType =>
  (WEBHOOK_EVENTS as readonly string[]).includes(e);

const toEndpoint = (e: repo.WebhookEndpoint): WebhookEndpoint => ({
  id: e.id,
  url: e.url,
  // A type dropped from the list in a later version simply stops being sent.
  events: e.events.filter(isWebhookEvent),
  createdAt: e.createdAt,
});

/** Registers an endpoint after the SSRF guard; the signing secret is returned here and never again. */
export async function registerWebhook(
  deps: { db: Db; keyring: Keyring; config: Pick<Config, 'webhooks'> },
  caller: WorkspacePrincipal,
  input: { url: string; events: readonly WebhookEventType[] },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const target = await checkWebhookTarget(input.url, deps.config.webhooks.allowedNetworks);
  if (!target.ok) {
    throw new AppError('invalid_body', target.reason, [{ path: 'url', message: target.reason }]);
  }
  const events = [...new Set(input.events)];
  if (events.length === 0) {
    throw new AppError('invalid_body', 'subscribe to at least one event', [
      { path: 'events', message: 'must not be empty' },
    ]);
  }
  const secret = `whsec_${randomToken(32)}`;
  const endpoint = await deps.db.transaction().execute(async (trx) => {
    const created = await repo.insertEndpoint(trx, deps.keyring, {
      id: newId('wh'),
      workspaceId: caller.workspaceId,
      url: target.url.href,
      events,
      secret,
      createdByUserId: caller.userId,
    });
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'webhook.create',
      provider: null,
      outcome: 'ok',
      detail: `${created.id} ${created.url} (${events.join(', ')})`,
    });
    return created;
  });
  return { endpoint: toEndpoint(endpoint), secret };
}

export async function listWebhooks(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  return (await repo.listEndpoints(db, workspaceId)).map(toEndpoint);
}

/** Deletes an endpoint of the caller's workspace with its delivery log; another workspace's id is not found. */
export async function deleteWebhookAs(db: Db, caller: WorkspacePrincipal, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const endpoint = await repo.findEndpoint(trx, caller.workspaceId, id);
    if (!endpoint || !(await repo.deleteEndpoint(trx, caller.workspaceId, id))) {
      throw new AppError('not_found', `no webhook ${id} in this workspace`);
    }
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'webhook.delete',
      provider: null,
      outcome: 'ok',
      detail: `${endpoint.id} ${endpoint.url}`,
    });
  });
}

/** The endpoint's deliveries, newest first. */
export async function listWebhookDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  if (!(await repo.findEndpoint(db, workspaceId, endpointId))) {
    throw new AppError('not_found', `no webhook ${endpointId} in this workspace`);
  }
  const deliveries = await repo.listDeliveries(db, workspaceId, endpointId, limit);
  return deliveries.map(({ attemptCount: _a, endpointId: _e, workspaceId: _w, ...d }) => d);
}

/**
 * Inside the caller's transaction: one pending delivery per endpoint of the workspace subscribed to the event;
 * when `jobs` is given, their `webhookDeliver` jobs are enqueued in the same transaction (so a delivery and its
 * job exist only if the caller commits). Without `jobs` (the CLI) the minute cron picks them up. One indexed query
 * when the workspace has no endpoints.
 */
export async function publishEvent(trx: Db, jobs: JobQueue | undefined, event: DomainEvent): Promise<void> {
  const endpointIds = await repo.listSubscribedEndpointIds(trx, event.workspaceId, event.type);
  if (endpointIds.length === 0) return;
  const eventId = newId('evt');
  const createdAt = new Date();
  const body = JSON.stringify({
    id: eventId,
    type: event.type,
    createdAt: createdAt.toISOString(),
    workspaceId: event.workspaceId,
    data: event.data,
  });
  const deliveries = endpointIds.map((endpointId) => ({
    id: newId('whd'),
    endpointId,
    workspaceId: event.workspaceId,
    eventId,
    eventType: event.type,
    body,
    createdAt,
  }));
  await repo.insertDeliveries(trx, deliveries);
  if (jobs) {
    await jobs.sendMany(
      'webhookDeliver',
      deliveries.map((d) => ({ deliveryId: d.id })),
      { trx },
    );
  }
}

/**
 * Safety net run by the minute cron: pending deliveries whose attempt is overdue by more than a minute (published
 * without a queue, or their job was lost) get a job. Their next attempt is set to now, so the next sweep leaves
 * them to that job. Returns how many.
 */
export async function redriveStaleDeliveries(
  deps: { db: Db; jobs: JobQueue },
  now: Date = new Date(),
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const ids = await repo.takeOverdueDeliveries(trx, {
      now,
      overdueBefore: new Date(now.getTime() - REDRIVE_AFTER_MS),
      limit: REDRIVE_BATCH,
    });
    await deps.jobs.sendMany(
      'webhookDeliver',
      ids.map((deliveryId) => ({ deliveryId })),
      { trx },
    );
    return ids.length;
  });
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe's scheme). */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Exponential backoff after the `attempt`-th failure (1-based): base·2^(attempt−1), ±25 % jitter so endpoints
 * that failed together do not retry together, capped at an hour.
 */
export function retryDelayMs(
  attempt: number,
  baseSeconds: number,
  random: () => number = Math.random,
): number {
  const exponential = baseSeconds * 1000 * 2 ** (attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(exponential * (0.75 + random() * 0.5)));
}

export type DeliveryOutcome =
  /** Finished, not yet due, held by another worker, or deleted: nothing was sent. */
  | { kind: 'skipped' }
  | { kind: 'succeeded'; attempt: number; statusCode: number }
  | { kind: 'retrying'; attempt: number; nextAttemptAt: Date; error: string }
  | { kind: 'failed'; attempt: number; error: string }
  /** The SSRF guard refused the target: failed at once, never retried. */
  | { kind: 'refused'; attempt: number; error: string };

export interface DeliveryDeps {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, 'webhooks'>;
  logger?: Logger;
}

/**
 * One attempt of one delivery, if it is due: claim it (lease), sign and POST it through the guard, record the
 * attempt and its consequence (succeeded, retry at, failed). The caller enqueues the retry job. Safe to call for
 * a duplicate or late job: a delivery that is finished, not due or held elsewhere is left alone.
 */
export async function deliver(
  deps: DeliveryDeps,
  deliveryId: string,
  now: () => Date = () => new Date(),
): Promise<DeliveryOutcome> {
  const start = now();
  const claimed = await repo.claimDelivery(deps.db, deliveryId, {
    now: start,
    dueBy: new Date(start.getTime() + DUE_TOLERANCE_MS),
    leaseUntil: new Date(start.getTime() + LEASE_MS),
  });
  if (!claimed) return { kind: 'skipped' };
  const startedMs = performance.now();
  let result: Awaited<ReturnType<typeof postToWebhook>>;
  try {
    const found = await repo.findEndpointWithSecret(deps.db, deps.keyring, claimed.endpointId);
    if (!found) return { kind: 'skipped' };
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'deskpulse-event': claimed.eventType,
      'deskpulse-delivery': claimed.id,
      [SIGNATURE_HEADER]: signatureHeader(found.secret, claimed.body, start),
    };
    result = await postToWebhook(
      found.endpoint.url,
      { headers, body: claimed.body },
      { allowedNetworks: deps.config.webhooks.allowedNetworks },
    );
  } catch (e) {
    // E.g. the signing secret no longer opens (its key left the keyring): record it as a failed attempt, so
    // the delivery still ends after MAX_ATTEMPTS instead of being re-driven every minute unseen.
    deps.logger?.error({ err: e, deliveryId }, 'webhook delivery could not be prepared');
    result = { kind: 'network_error', reason: 'the delivery could not be prepared (see the server log)' };
  }
  const durationMs = Math.round(performance.now() - startedMs);
  const finishedAt = now();
  const attemptNo = claimed.attemptCount + 1;
  const attempt: WebhookAttempt = {
    at: start.toISOString(),
    statusCode: result.kind === 'answered' ? result.statusCode : null,
    error: null,
    durationMs,
  };
  let outcome: DeliveryOutcome;
  if (result.kind === 'answered' && result.statusCode >= 200 && result.statusCode < 300) {
    outcome = { kind: 'succeeded', attempt: attemptNo, statusCode: result.statusCode };
  } else {
    const error =
      result.kind === 'answered'
        ? result.statusCode >= 300 && result.statusCode < 400
          ? `answered HTTP ${result.statusCode}; redirects are not followed`
          : `answered HTTP ${result.statusCode}`
        : result.kind === 'refused'
          ? `refused: ${result.reason}`
          : result.reason;
    attempt.error = error;
    if (result.kind === 'refused') outcome = { kind: 'refused', attempt: attemptNo, error };
    else if (attemptNo >= MAX_ATTEMPTS) outcome = { kind: 'failed', attempt: attemptNo, error };
    else {
      const delay = retryDelayMs(attemptNo, deps.config.webhooks.retryBaseSeconds);
      outcome = {
        kind: 'retrying',
        attempt: attemptNo,
        error,
        nextAttemptAt: new Date(finishedAt.getTime() + delay),
      };
    }
  }
  const recorded = await repo.recordAttempt(deps.db, claimed, {
    attempt,
    state: outcome.kind === 'succeeded' ? 'succeeded' : outcome.kind === 'retrying' ? 'pending' : 'failed',
    nextAttemptAt: outcome.kind === 'retrying' ? outcome.nextAttemptAt : null,
    deliveredAt: outcome.kind === 'succeeded' ? finishedAt : null,
  });
  // Our lease ran out and another worker took over (or the endpoint was deleted meanwhile): its record stands.
  return recorded ? outcome : { kind: 'skipped' };
}
