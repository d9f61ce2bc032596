import type { Db } from '../client.ts';
import type { WorkspaceRole } from '../schema.ts';

/** Who made a key (`isActive`: the person is still a member of the workspace, or the key is not revoked). */
export interface ApiKeyCreator {
  kind: 'user' | 'api_key' | 'system';
  id: string | null;
  label: string;
  isActive: boolean;
}

/** A key with who made it, as `GET /apikeys` lists it. */
export type ListedApiKey = ApiKey & { createdBy: ApiKeyCreator };

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
    createdBy: Omit<ApiKeyCreator, 'isActive'>;
  },
): Promise<ListedApiKey> {
  const c = row.createdBy;
  const r = await db
    .insertInto('api_keys')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      name: row.name,
      role: row.role,
      secret_hash: row.secretHash,
      created_by_kind: c.kind,
      created_by_user_id: c.kind === 'user' ? c.id : null,
      created_by_api_key_id: c.kind === 'api_key' ? c.id : null,
      created_by_label: c.label,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return { ...toApiKey(r), createdBy: { ...c, isActive: true } };
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

/** The workspace's keys with their creators, and whether each creator still belongs here. */
export async function listApiKeys(db: Db, workspaceId: string): Promise<ListedApiKey[]> {
  const rows = await db
    .selectFrom('api_keys as k')
    .leftJoin('memberships as m', (j) =>
      j.onRef('m.workspace_id', '=', 'k.workspace_id').onRef('m.user_id', '=', 'k.created_by_user_id'),
    )
    .leftJoin('api_keys as parent', 'parent.id', 'k.created_by_api_key_id')
    .select(COLUMNS.map((c) => `k.${c}` as const))
    .select([
      'k.created_by_kind',
      'k.created_by_user_id',
      'k.created_by_api_key_id',
      'k.created_by_label',
      'm.user_id as member_user_id',
      'parent.id as parent_id',
      'parent.revoked_at as parent_revoked_at',
    ])
    .where('k.workspace_id', '=', workspaceId)
    .orderBy('k.created_at')
    .orderBy('k.id')
    .execute();
  return rows.map((r) => {
    const kind = r.created_by_kind;
    const isActive =
      kind === 'user'
        ? r.member_user_id !== null
        : kind === 'api_key'
          ? r.parent_id !== null && r.parent_revoked_at === null
          : true;
    return {
      ...toApiKey(r),
      createdBy: {
        kind,
        id: kind === 'user' ? r.created_by_user_id : kind === 'api_key' ? r.created_by_api_key_id : null,
        label: r.created_by_label,
        isActive,
      },
    };
  });
}

/** True when this call revoked the key (false: it was already revoked). */
export async function revokeApiKey(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
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
