import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { authorizeHandler, type AuthorizeRules } from '../shared/authorize.ts';
import type { EmulatorContext } from '../shared/context.ts';
import {
  CodeGrantSchema as StandardCodeGrant,
  oauthPrincipal,
  redeemCodeGrant,
  redeemRefreshToken,
  RefreshGrantSchema as StandardRefreshGrant,
} from '../shared/grants.ts';
import { authenticateClient, noStore, oauthError, readParams } from '../shared/http.ts';
import { randomHex } from '../shared/random.ts';
import type { Principal } from '../shared/store.ts';
import { zendeskInvalidClient, zendeskInvalidGrant } from './errors.ts';

// Paths are relative to https://{subdomain}.zendesk.com, served here under /{subdomain}.
// Authorize: https://developer.zendesk.com/documentation/ticketing/working-with-oauth/oauth-pkce
export const ZENDESK_AUTHORIZE_PATH = '/:subdomain/oauth/authorizations/new';
// Token: https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
export const ZENDESK_TOKEN_PATH = '/:subdomain/oauth/tokens';

// "The code is valid for only 120 seconds" (grant_type_tokens page).
const CODE_LIFETIME_SECONDS = 120;
// expires_in "must be more than 300 seconds and less than 172,800 seconds"; "Defaults to null" (no expiry).
const ACCESS_MIN_SECONDS = 300;
const ACCESS_MAX_SECONDS = 172_800;
// refresh_token_expires_in: more than 7 days, less than 90 days, default 30 days (same page).
const REFRESH_MIN_SECONDS = 604_800;
const REFRESH_MAX_SECONDS = 7_776_000;
const REFRESH_DEFAULT_SECONDS = 2_592_000;

const Lifetimes = {
  expires_in: z.coerce.number().int().optional(),
  refresh_token_expires_in: z.coerce.number().int().optional(),
};
const CodeGrantSchema = StandardCodeGrant.extend(Lifetimes);
const RefreshGrantSchema = StandardRefreshGrant.extend(Lifetimes);
type Lifetimes = { expires_in?: number | undefined; refresh_token_expires_in?: number | undefined };

export function zendeskAuthorizeRules(): AuthorizeRules {
  return {
    providerName: 'Zendesk',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // "You must specify a scope"; `read` covers every GET. Zendesk itself would issue a token for a bad scope
    // and answer 403 later; the emulator refuses at once so a client bug shows.
    checkScope: (scope) =>
      scope !== undefined && scope.split(' ').includes('read')
        ? { ok: true, granted: scope }
        : { ok: false, description: 'scope must include read.' },
    // S256 only: https://developer.zendesk.com/documentation/ticketing/working-with-oauth/oauth-pkce
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
    mintCode: () => randomHex(32),
    realmOf: (c) => c.req.param('subdomain') ?? null,
    accountFor: (realm) => ({ id: realm ?? '', name: realm ?? '' }),
  };
}

export function mountZendeskOAuth(app: Hono, ctx: EmulatorContext): void {
  app.on(['GET', 'POST'], ZENDESK_AUTHORIZE_PATH, authorizeHandler(ctx, zendeskAuthorizeRules()));

  // "The POST request takes the following parameters, which must be formatted as JSON"; form is accepted too.
  app.post(ZENDESK_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const subdomain = c.req.param('subdomain');
    const params = await readParams(c, ['json', 'form']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;
    // client_id and client_secret travel in the body; one OAuth client serves every subdomain here, as a
    // global (zdg-) client does: https://developer.zendesk.com/documentation/marketplace/building-a-marketplace-app/set-up-a-global-oauth-client/
    const client = authenticateClient(ctx, params.client_id, params.client_secret);
    if (!client) return zendeskInvalidClient(c);

    const codeGrant = CodeGrantSchema.safeParse(params);
    if (codeGrant.success) {
      const lifetimes = checkLifetimes(codeGrant.data);
      if (typeof lifetimes === 'string') return oauthError(c, 400, 'invalid_request', lifetimes);
      // redirect_uri is "for ID purposes only" but must match the authorization request.
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId, subdomain);
      if (!redeemed.ok) return zendeskInvalidGrant(c);
      return issuePair(c, ctx, oauthPrincipal(ctx, redeemed.record), lifetimes);
    }

    const refreshGrant = RefreshGrantSchema.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) return zendeskInvalidGrant(c);
      const lifetimes = checkLifetimes(refreshGrant.data);
      if (typeof lifetimes === 'string') return oauthError(c, 400, 'invalid_request', lifetimes);
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, subdomain);
      if (!redeemed.ok) return zendeskInvalidGrant(c);
      // Refresh "returns a new access token and refresh token while invalidating the previous access and
      // refresh tokens": https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
      ctx.store.deleteRefresh(redeemed.record.token);
      ctx.store.deleteAccessPairedWith(redeemed.record.token);
      return issuePair(c, ctx, redeemed.record.principal, lifetimes);
    }

    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    // client_credentials exists at Zendesk but is not emulated: Deskpulse acts for a user.
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });
}

interface CheckedLifetimes {
  accessSeconds: number | null;
  refreshSeconds: number;
}

function checkLifetimes(input: Lifetimes): CheckedLifetimes | string {
  const access = input.expires_in;
  if (access !== undefined && (access <= ACCESS_MIN_SECONDS || access >= ACCESS_MAX_SECONDS)) {
    return `expires_in must be more than ${ACCESS_MIN_SECONDS} and less than ${ACCESS_MAX_SECONDS}.`;
  }
  const refresh = input.refresh_token_expires_in ?? REFRESH_DEFAULT_SECONDS;
  if (
    refresh <= REFRESH_MIN_SECONDS ||
    refresh >= REFRESH_MAX_SECONDS ||
    (access !== undefined && refresh <= access)
  ) {
    return `refresh_token_expires_in must be more than ${REFRESH_MIN_SECONDS} and expires_in, and less than ${REFRESH_MAX_SECONDS}.`;
  }
  return { accessSeconds: access ?? null, refreshSeconds: refresh };
}

// 201 with `OAuthTokenForGrantTypesObject` fields (official OAS, POST /oauth/tokens).
function issuePair(
  c: Context,
  ctx: EmulatorContext,
  principal: Principal,
  lifetimes: CheckedLifetimes,
): Response {
  // The knob caps a requested lifetime so tests can expire tokens quickly; no request = no expiry.
  const accessSeconds =
    lifetimes.accessSeconds === null
      ? null
      : Math.min(lifetimes.accessSeconds, ctx.knobs.accessTokenLifetimeSeconds);
  const now = ctx.now();
  const refreshToken = randomHex(32);
  ctx.store.addRefresh(refreshToken, principal, now + lifetimes.refreshSeconds * 1000);
  const accessToken = randomHex(32);
  ctx.store.addAccess(
    accessToken,
    principal,
    accessSeconds === null ? null : now + accessSeconds * 1000,
    refreshToken,
  );
  noStore(c);
  return c.json(
    {
      access_token: accessToken,
      token_type: 'bearer',
      scope: principal.scope,
      refresh_token: refreshToken,
      expires_in: accessSeconds,
      refresh_token_expires_in: lifetimes.refreshSeconds,
    },
    201,
  );
}
