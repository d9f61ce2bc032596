import type { Db } from '../client.ts';
import type { WorkspaceRole } from '../schema.ts';

export interface Membership {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  createdAt: Date;
}

export interface Member extends Membership {
  email: string;
  name: string;
}

export async function insertMembership(
  db: Db,
  row: { workspaceId: string; userId: string; role: WorkspaceRole },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ workspace_id: row.workspaceId, user_id: row.userId, role: row.role })
    .execute();
}

export async function findMembership(
  db: Db,
  workspaceId: string,
  userId: string,
): Promise<Membership | undefined> {
  const r = await db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r && { workspaceId: r.workspace_id, userId: r.user_id, role: r.role, createdAt: r.created_at };
}

/** The user's oldest membership: the workspace a session uses when the request names none. */
export async function findFirstMembership(db: Db, userId: string): Promise<Membership | undefined> {
  const r = await db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return r && { workspaceId: r.workspace_id, userId: r.user_id, role: r.role, createdAt: r.created_at };
}

export async function listMembers(db: Db, workspaceId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('auth_user as u', 'u.id', 'm.user_id')
    .select(['m.workspace_id', 'm.user_id', 'm.role', 'm.created_at', 'u.email', 'u.name'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('m.created_at')
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    role: r.role,
    createdAt: r.created_at,
    email: r.email,
    name: r.name,
  }));
}

export async function updateMembershipRole(
  db: Db,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Db, workspaceId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

/** The workspaces the account with this email belongs to (none when no account has it). */
export async function listMembershipsByEmail(
  db: Db,
  email: string,
): Promise<{ userId: string; workspaceId: string }[]> {
  const rows = await db
    .selectFrom('auth_user as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .select(['u.id', 'm.workspace_id'])
    .where('u.email', '=', email)
    .execute();
  return rows.map((r) => ({ userId: r.id, workspaceId: r.workspace_id }));
}
