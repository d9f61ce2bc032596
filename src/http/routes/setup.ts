import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  SetupBodySchema,
  SetupResultSchema,
  SetupStatusSchema,
  toWorkspaceDto,
} from '../../contracts/identity.ts';
import { assertAcceptablePassword } from '../../domain/passwords.ts';
import { assertNotSetUp, createFirstWorkspace, isSetUp } from '../../domain/setup.ts';
import { isAccountOf } from '../../domain/sign-up.ts';
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
    c.json({ needed: !(await isSetUp(c.get('deps').db)), signUp: c.get('deps').config.signUp }, 200),
  );

  app.openapi(setup, async (c) => {
    const { db, auth } = c.get('deps');
    const body = c.req.valid('json');
    await assertNotSetUp(db);
    // The one password policy (src/domain/passwords.ts), as for sign-up and `deskpulse workspace create`.
    await assertAcceptablePassword(body.password, { email: body.email });
    const res = await auth.api.signUpEmail({
      body: { email: body.email, password: body.password, name: body.name },
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const created = (await res.json().catch(() => ({}))) as {
      user?: { id: string; email: string; name: string };
    };
    // better-auth answers a taken email with a made-up user (sign-up never tells who has an account).
    if (!res.ok || !created.user || !(await isAccountOf(db, body.email, created.user.id))) {
      throw new AppError('invalid_body', 'could not create the account: sign in if it exists already');
    }
    const workspace = await createFirstWorkspace(db, {
      name: body.workspaceName,
      ownerUserId: created.user.id,
    });
    // Sign-up never signs in (src/auth/better-auth.ts): the owner's session comes from signing in.
    const session = await auth.api.signInEmail({
      body: { email: body.email, password: body.password },
      headers: c.req.raw.headers,
      asResponse: true,
    });
    for (const cookie of session.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    const { id, email, name } = created.user;
    return c.json({ user: { id, email, name }, workspace: toWorkspaceDto(workspace) }, 201);
  });
}
