// src/auth/better-auth.ts
import { betterAuth } from 'better-auth';
var MIN_PASSWORD_LENGTH = 10;
function createAuth(options) {
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
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 256 },
    advanced: {
      cookiePrefix: 'deskpulse',
      // httpOnly + SameSite=Lax always; Secure whenever we are served over https.
      useSecureCookies: options.publicUrl.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    logger: {
      log: (level, message) => log[level](message),
    },
  });
}

export { MIN_PASSWORD_LENGTH, createAuth };
//# sourceMappingURL=chunk-YP73SNSN.js.map
