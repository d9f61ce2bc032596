import { AppError, newId, randomToken, safeEqual, sha256Hex } from './chunk-KYBJ2MGV.js';
import { isValidTimezone } from './chunk-JFRFXCQY.js';

// src/contracts/identity.ts
import { z as z2 } from '@hono/zod-openapi';

// src/contracts/common.ts
import { z } from '@hono/zod-openapi';
var ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_body' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');
var RoleSchema = z.enum(['owner', 'admin', 'member']).openapi('Role');
var AssignableRoleSchema = z.enum(['admin', 'member']).openapi('AssignableRole');
var IdParamSchema = z.object({ id: z.string().min(1).max(64) });

// src/contracts/identity.ts
var Email = z2
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
var Password = z2.string().min(10).max(256);
var Name = z2.string().trim().min(1).max(100);
var SignUpBodySchema = z2.strictObject({ email: Email, password: Password, name: Name }).openapi('SignUp');
var SignInBodySchema = z2
  .strictObject({ email: Email, password: z2.string().min(1).max(256) })
  .openapi('SignIn');
var UserSchema = z2.object({ id: z2.string(), email: z2.string(), name: z2.string() }).openapi('User');
var WorkspaceSummarySchema = z2.object({ id: z2.string(), name: z2.string() }).openapi('WorkspaceSummary');
var MeSchema = z2
  .object({
    user: UserSchema.nullable(),
    workspace: WorkspaceSummarySchema.nullable(),
    role: RoleSchema.nullable(),
    via: z2.enum(['session', 'api_key']),
  })
  .openapi('Me');
var CreateWorkspaceBodySchema = z2.strictObject({ name: Name }).openapi('CreateWorkspace');
var WorkspaceSchema = z2
  .object({ id: z2.string(), name: z2.string(), timezone: z2.string(), createdAt: z2.iso.datetime() })
  .openapi('Workspace');
var CreateApiKeyBodySchema = z2
  .strictObject({ name: Name, role: AssignableRoleSchema })
  .openapi('CreateApiKey');
var ApiKeySchema = z2
  .object({
    id: z2.string(),
    name: z2.string(),
    role: RoleSchema,
    createdAt: z2.iso.datetime(),
    lastUsedAt: z2.iso.datetime().nullable(),
    revokedAt: z2.iso.datetime().nullable(),
  })
  .openapi('ApiKey');
var CreatedApiKeySchema = ApiKeySchema.extend({
  key: z2.string().openapi({ description: 'The secret. Shown once; store it now.' }),
}).openapi('CreatedApiKey');
var CreateInviteBodySchema = z2.strictObject({ role: AssignableRoleSchema }).openapi('CreateInvite');
var InviteSchema = z2
  .object({
    id: z2.string(),
    role: RoleSchema,
    createdAt: z2.iso.datetime(),
    expiresAt: z2.iso.datetime(),
    acceptedAt: z2.iso.datetime().nullable(),
    revokedAt: z2.iso.datetime().nullable(),
  })
  .openapi('Invite');
var CreatedInviteSchema = InviteSchema.extend({
  token: z2.string(),
  url: z2.string().openapi({ description: 'Single-use link; shown once. Expires in 7 days.' }),
}).openapi('CreatedInvite');
var AcceptInviteBodySchema = z2.strictObject({ token: z2.string().min(1).max(128) }).openapi('AcceptInvite');
var MemberSchema = z2
  .object({
    userId: z2.string(),
    email: z2.string(),
    name: z2.string(),
    role: RoleSchema,
    joinedAt: z2.iso.datetime(),
  })
  .openapi('Member');
var UpdateMemberBodySchema = z2.strictObject({ role: AssignableRoleSchema }).openapi('UpdateMember');
var UserIdParamSchema = z2.object({ userId: z2.string().min(1).max(64) });
var iso = (d) => (d ? d.toISOString() : null);
var SessionSchema = z2.object({ user: UserSchema }).openapi('Session');
var AcceptedInviteSchema = z2
  .object({ workspace: WorkspaceSummarySchema, role: RoleSchema })
  .openapi('AcceptedInvite');
var toWorkspaceDto = (w) => ({
  id: w.id,
  name: w.name,
  timezone: w.timezone,
  createdAt: w.createdAt.toISOString(),
});
var toApiKeyDto = (k) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});
var toInviteDto = (i) => ({
  id: i.id,
  role: i.role,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: iso(i.acceptedAt),
  revokedAt: iso(i.revokedAt),
});
var toMemberDto = (m) => ({
  userId: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  joinedAt: m.createdAt.toISOString(),
});

// src/db/repositories/users.ts
async function findUserByEmail(db, email) {
  return db
    .selectFrom('auth_user')
    .select(['id', 'email', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
}
async function findUser(db, id) {
  return db.selectFrom('auth_user').select(['id', 'email', 'name']).where('id', '=', id).executeTakeFirst();
}

// src/db/repositories/api-keys.ts
var COLUMNS = [
  'id',
  'workspace_id',
  'name',
  'role',
  'created_by_user_id',
  'created_at',
  'last_used_at',
  'revoked_at',
];
var toApiKey = (r) => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  role: r.role,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
async function insertApiKey(db, row) {
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
async function findApiKeyWithHash(db, id) {
  const r = await db
    .selectFrom('api_keys')
    .select([...COLUMNS, 'secret_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { key: toApiKey(r), secretHash: r.secret_hash };
}
async function findApiKey(db, workspaceId, id) {
  const r = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toApiKey(r);
}
async function listApiKeys(db, workspaceId) {
  const rows = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toApiKey);
}
async function revokeApiKey(db, workspaceId, id) {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: /* @__PURE__ */ new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}
async function touchApiKey(db, id) {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: /* @__PURE__ */ new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 6e4))]),
    )
    .execute();
}

// src/domain/roles.ts
var RANK = { member: 1, admin: 2, owner: 3 };
function hasRole(actual, required) {
  return RANK[actual] >= RANK[required];
}

// src/domain/api-keys.ts
var KEY_PATTERN = /^dpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
async function createApiKey(db, input) {
  const keyId = randomToken(8);
  const hexId = Buffer.from(keyId, 'base64url').toString('hex');
  const secretPart = randomToken(32);
  const apiKey = await insertApiKey(db, {
    id: `key_${hexId}`,
    workspaceId: input.workspaceId,
    name: input.name,
    role: input.role,
    secretHash: sha256Hex(secretPart),
    createdByUserId: input.createdByUserId,
  });
  return { apiKey, secret: `dpk_${hexId}_${secretPart}` };
}
async function createApiKeyAs(db, caller, input) {
  if (!hasRole(caller.role, input.role)) {
    throw new AppError('forbidden', `a ${caller.role} cannot create a ${input.role} key`);
  }
  return createApiKey(db, {
    workspaceId: caller.workspaceId,
    name: input.name,
    role: input.role,
    createdByUserId: caller.userId,
  });
}
async function authenticateApiKey(db, presented) {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return void 0;
  const found = await findApiKeyWithHash(db, `key_${m[1]}`);
  if (!found || found.key.revokedAt || !safeEqual(found.secretHash, sha256Hex(m[2] ?? ''))) return void 0;
  await touchApiKey(db, found.key.id);
  return found.key;
}
async function revokeApiKeyAs(db, caller, id) {
  const key = await findApiKey(db, caller.workspaceId, id);
  if (!key) throw new AppError('not_found', `no API key ${id} in this workspace`);
  if (key.role !== 'member' && caller.role !== 'owner' && key.id !== caller.apiKeyId) {
    throw new AppError('forbidden', `only the owner can revoke ${key.role} keys`);
  }
  await revokeApiKey(db, caller.workspaceId, id);
}
async function revokeApiKeyById(db, id) {
  const found = await findApiKeyWithHash(db, id);
  if (!found) throw new AppError('not_found', `no API key ${id}`);
  await revokeApiKey(db, found.key.workspaceId, id);
  return found.key;
}
var listApiKeys2 = listApiKeys;

// src/db/repositories/invites.ts
var COLUMNS2 = [
  'id',
  'workspace_id',
  'role',
  'created_by_user_id',
  'created_at',
  'expires_at',
  'accepted_at',
  'accepted_by_user_id',
  'revoked_at',
];
var toInvite = (r) => ({
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
async function insertInvite(db, row) {
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
    .returning(COLUMNS2)
    .executeTakeFirstOrThrow();
  return toInvite(r);
}
async function findInviteByTokenHash(db, tokenHash) {
  const r = await db
    .selectFrom('invites')
    .select(COLUMNS2)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && toInvite(r);
}
async function listInvites(db, workspaceId) {
  const rows = await db
    .selectFrom('invites')
    .select(COLUMNS2)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toInvite);
}
async function revokeInvite(db, workspaceId, id) {
  const r = await db
    .updateTable('invites')
    .set({ revoked_at: /* @__PURE__ */ new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
async function markInviteAccepted(db, id, userId) {
  const r = await db
    .updateTable('invites')
    .set({ accepted_at: /* @__PURE__ */ new Date(), accepted_by_user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// src/db/repositories/memberships.ts
async function insertMembership(db, row) {
  await db
    .insertInto('memberships')
    .values({ workspace_id: row.workspaceId, user_id: row.userId, role: row.role })
    .execute();
}
async function findMembership(db, workspaceId, userId) {
  const r = await db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r && { workspaceId: r.workspace_id, userId: r.user_id, role: r.role, createdAt: r.created_at };
}
async function findFirstMembership(db, userId) {
  const r = await db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return r && { workspaceId: r.workspace_id, userId: r.user_id, role: r.role, createdAt: r.created_at };
}
async function listMembers(db, workspaceId) {
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
async function updateMembershipRole(db, workspaceId, userId, role) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}
async function deleteMembership(db, workspaceId, userId) {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

// src/db/repositories/workspaces.ts
async function insertWorkspace(db, row) {
  const r = await db.insertInto('workspaces').values(row).returningAll().executeTakeFirstOrThrow();
  return { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}
async function findWorkspace(db, id) {
  const r = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}
async function updateWorkspace(db, id, patch) {
  const r = await db
    .updateTable('workspaces')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}

// src/domain/workspaces.ts
var INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1e3;
async function createWorkspace(db, input) {
  return db.transaction().execute(async (trx) => {
    const ws = await insertWorkspace(trx, { id: newId('ws'), name: input.name });
    await insertMembership(trx, { workspaceId: ws.id, userId: input.ownerUserId, role: 'owner' });
    return ws;
  });
}
var findWorkspace2 = findWorkspace;
var findUser2 = findUser;
var findMembership2 = findMembership;
var findFirstMembership2 = findFirstMembership;
async function updateWorkspaceAs(db, caller, patch) {
  if (patch.timezone !== void 0 && !isValidTimezone(patch.timezone)) {
    throw new AppError('invalid_body', 'invalid request body', [
      { path: 'timezone', message: 'must be an IANA timezone like Europe/London' },
    ]);
  }
  return updateWorkspace(db, caller.workspaceId, {
    ...(patch.name !== void 0 ? { name: patch.name } : {}),
    ...(patch.timezone !== void 0 ? { timezone: patch.timezone } : {}),
  });
}
var listMembers2 = listMembers;
var listInvites2 = listInvites;
async function createInvite(db, caller, input) {
  const token = randomToken(32);
  const invite = await insertInvite(db, {
    id: newId('inv'),
    workspaceId: caller.workspaceId,
    role: input.role,
    tokenHash: sha256Hex(token),
    createdByUserId: caller.userId,
    expiresAt: new Date(Date.now() + INVITE_TTL_MS),
  });
  return { invite, token };
}
async function revokeInvite2(db, caller, id) {
  if (!(await revokeInvite(db, caller.workspaceId, id))) {
    throw new AppError('not_found', `no pending invite ${id} in this workspace`);
  }
}
async function acceptInvite(db, input) {
  return db.transaction().execute(async (trx) => {
    const invite = await findInviteByTokenHash(trx, sha256Hex(input.token));
    if (!invite || invite.revokedAt) throw new AppError('not_found', 'invite not found');
    if (invite.acceptedAt) throw new AppError('invite_used', 'this invite has already been used');
    if (invite.expiresAt.getTime() <= Date.now())
      throw new AppError('invite_expired', 'this invite has expired');
    if (await findMembership(trx, invite.workspaceId, input.userId)) {
      throw new AppError('conflict', 'you are already a member of this workspace');
    }
    if (!(await markInviteAccepted(trx, invite.id, input.userId))) {
      throw new AppError('invite_used', 'this invite has already been used');
    }
    await insertMembership(trx, {
      workspaceId: invite.workspaceId,
      userId: input.userId,
      role: invite.role,
    });
    const workspace = await findWorkspace(trx, invite.workspaceId);
    if (!workspace) throw new AppError('not_found', 'invite not found');
    return { workspace, role: invite.role };
  });
}
async function changeMemberRole(db, caller, userId, role) {
  if (caller.role !== 'owner') throw new AppError('forbidden', 'only the owner changes roles');
  const target = await findMembership(db, caller.workspaceId, userId);
  if (!target) throw new AppError('not_found', `no member ${userId} in this workspace`);
  if (target.role === 'owner') throw new AppError('forbidden', "the owner's role cannot be changed");
  await updateMembershipRole(db, caller.workspaceId, userId, role);
}
async function removeMember(db, caller, userId) {
  const target = await findMembership(db, caller.workspaceId, userId);
  if (!target) throw new AppError('not_found', `no member ${userId} in this workspace`);
  if (target.role === 'owner') throw new AppError('forbidden', 'the owner cannot be removed');
  if (caller.role !== 'owner' && target.role !== 'member') {
    throw new AppError('forbidden', 'admins can remove members only');
  }
  await deleteMembership(db, caller.workspaceId, userId);
}

export {
  ErrorResponseSchema,
  IdParamSchema,
  SignUpBodySchema,
  SignInBodySchema,
  MeSchema,
  CreateWorkspaceBodySchema,
  WorkspaceSchema,
  CreateApiKeyBodySchema,
  ApiKeySchema,
  CreatedApiKeySchema,
  CreateInviteBodySchema,
  InviteSchema,
  CreatedInviteSchema,
  AcceptInviteBodySchema,
  MemberSchema,
  UpdateMemberBodySchema,
  UserIdParamSchema,
  SessionSchema,
  AcceptedInviteSchema,
  toWorkspaceDto,
  toApiKeyDto,
  toInviteDto,
  toMemberDto,
  findUserByEmail,
  hasRole,
  createApiKey,
  createApiKeyAs,
  authenticateApiKey,
  revokeApiKeyAs,
  revokeApiKeyById,
  listApiKeys2 as listApiKeys,
  findWorkspace,
  createWorkspace,
  findWorkspace2,
  findUser2 as findUser,
  findMembership2 as findMembership,
  findFirstMembership2 as findFirstMembership,
  updateWorkspaceAs,
  listMembers2 as listMembers,
  listInvites2 as listInvites,
  createInvite,
  revokeInvite2 as revokeInvite,
  acceptInvite,
  changeMemberRole,
  removeMember,
};
//# sourceMappingURL=chunk-WD5DCS6Y.js.map
