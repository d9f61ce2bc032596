import type { Context, Hono } from 'hono';
import { authorizeHandler, type AuthorizeRules } from '../shared/authorize.ts';
import type { EmulatorContext } from '../shared/context.ts';
import {
  CodeGrantSchema,
  oauthPrincipal,
  redeemCodeGrant,
  redeemRefreshToken,
  RefreshGrantSchema,
} from '../shared/grants.ts';
import { authenticateClient, basicCredentials, noStore, oauthError, readParams } from '../shared/http.ts';
import { randomBase64Url } from '../shared/random.ts';
import type { Principal } from '../shared/store.ts';
import type { OAuthClient } from '../shared/types.ts';

// Plain documents OAuth apps (https://www.plain.com/docs/graphql/oauth) but not their endpoints. These are
// the emulator's choice, standard RFC 6749 paths; swap in the real ones once
// https://signin.auth.plain.com/.well-known/oauth-authorization-server has been read.
export const PLAIN_AUTHORIZE_PATH = '/oauth/authorize';
export const PLAIN_TOKEN_PATH = '/oauth/token';

// Undocumented: RFC 6749 §4.1.2 recommended maximum.
const CODE_LIFETIME_SECONDS = 600;
// Undocumented: a common authorization-server default.
const REFRESH_LIFETIME_SECONDS = 30 * 24 * 3600;

export function plainAuthorizeRules(ctx: EmulatorContext): AuthorizeRules {
  return {
    providerName: 'Plain',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // Scopes are undocumented; the MCP server's default is `offline_access` (third-party registries).
    checkScope: (scope) => ({ ok: true, granted: scope ?? 'offline_access' }),
    // Client-side apps must use PKCE (S256); server-side apps with a secret may: https://www.plain.com/docs/graphql/oauth
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
    mintCode: () => randomBase64Url(24),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}

export function mountPlainOAuth(app: Hono, ctx: EmulatorContext): void {
  app.on(['GET', 'POST'], PLAIN_AUTHORIZE_PATH, authorizeHandler(ctx, plainAuthorizeRules(ctx)));

  app.post(PLAIN_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;
    const client = plainClient(c, ctx, params);
    if (client === 'ambiguous') {
      // "The client MUST NOT use more than one authentication method": https://www.rfc-editor.org/rfc/rfc6749#section-2.3
      return oauthError(
        c,
        400,
        'invalid_request',
        'Use either HTTP Basic or body client credentials, not both.',
      );
    }
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication failed.');

    const codeGrant = CodeGrantSchema.safeParse(params);
    if (codeGrant.success) {
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      return issuePair(c, ctx, oauthPrincipal(ctx, redeemed.record));
    }

    const refreshGrant = RefreshGrantSchema.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) {
        return oauthError(c, 400, 'invalid_grant', 'The refresh token is invalid or revoked.');
      }
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, null);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      // Assumed rotation (single-use refresh tokens, RFC 9700 §4.14.2); the old access token lives until it expires.
      ctx.store.deleteRefresh(redeemed.record.token);
      return issuePair(c, ctx, redeemed.record.principal);
    }

    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });
}

/** client_secret_basic or client_secret_post (RFC 6749 §2.3.1), never both. */
function plainClient(
  c: Context,
  ctx: EmulatorContext,
  params: Record<string, string>,
): OAuthClient | 'ambiguous' | null {
  const basic = basicCredentials(c);
  if (basic && params.client_secret !== undefined) return 'ambiguous';
  return basic
    ? authenticateClient(ctx, basic.username, basic.password)
    : authenticateClient(ctx, params.client_id, params.client_secret);
}

function issuePair(c: Context, ctx: EmulatorContext, principal: Principal): Response {
  const now = ctx.now();
  const lifetime = ctx.knobs.accessTokenLifetimeSeconds;
  const refreshToken = randomBase64Url();
  ctx.store.addRefresh(refreshToken, principal, now + REFRESH_LIFETIME_SECONDS * 1000);
  const accessToken = randomBase64Url();
  ctx.store.addAccess(accessToken, principal, now + lifetime * 1000, refreshToken);
  noStore(c);
  return c.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: lifetime,
    refresh_token: refreshToken,
    scope: principal.scope,
  });
}
