import type { Db } from '../../client.ts';
import { countSealedByKey, resealBatch } from '../../reseal.ts';
import type { Keyring } from '../../../lib/keyring.ts';
import type { ProviderId } from '../../schema.ts';
import { SEALED_CONNECTIONS } from './credentials.ts';
import { COLUMNS, toConnection, type Connection } from './rows.ts';

export type { Connection, ConnectionSecrets } from './rows.ts';
export * from './credentials.ts';
export * from './health.ts';
export * from './schedule.ts';

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

export async function deleteConnection(db: Db, id: string): Promise<void> {
  await db.deleteFrom('helpdesk_connections').where('id', '=', id).execute();
}

/** Per key id, the connections with a credential sealed under it. */
export const countByEncryptionKey = (db: Db) => countSealedByKey(db, SEALED_CONNECTIONS);

/** Re-seals up to `limit` connections with a credential under another key; returns how many. */
export const reencryptBatch = (db: Db, keyring: Keyring, limit: number) =>
  resealBatch(db, keyring, SEALED_CONNECTIONS, limit);
