import { sql } from 'kysely';
import type { Keyring } from '../../lib/keyring.ts';
import type { Db } from '../client.ts';
import type { ConnectionStatus, ProviderId, RefreshStatus } from '../schema.ts';

/**
 * The only module that encrypts or decrypts helpdesk credentials. `Connection` (what everything else sees)
 * carries no secret; `ConnectionSecrets` exists only between a decrypt here and an HTTP call in providers/.
 */
export interface Connection {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  authType: 'oauth' | 'token';
  status: ConnectionStatus;
  params: Record<string, string>;
  accountId: string | null;
  accountName: string | null;
  isSandbox: boolean;
  hasRefreshToken: boolean;
  accessTokenExpiresAt: Date | null;
  encryptionKeyId: string;
  connectedAt: Date;
  connectedByUserId: string | null;
  tokenRefreshedAt: Date | null;
  lastRefreshedAt: Date | null;
  lastRefreshStatus: RefreshStatus | null;
  lastError: string | null;
  /** Per-connection override of the hourly schedule; null = the default. */
  refreshIntervalMinutes: number | null;
  nextRefreshAt: Date;
  /** Start of the current run of failed refreshes (null after a success). */
  failingSince: Date | null;
  consecutiveFailures: number;
}

export interface ConnectionSecrets {
  accessToken: string;
  refreshToken: string | undefined;
}

const COLUMNS = [
  'id',
  'workspace_id',
  'provider',
  'auth_type',
  'status',
  'params',
  'account_id',
  'account_name',
  'is_sandbox',
  'refresh_token_ct',
  'access_token_expires_at',
  'encryption_key_id',
  'connected_at',
  'connected_by_user_id',
  'token_refreshed_at',
  'last_refreshed_at',
  'last_refresh_status',
  'last_error',
  'refresh_interval_minutes',
  'next_refresh_at',
  'failing_since',
  'consecutive_failures',
] as const;

type Row = {
  id: string;
  workspace_id: string;
  provider: ProviderId;
  auth_type: 'oauth' | 'token';
  status: ConnectionStatus;
  params: Record<string, string>;
  account_id: string | null;
  account_name: string | null;
  is_sandbox: boolean;
  refresh_token_ct: string | null;
  access_token_expires_at: Date | null;
  encryption_key_id: string;
  connected_at: Date;
  connected_by_user_id: string | null;
  token_refreshed_at: Date | null;
  last_refreshed_at: Date | null;
  last_refresh_status: RefreshStatus | null;
  last_error: string | null;
  refresh_interval_minutes: number | null;
  next_refresh_at: Date;
  failing_since: Date | null;
  consecutive_failures: number;
};

const toConnection = (r: Row): Connection => ({
  id: r.id,
  workspaceId: r.workspace_id,
  provider: r.provider,
  authType: r.auth_type,
  status: r.status,
  params: r.params,
  accountId: r.account_id,
  accountName: r.account_name,
  isSandbox: r.is_sandbox,
  hasRefreshToken: r.refresh_token_ct !== null,
  accessTokenExpiresAt: r.access_token_expires_at,
  encryptionKeyId: r.encryption_key_id,
  connectedAt: r.connected_at,
  connectedByUserId: r.connected_by_user_id,
  tokenRefreshedAt: r.token_refreshed_at,
  lastRefreshedAt: r.last_refreshed_at,
  lastRefreshStatus: r.last_refresh_status,
  lastError: r.last_error,
  refreshIntervalMinutes: r.refresh_interval_minutes,
  nextRefreshAt: r.next_refresh_at,
  failingSince: r.failing_since,
  consecutiveFailures: r.consecutive_failures,
});

/** Associated data: a ciphertext opens only in the row, provider, workspace and field it was sealed for. */
const aad = (c: { workspaceId: string; provider: ProviderId; id: string }, field: 'access' | 'refresh') =>
  `deskpulse/connection/v1|${c.workspaceId}|${c.provider}|${c.id}|${field}`;

export interface UpsertConnection {
  newId: string;
  workspaceId: string;
  provider: ProviderId;
  authType: 'oauth' | 'token';
  params: Record<string, string>;
  account: { id: string; name: string };
  isSandbox: boolean;
  accessToken: string;
  refreshToken: string | undefined;
  accessTokenExpiresAt: Date | null;
  scope: string | undefined;
  connectedByUserId: string | null;
}

/**
 * Creates the workspace's connection to a provider, or replaces the credential of the existing one in place
 * (same row id, so history keyed by it survives a reconnect). Returns the previous status, if any.
 */
export async function upsertConnection(
  db: Db,
  keyring: Keyring,
  input: UpsertConnection,
): Promise<{ connection: Connection; previousStatus: ConnectionStatus | null; previouslyFailing: boolean }> {
  const run = async (trx: Db) => {
    const existing = await trx
      .selectFrom('helpdesk_connections')
      .select(['id', 'status', 'failing_since'])
      .where('workspace_id', '=', input.workspaceId)
      .where('provider', '=', input.provider)
      .forUpdate()
      .executeTakeFirst();
    const id = existing?.id ?? input.newId;
    const ref = { workspaceId: input.workspaceId, provider: input.provider, id };
    const sealed = {
      auth_type: input.authType,
      status: 'ok' as const,
      params: JSON.stringify(input.params),
      account_id: input.account.id,
      account_name: input.account.name,
      is_sandbox: input.isSandbox,
      encryption_key_id: keyring.currentKeyId,
      access_token_ct: keyring.encrypt(input.accessToken, aad(ref, 'access')),
      refresh_token_ct: input.refreshToken ? keyring.encrypt(input.refreshToken, aad(ref, 'refresh')) : null,
      access_token_expires_at: input.accessTokenExpiresAt,
      scope: input.scope ?? null,
      connected_at: new Date(),
      connected_by_user_id: input.connectedByUserId,
      token_refreshed_at: null,
      last_error: null,
      // A reconnect clears the failure run and puts the connection back on its schedule at once.
      last_refresh_status: null,
      failing_since: null,
      consecutive_failures: 0,
      next_refresh_at: new Date(),
      updated_at: new Date(),
    };
    const row = existing
      ? await trx
          .updateTable('helpdesk_connections')
          .set(sealed)
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('helpdesk_connections')
          .values({ id, workspace_id: input.workspaceId, provider: input.provider, ...sealed })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
    return {
      connection: toConnection(row),
      previousStatus: existing?.status ?? null,
      previouslyFailing: existing?.failing_since != null,
    };
  };
  // Inside the caller's transaction when given one (the reconnect's events commit with it).
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** A new API-token connection, for bulk inserts (fleet tests and bench/fleet); one row per workspace+provider. */
export interface NewTokenConnection {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  params: Record<string, string>;
  account: { id: string; name: string };
  accessToken: string;
}

/** Inserts many token connections in one statement, sealed exactly as `upsertConnection` seals them. */
export async function insertTokenConnections(
  db: Db,
  keyring: Keyring,
  rows: NewTokenConnection[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('helpdesk_connections')
    .values(
      rows.map((r) => ({
        id: r.id,
        workspace_id: r.workspaceId,
        provider: r.provider,
        auth_type: 'token' as const,
        params: JSON.stringify(r.params),
        account_id: r.account.id,
        account_name: r.account.name,
        encryption_key_id: keyring.currentKeyId,
        access_token_ct: keyring.encrypt(r.accessToken, aad(r, 'access')),
        refresh_token_ct: null,
        access_token_expires_at: null,
        scope: null,
        connected_by_user_id: null,
      })),
    )
    .execute();
}

export async function findConnection(
  db: Db,
  workspaceId: string,
  provider: ProviderId,
  options: { forUpdate?: boolean } = {},
): Promise<Connection | undefined> {
  let q = db
    .selectFrom('helpdesk_connections')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toConnection(r);
}

export async function findConnectionById(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('helpdesk_connections').select(COLUMNS).where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toConnection(r);
}

export async function listConnections(db: Db, workspaceId: string): Promise<Connection[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('provider')
    .execute();
  return rows.map(toConnection);
}

export async function readSecrets(db: Db, keyring: Keyring, c: Connection): Promise<ConnectionSecrets> {
  const r = await db
    .selectFrom('helpdesk_connections')
    .select(['access_token_ct', 'refresh_token_ct'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  return {
    accessToken: keyring.decrypt(r.access_token_ct, aad(c, 'access')),
    refreshToken: r.refresh_token_ct ? keyring.decrypt(r.refresh_token_ct, aad(c, 'refresh')) : undefined,
  };
}

/**
 * Persists a refreshed pair. A provider that returned no refresh token keeps the old one (Nango once wiped it:
 * https://github.com/NangoHQ/nango/issues/298). Call inside the transaction that holds the row lock, before the
 * new access token is used, so a rotated refresh token is never lost.
 */
export async function storeRefreshedTokens(
  db: Db,
  keyring: Keyring,
  c: Connection,
  tokens: { accessToken: string; refreshToken: string | undefined; expiresAt: Date | null },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      encryption_key_id: keyring.currentKeyId,
      access_token_ct: keyring.encrypt(tokens.accessToken, aad(c, 'access')),
      ...(tokens.refreshToken
        ? { refresh_token_ct: keyring.encrypt(tokens.refreshToken, aad(c, 'refresh')) }
        : {}),
      access_token_expires_at: tokens.expiresAt,
      token_refreshed_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', c.id)
    .execute();
}

/** A token-refresh outcome (credentialFor): the status line only, not the metrics failure run. */
export async function recordRefreshOutcome(
  db: Db,
  id: string,
  outcome: { status?: ConnectionStatus; lastRefreshStatus: RefreshStatus; lastError: string | null },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(outcome.status ? { status: outcome.status } : {}),
      last_refresh_status: outcome.lastRefreshStatus,
      last_error: outcome.lastError,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A metrics refresh succeeded: the failure run ends, and a degraded connection is healthy again and back on its
 * own interval at once (its next slot was a day away).
 */
export async function recordRefreshSuccess(
  db: Db,
  id: string,
  at: Date,
  defaultIntervalMinutes: number,
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      status: sql<ConnectionStatus>`case when status = 'degraded' then 'ok' else status end`,
      next_refresh_at: sql<Date>`case when status = 'degraded'
        then least(next_refresh_at, ${at}::timestamptz + make_interval(mins => coalesce(refresh_interval_minutes, ${defaultIntervalMinutes}::int)))
        else next_refresh_at end`,
      last_refresh_status: 'ok',
      last_error: null,
      last_refreshed_at: at,
      failing_since: null,
      consecutive_failures: 0,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A metrics refresh failed for good (no retry left). Extends the failure run; `status` is the new status the
 * domain decided (needs_reauth, degraded) and `nextRefreshAt` postpones the schedule (degraded: daily).
 */
export async function recordRefreshFailure(
  db: Db,
  id: string,
  f: {
    at: Date;
    lastRefreshStatus: RefreshStatus;
    lastError: string;
    status?: ConnectionStatus;
    nextRefreshAt?: Date;
  },
): Promise<void> {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(f.status ? { status: f.status } : {}),
      ...(f.nextRefreshAt ? { next_refresh_at: f.nextRefreshAt } : {}),
      last_refresh_status: f.lastRefreshStatus,
      last_error: f.lastError,
      failing_since: sql<Date>`coalesce(failing_since, ${f.at})`,
      consecutive_failures: sql<number>`consecutive_failures + 1`,
      updated_at: f.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function setRefreshInterval(
  db: Db,
  id: string,
  minutes: number | null,
  nextRefreshAt: Date,
): Promise<Connection> {
  const row = await db
    .updateTable('helpdesk_connections')
    .set({
      refresh_interval_minutes: minutes,
      next_refresh_at: sql<Date>`least(next_refresh_at, ${nextRefreshAt})`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toConnection(row);
}

export interface DueConnection {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  status: ConnectionStatus;
  refreshIntervalMinutes: number | null;
}

/**
 * Claims connections whose next slot has started, inside the caller's transaction. SKIP LOCKED lets several
 * schedulers share the work; the caller moves `next_refresh_at` past `now` before committing.
 */
export async function claimDueConnections(db: Db, now: Date, limit: number): Promise<DueConnection[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['id', 'workspace_id', 'provider', 'status', 'refresh_interval_minutes'])
    .where('status', '<>', 'needs_reauth')
    .where('next_refresh_at', '<=', now)
    .orderBy('next_refresh_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    provider: r.provider,
    status: r.status,
    refreshIntervalMinutes: r.refresh_interval_minutes,
  }));
}

export async function setNextRefreshTimes(db: Db, next: { id: string; at: Date }[]): Promise<void> {
  if (next.length === 0) return;
  await sql`update helpdesk_connections c set next_refresh_at = v.at::timestamptz
    from (values ${sql.join(next.map((n) => sql`(${n.id}, ${n.at.toISOString()})`))}) as v(id, at)
    where c.id = v.id`.execute(db);
}

/** The last time anything called the helpdesk for a connection: a refresh, a token refresh or an idle check. */
const lastActivity = sql<Date>`greatest(connected_at, coalesce(last_refreshed_at, connected_at),
  coalesce(token_refreshed_at, connected_at), coalesce(touched_at, connected_at))`;

/** Connections nothing has called since `idleSince`, longest idle first: the sweep verifies them. */
export async function listIdleConnectionIds(db: Db, idleSince: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('status', '<>', 'needs_reauth')
    .where(lastActivity, '<', idleSince)
    .orderBy(lastActivity)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function markTouched(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('helpdesk_connections').set({ touched_at: at }).where('id', '=', id).execute();
}

export async function deleteConnection(db: Db, id: string): Promise<void> {
  await db.deleteFrom('helpdesk_connections').where('id', '=', id).execute();
}

/** OAuth connections whose access token expires before `before` and that can still be refreshed. */
export async function listExpiringConnectionIds(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('refresh_token_ct', 'is not', null)
    .where('status', '<>', 'needs_reauth')
    .where('access_token_expires_at', '<', before)
    .orderBy('access_token_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function countByEncryptionKey(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['encryption_key_id', sql<string>`count(*)`.as('n')])
    .groupBy('encryption_key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.encryption_key_id, Number(r.n)]));
}

/**
 * Re-seals up to `limit` rows not yet under the current key. Rows another process holds (a refresh in flight)
 * are skipped and picked up by a later batch. Returns how many rows it re-sealed.
 */
export async function reencryptBatch(db: Db, keyring: Keyring, limit: number): Promise<number> {
  const current = keyring.currentKeyId;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('helpdesk_connections')
      .select(['id', 'workspace_id', 'provider', 'access_token_ct', 'refresh_token_ct'])
      .where('encryption_key_id', '<>', current)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const ref = { id: r.id, workspaceId: r.workspace_id, provider: r.provider };
      await trx
        .updateTable('helpdesk_connections')
        .set({
          encryption_key_id: current,
          access_token_ct: keyring.encrypt(
            keyring.decrypt(r.access_token_ct, aad(ref, 'access')),
            aad(ref, 'access'),
          ),
          refresh_token_ct: r.refresh_token_ct
            ? keyring.encrypt(keyring.decrypt(r.refresh_token_ct, aad(ref, 'refresh')), aad(ref, 'refresh'))
            : null,
        })
        .where('id', '=', r.id)
        .execute();
    }
    return rows.length;
  });
}
