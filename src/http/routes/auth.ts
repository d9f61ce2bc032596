import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { SessionSchema, SignInBodySchema, SignUpBodySchema } from '../../contracts/identity.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';

const signUp = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-up',
  tags: ['Auth'],
  summary: 'Create an account and sign in (sets the session cookie)',
  request: { body: { ...json(SignUpBodySchema), required: true } },
  responses: {
    201: { description: 'Signed up', ...json(SessionSchema) },
    409: { description: 'Email taken' },
  },
});

const signIn = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-in',
  tags: ['Auth'],
  summary: 'Sign in with email and password (sets the session cookie)',
  request: { body: { ...json(SignInBodySchema), required: true } },
  responses: { 200: { description: 'Signed in', ...json(SessionSchema) } },
});

const signOut = defineRoute('authenticated', {
  method: 'post',
  path: '/auth/sign-out',
  tags: ['Auth'],
  summary: 'End the session',
  responses: { 204: { description: 'Signed out' } },
});

/** better-auth answers with its own Response; we keep its cookies and speak our error contract. */
async function relay(
  c: Context<AppEnv>,
  res: Response,
  onError: (status: number, code: string) => AppError,
): Promise<{ user: { id: string; email: string; name: string } }> {
  const body = (await res.json().catch(() => ({}))) as {
    code?: string;
    user?: { id: string; email: string; name: string };
  };
  if (!res.ok || !body.user) throw onError(res.status, body.code ?? '');
  for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
  return { user: { id: body.user.id, email: body.user.email, name: body.user.name } };
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(signUp, async (c) => {
    const res = await c.var.deps.auth.api.signUpEmail({
      body: c.req.valid('json'),
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const session = await relay(c, res, (status, code) =>
      code.startsWith('USER_ALREADY_EXISTS') || status === 422
        ? new AppError('conflict', 'an account with this email already exists')
        : new AppError('invalid_body', 'could not create the account'),
    );
    return c.json(session, 201);
  });

  app.openapi(signIn, async (c) => {
    const res = await c.var.deps.auth.api.signInEmail({
      body: c.req.valid('json'),
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const session = await relay(c, res, () => new AppError('unauthenticated', 'wrong email or password'));
    return c.json(session, 200);
  });

  app.openapi(signOut, async (c) => {
    const res = await c.var.deps.auth.api.signOut({ headers: c.req.raw.headers, asResponse: true });
    for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    return c.body(null, 204);
  });
}
