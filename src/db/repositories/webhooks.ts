import { sql } from 'kysely';
import type { Keyring } from '../../lib/keyring.ts';
import type { Db } from '../client.ts';
import { countSealedByKey, resealBatch, type SealedTable } from '../reseal.ts';
import type { WebhookAttempt, WebhookDeliveryState } from '../schema.ts';

/**
 * Webhook endpoints and their delivery log. The only module that encrypts or decrypts a webhook signing secret:
 * `WebhookEndpoint` (what everything else sees) carries none.
 */
export interface WebhookEndpoint {
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  encryptionKeyId: string;
  createdByUserId: string | null;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  workspaceId: string;
  eventId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: WebhookAttempt[];
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A pending delivery this process holds the lease of: everything needed to send it. */
export interface ClaimedDelivery extends WebhookDelivery {
  body: string;
  leaseUntil: Date;
}

const ENDPOINT_COLUMNS = [
  'id',
  'workspace_id',
  'url',
  'events',
  'encryption_key_id',
  'created_by_user_id',
  'created_at',
] as const;

type EndpointRow = {
  id: string;
  workspace_id: string;
  url: string;
  events: string[];
  encryption_key_id: string;
  created_by_user_id: string | null;
  created_at: Date;
};

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  workspaceId: r.workspace_id,
  url: r.url,
  events: r.events,
  encryptionKeyId: r.encryption_key_id,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
});

const DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'workspace_id',
  'event_id',
  'event_type',
  'state',
  'attempts',
  'attempt_count',
  'next_attempt_at',
  'created_at',
  'delivered_at',
] as const;

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  workspace_id: string;
  event_id: string;
  event_type: string;
  state: WebhookDeliveryState;
  attempts: WebhookAttempt[];
  attempt_count: number;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
};

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  workspaceId: r.workspace_id,
  eventId: r.event_id,
  eventType: r.event_type,
  state: r.state,
  attempts: r.attempts,
  attemptCount: r.attempt_count,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

/** Associated data: a secret opens only in the workspace and endpoint row it was sealed for. */
const aad = (e: { workspaceId: string; id: string }) =>
  `deskpulse/webhook/v1|${e.workspaceId}|${e.id}|secret`;

export async function insertEndpoint(
  db: Db,
  keyring: Keyring,
  input: {
    id: string;
    workspaceId: string;
    url: string;
    events: string[];
    secret: string;
    createdByUserId: string | null;
  },
): Promise<WebhookEndpoint> {
  const secretCt = keyring.encrypt(input.secret, aad(input));
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: input.id,
      workspace_id: input.workspaceId,
      url: input.url,
      events: input.events,
      encryption_key_id: keyring.keyIdOf(secretCt),
      secret_ct: secretCt,
      created_by_user_id: input.createdByUserId,
    })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
  return toEndpoint(row);
}

export async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}

export async function findEndpoint(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<WebhookEndpoint | undefined> {
  const r = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toEndpoint(r);
}

/** Deletes the endpoint (its deliveries cascade). Returns whether it existed in this workspace. */
export async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('webhook_endpoints')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** The endpoint and its decrypted signing secret, for the one moment a delivery is signed. */
export async function findEndpointWithSecret(
  db: Db,
  keyring: Keyring,
  id: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
  const r = await db
    .selectFrom('webhook_endpoints')
    .select([...ENDPOINT_COLUMNS, 'secret_ct'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const endpoint = toEndpoint(r);
  return { endpoint, secret: keyring.decrypt(r.secret_ct, aad(endpoint)) };
}

/** Ids of the workspace's endpoints subscribed to `eventType` (served by the workspace index). */
export async function listSubscribedEndpointIds(
  db: Db,
  workspaceId: string,
  eventType: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`${eventType} = any(events)`)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertDeliveries(
  db: Db,
  rows: {
    id: string;
    endpointId: string;
    workspaceId: string;
    eventId: string;
    eventType: string;
    body: string;
    createdAt: Date;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      rows.map((r) => ({
        id: r.id,
        endpoint_id: r.endpointId,
        workspace_id: r.workspaceId,
        event_id: r.eventId,
        event_type: r.eventType,
        body: r.body,
        created_at: r.createdAt,
        next_attempt_at: r.createdAt,
      })),
    )
    .execute();
}

export async function listDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}

export async function findDelivery(db: Db, id: string): Promise<WebhookDelivery | undefined> {
  const r = await db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toDelivery(r);
}

/**
 * Takes the lease of a pending delivery that is due by `dueBy` and not held by anyone else. Undefined when it is
 * finished, not yet due, held by another worker, or gone (its endpoint was deleted).
 */
export async function claimDelivery(
  db: Db,
  id: string,
  options: { now: Date; dueBy: Date; leaseUntil: Date },
): Promise<ClaimedDelivery | undefined> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: options.leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', options.dueBy)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', options.now)]))
    .returning([...DELIVERY_COLUMNS, 'body'])
    .executeTakeFirst();
  return r && { ...toDelivery(r), body: r.body, leaseUntil: options.leaseUntil };
}

/**
 * Appends an attempt and moves the delivery on, only while `lease` is still ours (a worker that overran its
 * lease must not overwrite the outcome of the one that took over). Returns whether it was recorded.
 */
export async function recordAttempt(
  db: Db,
  lease: { id: string; leaseUntil: Date },
  outcome: {
    attempt: WebhookAttempt;
    state: WebhookDeliveryState;
    nextAttemptAt: Date | null;
    deliveredAt: Date | null;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({
      attempts: sql<string>`attempts || ${JSON.stringify([outcome.attempt])}::jsonb`,
      attempt_count: sql<number>`attempt_count + 1`,
      state: outcome.state,
      next_attempt_at: outcome.nextAttemptAt,
      delivered_at: outcome.deliveredAt,
      lease_until: null,
    })
    .where('id', '=', lease.id)
    .where('lease_until', '=', lease.leaseUntil)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Pending deliveries due before `overdueBefore` and not leased: their next attempt is set to `now` and their ids
 * returned, so the caller enqueues them in the same transaction and a later sweep does not pick them again at once.
 */
export async function takeOverdueDeliveries(
  db: Db,
  options: { now: Date; overdueBefore: Date; limit: number },
): Promise<string[]> {
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: options.now })
    .where(
      'id',
      'in',
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<', options.overdueBefore)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', options.now)]))
        .orderBy('next_attempt_at')
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The sealed column of an endpoint, for `deskpulse keys rotate` (src/db/reseal.ts). */
export const SEALED_WEBHOOK_SECRETS: SealedTable = {
  table: 'webhook_endpoints',
  id: 'id',
  context: ['id', 'workspace_id'],
  keyColumn: 'encryption_key_id',
  fields: [{ column: 'secret_ct', aad: (r) => aad({ id: r.id ?? '', workspaceId: r.workspace_id ?? '' }) }],
};

export const countWebhookSecretsByKey = (db: Db) => countSealedByKey(db, SEALED_WEBHOOK_SECRETS);

/** Re-seals up to `limit` secrets not yet under the current key; returns how many. */
export const reencryptWebhookSecretsBatch = (db: Db, keyring: Keyring, limit: number) =>
  resealBatch(db, keyring, SEALED_WEBHOOK_SECRETS, limit);

export async function deleteFinishedDeliveriesBefore(db: Db, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('state', 'in', ['succeeded', 'failed'])
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
