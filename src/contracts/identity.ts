import { z } from '@hono/zod-openapi';
import { AssignableRoleSchema, RoleSchema, orNull } from './common.ts';

const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
/** The password policy's length bounds (the rest of the policy is src/domain/passwords.ts). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .openapi({
    description:
      'At least 12 characters, any characters; refused when common, a run like 123456…, or your email',
  });
const Name = z.string().trim().min(1).max(100);

export const SignUpBodySchema = z
  .strictObject({
    email: Email,
    password: Password,
    name: Name,
    inviteToken: z.string().min(1).max(128).optional().openapi({
      description:
        'The token of an invite link (`/invite#token=…`): required unless sign-up is open; joins its workspace',
    }),
  })
  .openapi('SignUp');
/**
 * The same answer whether the account was created or the email already had one, so sign-up never tells who has
 * an account. Either way the person signs in next.
 */
export const SignUpResponseSchema = z
  .object({
    next: z.literal('sign_in'),
    message: z.string(),
  })
  .openapi('SignedUp');
export const SignInBodySchema = z
  .strictObject({ email: Email, password: z.string().min(1).max(256) })
  .openapi('SignIn');

export const UserSchema = z.object({ id: z.string(), email: z.string(), name: z.string() }).openapi('User');
export const WorkspaceSummarySchema = z
  .object({ id: z.string(), name: z.string() })
  .openapi('WorkspaceSummary');

export const MeSchema = z
  .object({
    user: orNull(UserSchema),
    workspace: orNull(WorkspaceSummarySchema),
    role: orNull(RoleSchema),
    via: z.enum(['session', 'api_key']),
  })
  .openapi('Me');

export const CreateWorkspaceBodySchema = z.strictObject({ name: Name }).openapi('CreateWorkspace');
export const WorkspaceSchema = z
  .object({ id: z.string(), name: z.string(), timezone: z.string(), createdAt: z.iso.datetime() })
  .openapi('Workspace');

export const CreateApiKeyBodySchema = z
  .strictObject({ name: Name, role: AssignableRoleSchema })
  .openapi('CreateApiKey');
export const ApiKeyCreatorSchema = z
  .object({
    kind: z.enum(['user', 'api_key', 'system']),
    id: z.string().nullable().openapi({ description: 'The user id or key id; null for Deskpulse itself' }),
    label: z.string().openapi({ description: "The person's email, the key's name, or the command" }),
    isActive: z.boolean().openapi({
      description:
        'user: still a member of this workspace; api_key: that key is not revoked; system: always true',
    }),
  })
  .openapi('ApiKeyCreator');
export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    createdBy: ApiKeyCreatorSchema,
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('ApiKey');
export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The secret. Shown once; store it now.' }),
}).openapi('CreatedApiKey');

export const CreateInviteBodySchema = z.strictObject({ role: AssignableRoleSchema }).openapi('CreateInvite');
export const InviteSchema = z
  .object({
    id: z.string(),
    role: RoleSchema,
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    acceptedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('Invite');
export const CreatedInviteSchema = InviteSchema.extend({
  token: z.string(),
  url: z.string().openapi({ description: 'Single-use link; shown once. Expires in 7 days.' }),
}).openapi('CreatedInvite');
export const AcceptInviteBodySchema = z
  .strictObject({ token: z.string().min(1).max(128) })
  .openapi('AcceptInvite');

export const MemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .openapi('Member');
export const UpdateMemberBodySchema = z.strictObject({ role: AssignableRoleSchema }).openapi('UpdateMember');
export const UserIdParamSchema = z.object({ userId: z.string().min(1).max(64) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const SessionSchema = z.object({ user: UserSchema }).openapi('Session');

export const AcceptedInviteSchema = z
  .object({ workspace: WorkspaceSummarySchema, role: RoleSchema })
  .openapi('AcceptedInvite');

export const toWorkspaceDto = (w: {
  id: string;
  name: string;
  timezone: string;
  createdAt: Date;
}): z.infer<typeof WorkspaceSchema> => ({
  id: w.id,
  name: w.name,
  timezone: w.timezone,
  createdAt: w.createdAt.toISOString(),
});

export const toApiKeyDto = (k: {
  id: string;
  name: string;
  role: z.infer<typeof RoleSchema>;
  createdBy: z.infer<typeof ApiKeyCreatorSchema>;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): z.infer<typeof ApiKeySchema> => ({
  id: k.id,
  name: k.name,
  role: k.role,
  createdBy: {
    kind: k.createdBy.kind,
    id: k.createdBy.id,
    label: k.createdBy.label,
    isActive: k.createdBy.isActive,
  },
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export const toInviteDto = (i: {
  id: string;
  role: z.infer<typeof RoleSchema>;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}): z.infer<typeof InviteSchema> => ({
  id: i.id,
  role: i.role,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: iso(i.acceptedAt),
  revokedAt: iso(i.revokedAt),
});

export const toMemberDto = (m: {
  userId: string;
  email: string;
  name: string;
  role: z.infer<typeof RoleSchema>;
  createdAt: Date;
}): z.infer<typeof MemberSchema> => ({
  userId: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  joinedAt: m.createdAt.toISOString(),
});

export const SetupStatusSchema = z
  .object({
    needed: z
      .boolean()
      .openapi({ description: 'No workspace exists yet: the first visitor sets Deskpulse up' }),
    signUp: z
      .enum(['open', 'invite'])
      .openapi({ description: 'Whether accounts need an invite (DESKPULSE_SIGNUP)' }),
  })
  .openapi('SetupStatus');

export const SetupBodySchema = z
  .strictObject({
    workspaceName: Name,
    name: Name,
    email: Email,
    password: z.string().min(12, 'must be at least 12 characters').max(256),
  })
  .openapi('Setup');

export const SetupResultSchema = z
  .object({ user: UserSchema, workspace: WorkspaceSchema })
  .openapi('SetupResult');

export type Me = z.infer<typeof MeSchema>;
export type WorkspaceDto = z.infer<typeof WorkspaceSchema>;
export type ApiKeyDto = z.infer<typeof ApiKeySchema>;
export type CreatedApiKeyDto = z.infer<typeof CreatedApiKeySchema>;
export type InviteDto = z.infer<typeof InviteSchema>;
export type CreatedInviteDto = z.infer<typeof CreatedInviteSchema>;
export type MemberDto = z.infer<typeof MemberSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type SetupStatus = z.infer<typeof SetupStatusSchema>;
