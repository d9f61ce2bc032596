import type { Db } from '../client.ts';
import type { WorkspaceRole } from '../schema.ts';

export interface Invite {
  id: string;
  workspaceId: string;
  role: WorkspaceRole;
  createdByUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedByUserId: string | null;
  revokedAt: Date | null;
}

type Row = {
  id: string;
  workspace_id: string;
  role: WorkspaceRole;
  created_by_user_id: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by_user_id: string | null;
  revoked_at: Date | null;
};

const COLUMNS = [
  'id',
  'workspace_id',
  'role',
  'created_by_user_id',
  'created_at',
  'expires_at',
  'accepted_at',
  'accepted_by_user_id',
  'revoked_at',
] as const;

const toInvite = (r: Row): Invite => ({
  id: r.id,
  workspaceId: r.workspace_id,
  role: r.role,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  acceptedByUserId: r.accepted_by_user_id,
  revokedAt: r.revoked_at,
});

export async function insertInvite(
  db: Db,
  row: {
    id: string;
    workspaceId: string;
    role: WorkspaceRole;
    tokenHash: string;
    createdByUserId: string | null;
    expiresAt: Date;
  },
): Promise<Invite> {
  const r = await db
    .insertInto('invites')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      role: row.role,
      token_hash: row.tokenHash,
      created_by_user_id: row.createdByUserId,
      expires_at: row.expiresAt,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toInvite(r);
}

export async function findInviteByTokenHash(db: Db, tokenHash: string): Promise<Invite | undefined> {
  const r = await db
    .selectFrom('invites')
    .select(COLUMNS)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && toInvite(r);
}

export async function listInvites(db: Db, workspaceId: string): Promise<Invite[]> {
  const rows = await db
    .selectFrom('invites')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toInvite);
}

/** The invite this call revoked; undefined when there was no pending one. */
export async function revokeInvite(db: Db, workspaceId: string, id: string): Promise<Invite | undefined> {
  const r = await db
    .updateTable('invites')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('accepted_at', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst();
  return r && toInvite(r);
}

/** Single use: only one concurrent accept can flip accepted_at from null. */
export async function markInviteAccepted(db: Db, id: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('invites')
    .set({ accepted_at: new Date(), accepted_by_user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
