import type { Context, Hono } from 'hono';
import { authorizeHandler, type AuthorizeRules } from '../shared/authorize.ts';
import type { EmulatorContext } from '../shared/context.ts';
import { oauthPrincipal, redeemCode } from '../shared/grants.ts';
import { authenticateClient, noStore, readParams } from '../shared/http.ts';
import { randomBase64, randomHex } from '../shared/random.ts';
import { intercomError } from './errors.ts';
import { authenticateIntercom } from './identity.ts';

// Setup and token exchange: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
export const INTERCOM_AUTHORIZE_PATH = '/oauth';
export const INTERCOM_TOKEN_PATH = '/auth/eagle/token';
// https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/installing-uninstalling-apps#revoking-access
export const INTERCOM_UNINSTALL_PATH = '/auth/uninstall';

// "Code lifetime about 5 minutes": https://intercom-developer-hub.readme.io/reference/using-oauth
const CODE_LIFETIME_SECONDS = 300;

export function intercomAuthorizeRules(ctx: EmulatorContext): AuthorizeRules {
  return {
    providerName: 'Intercom',
    // redirect_uri is optional; the first registered URL is the default: https://intercom-developer-hub.readme.io/reference/using-oauth
    isRedirectUriRequired: false,
    // The documented authorize URL has no response_type: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
    isResponseTypeRequired: false,
    // No scope parameter; permissions are checkboxes on the app. The emulator rejects one so a client bug shows.
    checkScope: (scope) =>
      scope === undefined
        ? { ok: true, granted: '' }
        : { ok: false, description: 'Intercom takes no scope parameter; permissions are set on the app.' },
    // PKCE is not documented by Intercom, so challenge parameters are ignored as unknown parameters.
    pkce: 'ignored',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
    // "The code may contain a = at the end which needs to be included": padded base64 exercises that.
    mintCode: () => randomBase64(16),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}

export function mountIntercomOAuth(app: Hono, ctx: EmulatorContext): void {
  app.on(['GET', 'POST'], INTERCOM_AUTHORIZE_PATH, authorizeHandler(ctx, intercomAuthorizeRules(ctx)));

  // Body params code, client_id, client_secret; no grant_type, no Basic header, no redirect_uri.
  app.post(INTERCOM_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return intercomError(c, 400, 'parameter_invalid', 'Unsupported request body');
    const client = authenticateClient(ctx, params.client_id, params.client_secret);
    if (!client) return intercomError(c, 401, 'unauthorized', 'Client authentication failed');
    // Intercom has no refresh grant, so forceInvalidGrant fails the only grant it has: the code exchange.
    if (ctx.knobs.forceInvalidGrant) return unauthorizedCode(c);
    const redeemed = redeemCode(ctx, {
      code: params.code,
      clientId: client.clientId,
      realm: null,
      redirectUri: undefined,
      isRedirectUriChecked: false,
      codeVerifier: undefined,
      isPkceChecked: false,
    });
    if (!redeemed.ok) return unauthorizedCode(c);
    const token = mintIntercomToken();
    // Tokens never expire and there is no refresh token: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
    ctx.store.addAccess(token, oauthPrincipal(ctx, redeemed.record), null, null);
    noStore(c);
    return c.json({ token_type: 'Bearer', token, access_token: token });
  });

  // Bearer + empty JSON body revokes the token and uninstalls the app.
  app.post(INTERCOM_UNINSTALL_PATH, (c) => {
    ctx.stats.revocations += 1;
    const found = authenticateIntercom(c, ctx);
    if (!found.ok) return found.response;
    ctx.store.revokeGrant(found.record.principal.grantId);
    return c.json({});
  });
}

// A mangled or reused code answers 401 "Unauthorized Code": https://intercom-developer-hub.readme.io/reference/using-oauth
function unauthorizedCode(c: Context): Response {
  noStore(c);
  return intercomError(c, 401, 'unauthorized', 'Unauthorized Code');
}

/** Intercom tokens are base64 of `tok:<hex id>:1:0` (the documented example starts `dG9rOjBiM`). */
function mintIntercomToken(): string {
  const hex = randomHex(16);
  const id = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join(
    '_',
  );
  return Buffer.from(`tok:${id}:1:0`).toString('base64');
}
