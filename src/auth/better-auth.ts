import { betterAuth } from 'better-auth';
import type pg from 'pg';
import { accessChanged } from '../lib/access-epoch.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * A backstop only: the password policy is src/domain/passwords.ts (its bounds in src/contracts/identity.ts),
 * checked before better-auth is called; src/domain/passwords.test.ts keeps these equal.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** better-auth logs some messages with the email in them ("Sign-up attempt for existing email: …"). */
const EMAIL = /[^\s@:]+@[^\s@]+/g;
export const redactEmails = (message: string) => message.replace(EMAIL, '[email]');

/**
 * Password hashing, sessions and the session cookie are better-auth's (https://www.better-auth.com/docs).
 * Workspaces, roles, invites and API keys are ours (see ARCHITECTURE.md): the reference product's invite links
 * carry the role and are redeemable by anyone holding them, which better-auth's organization plugin does not do.
 */
export function createAuth(options: { pool: pg.Pool; secret: string; publicUrl: string; logger: Logger }) {
  const log = options.logger.child({ component: 'better-auth' });
  return betterAuth({
    database: options.pool,
    secret: options.secret,
    baseURL: options.publicUrl,
    basePath: '/auth',
    telemetry: { enabled: false },
    trustedOrigins: [options.publicUrl],
    user: { modelName: 'auth_user' },
    session: { modelName: 'auth_session', expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    account: { modelName: 'auth_account' },
    verification: { modelName: 'auth_verification' },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      // Sign-up never signs in: with a session for new accounts only, the cookie would tell who already has one.
      // better-auth then also answers a taken email like a new one (https://www.better-auth.com/docs/authentication/email-password).
      autoSignIn: false,
    },
    advanced: {
      cookiePrefix: 'deskpulse',
      // httpOnly + SameSite=Lax always; Secure whenever we are served over https.
      useSecureCookies: options.publicUrl.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    logger: {
      log: (level, message) => log[level](redactEmails(message)),
    },
    // A sign-out must end the session at once in this process's cache of sessions (src/http/authorize.ts).
    databaseHooks: { session: { delete: { after: () => Promise.resolve(accessChanged()) } } },
  });
}

export type Auth = ReturnType<typeof createAuth>;
