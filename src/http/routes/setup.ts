import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  SetupBodySchema,
  SetupResultSchema,
  SetupStatusSchema,
  toWorkspaceDto,
} from '../../contracts/identity.ts';
import { assertNotSetUp, createFirstWorkspace, isSetUp } from '../../domain/setup.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';

const status = defineRoute('public', {
  method: 'get',
  path: '/setup',
  operationId: 'getSetupStatus',
  tags: ['Auth'],
  summary: 'Whether this installation still needs its first-run setup',
  responses: { 200: { description: 'Setup status', ...json(SetupStatusSchema) } },
});

const setup = defineRoute('public', {
  method: 'post',
  path: '/setup',
  operationId: 'setUp',
  tags: ['Auth'],
  summary: 'First-run setup: the first workspace and its Owner, signed in (only while no workspace exists)',
  request: { body: { ...json(SetupBodySchema), required: true } },
  responses: {
    201: { description: 'Set up; the session cookie is set', ...json(SetupResultSchema) },
    409: { description: 'Already set up' },
  },
});

export function registerSetupRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(status, async (c) =>
    c.json({ needed: !(await isSetUp(c.var.deps.db)), signUp: c.var.deps.config.signUp }, 200),
  );

  app.openapi(setup, async (c) => {
    const { db, auth } = c.var.deps;
    const body = c.req.valid('json');
    await assertNotSetUp(db);
    const res = await auth.api.signUpEmail({
      body: { email: body.email, password: body.password, name: body.name },
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const created = (await res.json().catch(() => ({}))) as {
      user?: { id: string; email: string; name: string };
    };
    if (!res.ok || !created.user) {
      throw new AppError('invalid_body', 'could not create the account: sign in if it exists already');
    }
    const workspace = await createFirstWorkspace(db, {
      name: body.workspaceName,
      ownerUserId: created.user.id,
    });
    for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    const { id, email, name } = created.user;
    return c.json({ user: { id, email, name }, workspace: toWorkspaceDto(workspace) }, 201);
  });
}
