import { AsyncLocalStorage } from 'node:async_hooks';
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
  const auth = betterAuth({
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
  return { ...auth, api: quietWhenIdle(auth.api) };
}

/**
 * better-auth keeps its request and transaction state in AsyncLocalStorage instances it makes on first use, in
 * `globalThis[Symbol.for('better-auth:global')].context`. On Node 20 an enabled AsyncLocalStorage runs async hooks
 * on every promise of the process from then on: bench/api measured `/healthz` at 9,975 req/s before the first
 * sign-in and about 5,500 after it. So the calls into better-auth are counted, and when none is in flight its
 * storages are disabled (https://nodejs.org/docs/latest-v20.x/api/async_context.html#asynclocalstoragedisable):
 * nothing reads them between calls, and the next call's `run()` enables them again.
 */
function quietWhenIdle<T extends object>(api: T): T {
  let inFlight = 0;
  const quiet = () => {
    const global = (globalThis as Record<symbol, { context?: Record<string, unknown> } | undefined>)[
      Symbol.for('better-auth:global')
    ];
    for (const storage of Object.values(global?.context ?? {})) {
      if (storage instanceof AsyncLocalStorage) storage.disable();
    }
  };
  return new Proxy(api, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        inFlight += 1;
        try {
          return (await Reflect.apply(value, target, args)) as unknown;
        } finally {
          inFlight -= 1;
          if (inFlight === 0) quiet();
        }
      };
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
