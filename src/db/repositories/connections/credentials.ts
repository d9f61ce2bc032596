import type { Keyring } from '../../../lib/keyring.ts';
import type { Db } from '../../client.ts';
import type { SealedTable } from '../../reseal.ts';
import type { ConnectionStatus, ProviderId } from '../../schema.ts';
import { COLUMNS, toConnection, type Connection, type ConnectionSecrets } from './rows.ts';

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
      last_error_kind: null,
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
 * https://github.com/NangoHQ/nango/issues/298), re-sealed under the current key with the new access token, so
 * the row's key column tells the truth and the old key is not kept alive by it. Call inside the transaction that
 * holds the row lock, before the new access token is used, so a rotated refresh token is never lost.
 */
export async function storeRefreshedTokens(
  db: Db,
  keyring: Keyring,
  c: Connection,
  tokens: {
    accessToken: string;
    refreshToken: string | undefined;
    expiresAt: Date | null;
    /** The refresh token the refresh was made with (kept when the provider returned none). */
    previousRefreshToken: string | undefined;
  },
): Promise<void> {
  const refreshToken = tokens.refreshToken ?? tokens.previousRefreshToken;
  await db
    .updateTable('helpdesk_connections')
    .set({
      encryption_key_id: keyring.currentKeyId,
      access_token_ct: keyring.encrypt(tokens.accessToken, aad(c, 'access')),
      ...(refreshToken ? { refresh_token_ct: keyring.encrypt(refreshToken, aad(c, 'refresh')) } : {}),
      access_token_expires_at: tokens.expiresAt,
      token_refreshed_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', c.id)
    .execute();
}

/** The sealed columns of a connection, for `deskpulse keys rotate` (src/db/reseal.ts). */
export const SEALED_CONNECTIONS: SealedTable = {
  table: 'helpdesk_connections',
  id: 'id',
  context: ['id', 'workspace_id', 'provider'],
  keyColumn: 'encryption_key_id',
  fields: [
    {
      column: 'access_token_ct',
      aad: (r) =>
        aad(
          { id: r.id ?? '', workspaceId: r.workspace_id ?? '', provider: r.provider as ProviderId },
          'access',
        ),
    },
    {
      column: 'refresh_token_ct',
      aad: (r) =>
        aad(
          { id: r.id ?? '', workspaceId: r.workspace_id ?? '', provider: r.provider as ProviderId },
          'refresh',
        ),
    },
  ],
};
