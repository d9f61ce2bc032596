import type { Db } from '../db/client.ts';
import * as invites from '../db/repositories/invites.ts';
import * as memberships from '../db/repositories/memberships.ts';
import * as users from '../db/repositories/users.ts';
import * as workspaces from '../db/repositories/workspaces.ts';
import type { WorkspaceRole } from '../db/schema.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken, sha256Hex } from '../lib/crypto.ts';
import { isValidTimezone } from '../metrics/weeks.ts';
import { newId } from './ids.ts';
import type { WorkspacePrincipal } from './roles.ts';

export type Workspace = workspaces.Workspace;
export type Member = memberships.Member;
export type Invite = invites.Invite;

/** Invite links expire after 7 days (https://docs.forepost.ai/help/teammates). */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function createWorkspace(
  db: Db,
  input: { name: string; ownerUserId: string },
): Promise<Workspace> {
  const run = async (trx: Db) => {
    const ws = await workspaces.insertWorkspace(trx, { id: newId('ws'), name: input.name });
    await memberships.insertMembership(trx, { workspaceId: ws.id, userId: input.ownerUserId, role: 'owner' });
    return ws;
  };
  // Inside the caller's transaction when given one (first-run setup serialises on it).
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export const findWorkspace = workspaces.findWorkspace;
export const findUser = users.findUser;
export const findMembership = memberships.findMembership;
export const findFirstMembership = memberships.findFirstMembership;

/** `PATCH /workspace`: rename it or set its timezone (weekly history follows the timezone). */
export async function updateWorkspaceAs(
  db: Db,
  caller: WorkspacePrincipal,
  patch: { name?: string | undefined; timezone?: string | undefined },
): Promise<Workspace> {
  if (patch.name === undefined && patch.timezone === undefined) {
    // An empty patch would be an UPDATE with nothing to set: refused, like at the API's validation.
    throw new AppError('invalid_body', 'invalid request body', [
      { path: '(root)', message: 'send name, timezone or both' },
    ]);
  }
  if (patch.timezone !== undefined && !isValidTimezone(patch.timezone)) {
    throw new AppError('invalid_body', 'invalid request body', [
      { path: 'timezone', message: 'must be an IANA timezone like Europe/London' },
    ]);
  }
  return workspaces.updateWorkspace(db, caller.workspaceId, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
  });
}
export const listMembers = memberships.listMembers;
export const listInvites = invites.listInvites;

export async function createInvite(
  db: Db,
  caller: WorkspacePrincipal,
  input: { role: 'admin' | 'member' },
): Promise<{ invite: Invite; token: string }> {
  const token = randomToken(32);
  const invite = await invites.insertInvite(db, {
    id: newId('inv'),
    workspaceId: caller.workspaceId,
    role: input.role,
    tokenHash: sha256Hex(token),
    createdByUserId: caller.userId,
    expiresAt: new Date(Date.now() + INVITE_TTL_MS),
  });
  return { invite, token };
}

export async function revokeInvite(db: Db, caller: WorkspacePrincipal, id: string): Promise<void> {
  if (!(await invites.revokeInvite(db, caller.workspaceId, id))) {
    throw new AppError('not_found', `no pending invite ${id} in this workspace`);
  }
}

export async function acceptInvite(
  db: Db,
  input: { token: string; userId: string },
): Promise<{ workspace: Workspace; role: WorkspaceRole }> {
  return db.transaction().execute(async (trx) => {
    const invite = await invites.findInviteByTokenHash(trx, sha256Hex(input.token));
    if (!invite || invite.revokedAt) throw new AppError('not_found', 'invite not found');
    if (invite.acceptedAt) throw new AppError('invite_used', 'this invite has already been used');
    if (invite.expiresAt.getTime() <= Date.now())
      throw new AppError('invite_expired', 'this invite has expired');
    if (await memberships.findMembership(trx, invite.workspaceId, input.userId)) {
      throw new AppError('conflict', 'you are already a member of this workspace');
    }
    if (!(await invites.markInviteAccepted(trx, invite.id, input.userId))) {
      throw new AppError('invite_used', 'this invite has already been used');
    }
    await memberships.insertMembership(trx, {
      workspaceId: invite.workspaceId,
      userId: input.userId,
      role: invite.role,
    });
    const workspace = await workspaces.findWorkspace(trx, invite.workspaceId);
    if (!workspace) throw new AppError('not_found', 'invite not found');
    return { workspace, role: invite.role };
  });
}

/**
 * Only the Owner changes roles (https://docs.forepost.ai/help/teammates); ownership is not transferred this way.
 */
export async function changeMemberRole(
  db: Db,
  caller: WorkspacePrincipal,
  userId: string,
  role: 'admin' | 'member',
): Promise<void> {
  if (caller.role !== 'owner') throw new AppError('forbidden', 'only the owner changes roles');
  const target = await memberships.findMembership(db, caller.workspaceId, userId);
  if (!target) throw new AppError('not_found', `no member ${userId} in this workspace`);
  if (target.role === 'owner') throw new AppError('forbidden', "the owner's role cannot be changed");
  await memberships.updateMembershipRole(db, caller.workspaceId, userId, role);
}

/** Owner removes anyone but themselves; admins remove members only (https://docs.forepost.ai/help/teammates). */
export async function removeMember(db: Db, caller: WorkspacePrincipal, userId: string): Promise<void> {
  const target = await memberships.findMembership(db, caller.workspaceId, userId);
  if (!target) throw new AppError('not_found', `no member ${userId} in this workspace`);
  if (target.role === 'owner') throw new AppError('forbidden', 'the owner cannot be removed');
  if (caller.role !== 'owner' && target.role !== 'member') {
    throw new AppError('forbidden', 'admins can remove members only');
  }
  await memberships.deleteMembership(db, caller.workspaceId, userId);
}
