import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { EmulatorContext } from '../shared/context.ts';
import { bearerToken } from '../shared/http.ts';
import type { AccessRecord } from '../shared/store.ts';
import { intercomError } from './errors.ts';

export const INTERCOM_ME_PATH = '/me';

// `intercom_version` enum of the official spec (https://github.com/intercom/Intercom-OpenAPI, descriptions/2.16)
// plus the Preview/Unstable channel.
const INTERCOM_VERSIONS = new Set([
  ...['1.0', '1.1', '1.2', '1.3', '1.4'],
  ...Array.from({ length: 17 }, (_, minor) => `2.${minor}`),
  'Preview',
  'Unstable',
]);

// The account was created before any test ran; a fixed instant keeps `/me` bodies comparable.
const APP_CREATED_AT = 1_700_000_000;

export type IntercomAuth = { ok: true; record: AccessRecord } | { ok: false; response: Response };

// 401 body of every operation in the spec: code "unauthorized", message "Access Token Invalid".
export function authenticateIntercom(c: Context, ctx: EmulatorContext): IntercomAuth {
  const token = bearerToken(c);
  const found = token === null ? null : ctx.store.findAccess(token, null);
  if (found?.ok) return found;
  return { ok: false, response: intercomError(c, 401, 'unauthorized', 'Access Token Invalid') };
}

/**
 * `Intercom-Version` is optional ("By default, it's equal to the version set in the app package"),
 * but an unknown value is rejected; the code name follows intercom-ruby's `ApiVersionInvalid` mapping.
 */
export function intercomVersionCheck(): MiddlewareHandler {
  return async (c, next) => {
    const version = c.req.header('intercom-version');
    if (version !== undefined && !INTERCOM_VERSIONS.has(version)) {
      return intercomError(c, 400, 'intercom_version_invalid', 'The requested version could not be found');
    }
    await next();
    return undefined;
  };
}

export function mountIntercomIdentity(app: Hono, ctx: EmulatorContext): void {
  // `GET /me` = `admin_with_app` of the official spec; `app.id_code` is the workspace id.
  app.get(INTERCOM_ME_PATH, (c) => {
    ctx.stats.identityRequests += 1;
    const found = authenticateIntercom(c, ctx);
    if (!found.ok) return found.response;
    const account = found.record.principal.account;
    return c.json({
      type: 'admin',
      id: '1000001',
      email: 'admin@example.com',
      name: 'Sandbox Admin',
      email_verified: true,
      app: {
        type: 'app',
        id_code: account.id,
        name: account.name,
        created_at: APP_CREATED_AT,
        secure: false,
        identity_verification: false,
        timezone: 'Europe/London',
        region: account.region ?? 'US',
      },
      avatar: { type: 'avatar', image_url: null },
      has_inbox_seat: true,
    });
  });
}
