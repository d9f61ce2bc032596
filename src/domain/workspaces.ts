import type { Db } from '../db/client.ts';
import * as invites from '../db/repositories/invites.ts';
import * as memberships from '../db/repositories/memberships.ts';
import * as users from '../db/repositories/users.ts';
import * as workspaces from '../db/repositories/workspaces.ts';
import type { WorkspaceRole } from '../db/schema.ts';
import { accessChanged } from '../lib/access-epoch.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken, sha256Hex } from '../lib/crypto.ts';
import { canonicalTimezone, isValidTimezone } from '../metrics/weeks.ts';
import { recordAudit } from './audit.ts';
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
  // Inside the caller's transaction when given one (first-run setup serialises on it). The new membership is
  // announced after our own commit; inside the caller's, as soon as it is written.
  const created = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  accessChanged();
  return created;
}

export const findWorkspace = workspaces.findWorkspace;
export const listWorkspaces = workspaces.listWorkspaces;
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
    ...(patch.timezone !== undefined ? { timezone: canonicalTimezone(patch.timezone) } : {}),
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
  const invite = await db.transaction().execute(async (trx) => {
    const created = await invites.insertInvite(trx, {
      id: newId('inv'),
      workspaceId: caller.workspaceId,
      role: input.role,
      tokenHash: sha256Hex(token),
      createdByUserId: caller.userId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    });
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'invite.create',
      provider: null,
      outcome: 'ok',
      detail: `role ${input.role}`,
      target: inviteTarget(created),
    });
    return created;
  });
  return { invite, token };
}

const inviteTarget = (i: { id: string; role: WorkspaceRole }) => ({
  kind: 'invite',
  id: i.id,
  label: `${i.role} invite`,
});

export async function revokeInvite(db: Db, caller: WorkspacePrincipal, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await invites.revokeInvite(trx, caller.workspaceId, id);
    if (!revoked) throw new AppError('not_found', `no pending invite ${id} in this workspace`);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'invite.revoke',
      provider: null,
      outcome: 'ok',
      target: inviteTarget(revoked),
    });
  });
}

/**
 * The invite a token opens, if it can still be accepted; otherwise the reason, as the error every invite path
 * answers (`not_found`, `invite_used`, `invite_expired`).
 */
export async function findAcceptableInvite(db: Db, token: string): Promise<Invite> {
  const invite = await invites.findInviteByTokenHash(db, sha256Hex(token));
  if (!invite || invite.revokedAt) throw new AppError('not_found', 'invite not found');
  if (invite.acceptedAt) throw new AppError('invite_used', 'this invite has already been used');
  if (invite.expiresAt.getTime() <= Date.now())
    throw new AppError('invite_expired', 'this invite has expired');
  return invite;
}

export async function acceptInvite(
  db: Db,
  input: { token: string; userId: string; email: string },
): Promise<{ workspace: Workspace; role: WorkspaceRole }> {
  const accepted = await db.transaction().execute(async (trx) => {
    const invite = await findAcceptableInvite(trx, input.token);
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
    await recordAudit(trx, {
      workspaceId: invite.workspaceId,
      actor: {
        kind: 'session',
        apiKeyId: null,
        userId: input.userId,
        email: input.email,
        workspaceId: invite.workspaceId,
        role: invite.role,
      },
      action: 'invite.accept',
      provider: null,
      outcome: 'ok',
      detail: `joined as ${invite.role}`,
      target: inviteTarget(invite),
    });
    const workspace = await workspaces.findWorkspace(trx, invite.workspaceId);
    if (!workspace) throw new AppError('not_found', 'invite not found');
    return { workspace, role: invite.role };
  });
  accessChanged();
  return accepted;
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
  await db.transaction().execute(async (trx) => {
    await memberships.updateMembershipRole(trx, caller.workspaceId, userId, role);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'member.role_change',
      provider: null,
      outcome: 'ok',
      detail: `${target.role} → ${role}`,
      target: await memberTarget(trx, userId),
    });
  });
  accessChanged();
}

const memberTarget = async (db: Db, userId: string) => ({
  kind: 'user',
  id: userId,
  label: (await users.findUser(db, userId))?.email ?? null,
});

/** Owner removes anyone but themselves; admins remove members only (https://docs.forepost.ai/help/teammates). */
export async function removeMember(db: Db, caller: WorkspacePrincipal, userId: string): Promise<void> {
  const target = await memberships.findMembership(db, caller.workspaceId, userId);
  if (!target) throw new AppError('not_found', `no member ${userId} in this workspace`);
  if (target.role === 'owner') throw new AppError('forbidden', 'the owner cannot be removed');
  if (caller.role !== 'owner' && target.role !== 'member') {
    throw new AppError('forbidden', 'admins can remove members only');
  }
  await db.transaction().execute(async (trx) => {
    await memberships.deleteMembership(trx, caller.workspaceId, userId);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'member.remove',
      provider: null,
      outcome: 'ok',
      detail: `was ${target.role}`,
      target: await memberTarget(trx, userId),
    });
  });
  accessChanged();
}
