import type { Db } from '../client.ts';
import type { WorkspaceRole } from '../schema.ts';

/** What the API shows of a key; the secret hash never leaves this module. */
export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  role: WorkspaceRole;
  createdByUserId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = [
  'id',
  'workspace_id',
  'name',
  'role',
  'created_by_user_id',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

const toApiKey = (r: {
  id: string;
  workspace_id: string;
  name: string;
  role: WorkspaceRole;
  created_by_user_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiKey => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  role: r.role,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function insertApiKey(
  db: Db,
  row: {
    id: string;
    workspaceId: string;
    name: string;
    role: WorkspaceRole;
    secretHash: string;
    createdByUserId: string | null;
  },
): Promise<ApiKey> {
  const r = await db
    .insertInto('api_keys')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      name: row.name,
      role: row.role,
      secret_hash: row.secretHash,
      created_by_user_id: row.createdByUserId,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toApiKey(r);
}

export async function findApiKeyWithHash(
  db: Db,
  id: string,
): Promise<{ key: ApiKey; secretHash: string } | undefined> {
  const r = await db
    .selectFrom('api_keys')
    .select([...COLUMNS, 'secret_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { key: toApiKey(r), secretHash: r.secret_hash };
}

export async function findApiKey(db: Db, workspaceId: string, id: string): Promise<ApiKey | undefined> {
  const r = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toApiKey(r);
}

export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toApiKey);
}

export async function revokeApiKey(db: Db, workspaceId: string, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Recorded at most once a minute per key so hot keys do not write on every request. */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 60_000))]),
    )
    .execute();
}
