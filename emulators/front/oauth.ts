import type { Context, Hono } from 'hono';
import { sign } from 'hono/jwt';
import { authorizeHandler, type AuthorizeRules } from '../shared/authorize.ts';
import { epochSeconds, type EmulatorContext } from '../shared/context.ts';
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

// Every Front OAuth fact below is from https://dev.frontapp.com/docs/oauth unless another URL is given.
export const FRONT_AUTHORIZE_PATH = '/oauth/authorize';
export const FRONT_TOKEN_PATH = '/oauth/token';
// Only in Front's RFC 8414 metadata for its MCP server (third-party copy); the documented revocation is UI-only.
export const FRONT_REVOKE_PATH = '/oauth/revoke';

// Front does not document a code lifetime; 10 minutes is the RFC 6749 §4.1.2 recommended maximum.
const CODE_LIFETIME_SECONDS = 600;
// "A refresh token will expire six months after it has been issued."
const REFRESH_LIFETIME_SECONDS = 183 * 24 * 3600;
// A new refresh token comes back only in its last 24 hours (third-party summary: api-evangelist/frontapp).
const REFRESH_ROTATION_WINDOW_SECONDS = 24 * 3600;

export function frontAuthorizeRules(ctx: EmulatorContext): AuthorizeRules {
  return {
    providerName: 'Front',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // "No scope param": OAuth tokens get the Shared resources scope. Any scope is refused so a client bug shows.
    checkScope: (scope) =>
      scope === undefined
        ? { ok: true, granted: '' }
        : { ok: false, description: 'Front takes no scope parameter; OAuth apps get shared resources.' },
    // Not in the classic docs; Front's newer AS metadata advertises S256, so it is accepted when sent.
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
    mintCode: () => randomBase64Url(24),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}

export function mountFrontOAuth(app: Hono, ctx: EmulatorContext): void {
  // Access tokens are JWTs (`bearerFormat: JWT` in core-api.json), so clients may read `exp` as a fallback.
  const jwtSecret = randomBase64Url();
  const mintAccessToken = async (principal: Principal, expiresAt: number): Promise<string> =>
    sign(
      {
        iss: 'front-emulator',
        sub: principal.account.id,
        jti: randomBase64Url(16),
        exp: epochSeconds(expiresAt),
      },
      jwtSecret,
    );

  app.on(['GET', 'POST'], FRONT_AUTHORIZE_PATH, authorizeHandler(ctx, frontAuthorizeRules(ctx)));

  app.post(FRONT_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const client = basicClient(c, ctx);
    // "Your request MUST be authenticated with Basic authentication"; credentials in the body do not count.
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication must use HTTP Basic.');
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;

    const accessExpiresAt = ctx.now() + ctx.knobs.accessTokenLifetimeSeconds * 1000;
    const codeGrant = CodeGrantSchema.safeParse(params);
    if (codeGrant.success) {
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      const principal = oauthPrincipal(ctx, redeemed.record);
      const refreshToken = randomBase64Url();
      ctx.store.addRefresh(refreshToken, principal, ctx.now() + REFRESH_LIFETIME_SECONDS * 1000);
      const accessToken = await mintAccessToken(principal, accessExpiresAt);
      ctx.store.addAccess(accessToken, principal, accessExpiresAt, refreshToken);
      return tokenResponse(c, accessToken, refreshToken, accessExpiresAt);
    }

    const refreshGrant = RefreshGrantSchema.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) {
        return oauthError(c, 400, 'invalid_grant', 'The refresh token is invalid or revoked.');
      }
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, null);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      const { principal, expiresAt } = redeemed.record;
      // "the same, or new refresh_token": the same one until its last 24 hours.
      let refreshToken = redeemed.record.token;
      if (expiresAt !== null && expiresAt - ctx.now() <= REFRESH_ROTATION_WINDOW_SECONDS * 1000) {
        ctx.store.deleteRefresh(refreshToken);
        refreshToken = randomBase64Url();
        ctx.store.addRefresh(refreshToken, principal, ctx.now() + REFRESH_LIFETIME_SECONDS * 1000);
      }
      const accessToken = await mintAccessToken(principal, accessExpiresAt);
      ctx.store.addAccess(accessToken, principal, accessExpiresAt, refreshToken);
      return tokenResponse(
        c,
        accessToken,
        ctx.knobs.omitRefreshToken ? undefined : refreshToken,
        accessExpiresAt,
      );
    }

    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    // "Front's OAuth implementation only supports the authorization code grant type" (+ its refresh).
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });

  // RFC 7009: answers 200 whether or not the token was known, https://www.rfc-editor.org/rfc/rfc7009#section-2.2
  app.post(FRONT_REVOKE_PATH, async (c) => {
    ctx.stats.revocations += 1;
    const client = basicClient(c, ctx);
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication must use HTTP Basic.');
    const params = await readParams(c, ['form', 'json']);
    const token = params?.token;
    if (token === undefined || token === '') return oauthError(c, 400, 'invalid_request', 'Missing token.');
    const found = ctx.store.findAccess(token, null);
    const refresh = ctx.store.findRefresh(token, null);
    const principal = found.ok ? found.record.principal : refresh.ok ? refresh.record.principal : null;
    if (principal?.clientId === client.clientId) ctx.store.revokeGrant(principal.grantId);
    return c.body(null, 200);
  });
}

function basicClient(c: Context, ctx: EmulatorContext): OAuthClient | null {
  const credentials = basicCredentials(c);
  return credentials ? authenticateClient(ctx, credentials.username, credentials.password) : null;
}

// `expires_at`, not `expires_in`; its unit is undocumented, epoch seconds like every other Front timestamp.
function tokenResponse(
  c: Context,
  accessToken: string,
  refreshToken: string | undefined,
  expiresAt: number,
): Response {
  noStore(c);
  return c.json({
    access_token: accessToken,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    expires_at: epochSeconds(expiresAt),
    token_type: 'Bearer',
  });
}
