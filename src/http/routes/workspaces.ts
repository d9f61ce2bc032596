import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { IdParamSchema } from '../../contracts/common.ts';
import {
  AcceptedInviteSchema,
  AcceptInviteBodySchema,
  CreatedInviteSchema,
  CreateInviteBodySchema,
  CreateWorkspaceBodySchema,
  InviteSchema,
  MemberSchema,
  MeSchema,
  UpdateMemberBodySchema,
  toInviteDto,
  toMemberDto,
  toWorkspaceDto,
  UserIdParamSchema,
  WorkspaceSchema,
} from '../../contracts/identity.ts';
import * as workspaces from '../../domain/workspaces.ts';
import { principalOf, sessionUserOf, workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { cachedJson } from '../read-cache.ts';

const me = defineRoute('authenticated', {
  method: 'get',
  path: '/me',
  operationId: 'getMe',
  tags: ['Identity'],
  summary: "The caller's user, workspace and role",
  responses: { 200: { description: 'Who you are', ...json(MeSchema) } },
});

const createWorkspace = defineRoute('authenticated', {
  method: 'post',
  path: '/workspaces',
  operationId: 'createWorkspace',
  tags: ['Identity'],
  summary: 'Create a workspace; the signed-in caller becomes its Owner',
  request: { body: { ...json(CreateWorkspaceBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...json(WorkspaceSchema) } },
});

const listMembers = defineRoute('member', {
  method: 'get',
  path: '/members',
  operationId: 'listMembers',
  tags: ['Members'],
  summary: "The workspace's teammates",
  responses: { 200: { description: 'Members', ...json(z.object({ members: z.array(MemberSchema) })) } },
});

const updateMember = defineRoute('owner', {
  method: 'patch',
  path: '/members/{userId}',
  operationId: 'changeMemberRole',
  tags: ['Members'],
  summary: "Change a teammate's role (Owner only)",
  request: { params: UserIdParamSchema, body: { ...json(UpdateMemberBodySchema), required: true } },
  responses: { 204: { description: 'Changed' } },
});

const removeMember = defineRoute('admin', {
  method: 'delete',
  path: '/members/{userId}',
  operationId: 'removeMember',
  tags: ['Members'],
  summary: 'Remove a teammate (Owner: anyone but themselves; Admin: members only)',
  request: { params: UserIdParamSchema },
  responses: { 204: { description: 'Removed' } },
});

const createInvite = defineRoute('admin', {
  method: 'post',
  path: '/invites',
  operationId: 'createInvite',
  tags: ['Members'],
  summary: 'Create a single-use invite link carrying a role (expires in 7 days)',
  request: { body: { ...json(CreateInviteBodySchema), required: true } },
  responses: { 201: { description: 'Created; the link is shown once', ...json(CreatedInviteSchema) } },
});

const listInvites = defineRoute('admin', {
  method: 'get',
  path: '/invites',
  operationId: 'listInvites',
  tags: ['Members'],
  summary: 'Invites of this workspace',
  responses: { 200: { description: 'Invites', ...json(z.object({ invites: z.array(InviteSchema) })) } },
});

const revokeInvite = defineRoute('admin', {
  method: 'delete',
  path: '/invites/{id}',
  operationId: 'revokeInvite',
  tags: ['Members'],
  summary: 'Revoke a pending invite',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' } },
});

const acceptInvite = defineRoute(
  'authenticated',
  {
    method: 'post',
    path: '/invites/accept',
    operationId: 'acceptInvite',
    tags: ['Members'],
    summary: 'Join the workspace of an invite (signed-in user)',
    request: { body: { ...json(AcceptInviteBodySchema), required: true } },
    responses: { 200: { description: 'Joined', ...json(AcceptedInviteSchema) } },
  },
  {
    not_found: 'no such invite, or it was revoked',
    conflict: 'you are already a member of this workspace',
    invite_expired: 'the invite has expired',
    invite_used: 'the invite was already used',
  },
);

export function registerWorkspaceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(me, (c) => {
    const p = principalOf(c);
    const { db } = c.get('deps');
    // Everything the answer shows of the caller is in the key.
    return cachedJson(c, ['me', p.kind, p.userId, p.workspaceId, p.role].join('\n'), async () => {
      const user = p.userId ? await workspaces.findUser(db, p.userId) : undefined;
      const ws = p.workspaceId ? await workspaces.findWorkspace(db, p.workspaceId) : undefined;
      return {
        user: user ? { id: user.id, email: user.email, name: user.name } : null,
        workspace: ws ? { id: ws.id, name: ws.name } : null,
        role: p.role,
        via: p.kind,
      };
    });
  });

  app.openapi(createWorkspace, async (c) => {
    const { userId } = sessionUserOf(c);
    const ws = await workspaces.createWorkspace(c.get('deps').db, {
      name: c.req.valid('json').name,
      ownerUserId: userId,
    });
    return c.json(toWorkspaceDto(ws), 201);
  });

  app.openapi(listMembers, async (c) => {
    const members = await workspaces.listMembers(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    return c.json({ members: members.map(toMemberDto) }, 200);
  });

  app.openapi(updateMember, async (c) => {
    const { userId } = c.req.valid('param');
    await workspaces.changeMemberRole(
      c.get('deps').db,
      workspacePrincipalOf(c),
      userId,
      c.req.valid('json').role,
    );
    return c.body(null, 204);
  });

  app.openapi(removeMember, async (c) => {
    await workspaces.removeMember(c.get('deps').db, workspacePrincipalOf(c), c.req.valid('param').userId);
    return c.body(null, 204);
  });

  app.openapi(createInvite, async (c) => {
    const { invite, token } = await workspaces.createInvite(
      c.get('deps').db,
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    const url = `${c.get('deps').config.publicUrl}/invite#token=${token}`;
    return c.json({ ...toInviteDto(invite), token, url }, 201);
  });

  app.openapi(listInvites, async (c) => {
    const invites = await workspaces.listInvites(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    return c.json({ invites: invites.map(toInviteDto) }, 200);
  });

  app.openapi(revokeInvite, async (c) => {
    await workspaces.revokeInvite(c.get('deps').db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(acceptInvite, async (c) => {
    const { userId, email } = sessionUserOf(c);
    const { workspace, role } = await workspaces.acceptInvite(c.get('deps').db, {
      token: c.req.valid('json').token,
      userId,
      email,
    });
    return c.json({ workspace: { id: workspace.id, name: workspace.name }, role }, 200);
  });
}
