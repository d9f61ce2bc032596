import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorResponseSchema } from '../../contracts/common.ts';
import {
  SessionSchema,
  SignInBodySchema,
  SignUpBodySchema,
  SignUpResponseSchema,
} from '../../contracts/identity.ts';
import { beginSignIn, signInFailed, signInSucceeded } from '../../domain/sign-in-guard.ts';
import { isAccountOf, signUp as signUpAccount } from '../../domain/sign-up.ts';
import { AppError } from '../../lib/app-error.ts';
import { clientAddress } from '../client-address.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { requestLogger } from '../request-logger.ts';

const signUp = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-up',
  tags: ['Auth'],
  summary:
    'Create an account (with an invite token unless sign-up is open); the same answer whether or not the email has one — sign in next',
  request: { body: { ...json(SignUpBodySchema), required: true } },
  responses: {
    202: {
      description: 'Done if the email was free; sign in next either way',
      ...json(SignUpResponseSchema),
    },
    403: { description: 'signup_invite_required: sign-up is by invitation', ...json(ErrorResponseSchema) },
    404: { description: 'The invite token is unknown or revoked', ...json(ErrorResponseSchema) },
    410: { description: 'invite_used or invite_expired', ...json(ErrorResponseSchema) },
  },
});

const signIn = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-in',
  tags: ['Auth'],
  summary: 'Sign in with email and password (sets the session cookie); failed attempts are rate limited',
  request: { body: { ...json(SignInBodySchema), required: true } },
  responses: {
    200: { description: 'Signed in', ...json(SessionSchema) },
    401: { description: 'Wrong email or password', ...json(ErrorResponseSchema) },
    429: {
      description:
        'rate_limited: too many failed sign-ins for this account or from this address; see Retry-After',
      ...json(ErrorResponseSchema),
    },
  },
});

const signOut = defineRoute('authenticated', {
  method: 'post',
  path: '/auth/sign-out',
  tags: ['Auth'],
  summary: 'End the session',
  responses: { 204: { description: 'Signed out' } },
});

type BetterAuthBody = { code?: string; user?: { id: string; email: string; name: string } };
const readBody = async (res: Response) => (await res.json().catch(() => ({}))) as BetterAuthBody;

/** better-auth answers with its own Response; we keep its cookies and speak our error contract. */
function relaySession(c: Context<AppEnv>, res: Response, body: BetterAuthBody) {
  if (!body.user) throw new Error(`better-auth answered ${res.status} without a user`);
  for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
  return { user: { id: body.user.id, email: body.user.email, name: body.user.name } };
}

/** A refusal of better-auth's own checks, in our contract; anything else it refuses is a bug (generic 500). */
function signUpRefusal(status: number, code: string | undefined): Error {
  if (status === 400 && code?.startsWith('PASSWORD_TOO_')) {
    return new AppError('invalid_body', 'invalid request body', [
      { path: 'password', message: 'must be 12 to 256 characters' },
    ]);
  }
  if (status === 400 && code === 'INVALID_EMAIL') {
    return new AppError('invalid_body', 'invalid request body', [
      { path: 'email', message: 'invalid email' },
    ]);
  }
  return new Error(`better-auth refused a sign-up: ${status} ${code ?? ''}`);
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(signUp, async (c) => {
    const { db, config, auth } = c.get('deps');
    const result = await signUpAccount({ db, config }, c.req.valid('json'), async (account) => {
      // With autoSignIn off better-auth answers a taken email like a new one (a made-up user, a password hashed
      // all the same, no cookie), so our answer cannot differ either.
      const res = await auth.api.signUpEmail({ body: account, headers: c.req.raw.headers, asResponse: true });
      const body = await readBody(res);
      if (!res.ok || !body.user) throw signUpRefusal(res.status, body.code);
      return { created: await isAccountOf(db, account.email, body.user.id), userId: body.user.id };
    });
    return c.json(result, 202);
  });

  app.openapi(signIn, async (c) => {
    const { db, config, auth } = c.get('deps');
    const credentials = c.req.valid('json');
    const deps = { db, logger: requestLogger(c) };
    const address = clientAddress(c, config.auth.trustedProxies);
    // Refused here (429) before any password hash is computed when the account or address is over its limit.
    const attempt = await beginSignIn(deps, config.auth.signIn, { email: credentials.email, address });
    const res = await auth.api.signInEmail({
      body: credentials,
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const body = await readBody(res);
    if (!res.ok || !body.user) {
      await signInFailed(deps, attempt, credentials.email);
      throw new AppError('unauthenticated', 'wrong email or password');
    }
    await signInSucceeded(db, attempt);
    return c.json(relaySession(c, res, body), 200);
  });

  app.openapi(signOut, async (c) => {
    const res = await c.get('deps').auth.api.signOut({ headers: c.req.raw.headers, asResponse: true });
    for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    return c.body(null, 204);
  });
}
