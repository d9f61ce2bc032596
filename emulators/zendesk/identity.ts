import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { publicBase, type EmulatorContext } from '../shared/context.ts';
import { basicCredentials, bearerToken, isSameSecret } from '../shared/http.ts';
import type { AccessRecord } from '../shared/store.ts';
import { zendeskBasicAuthFailed, zendeskInvalidToken, zendeskNotFound } from './errors.ts';

// Only the paths of the official OAS (https://developer.zendesk.com/zendesk/oas.yaml). Zendesk itself also takes
// a `.json` suffix (https://developer.zendesk.com/api-reference/introduction/doc-conventions/), but the spec, and
// any mock generated from it, does not: a client relying on the suffix fails here as it would there.
const ME_PATHS = ['/:subdomain/api/v2/users/me'];
const CURRENT_TOKEN_PATHS = ['/:subdomain/api/v2/oauth/tokens/current'];
const TOKEN_BY_ID_PATH = '/:subdomain/api/v2/oauth/tokens/:ref{[0-9]+}';

// The sandbox account was created before any test ran; a fixed instant keeps bodies comparable.
const ACCOUNT_CREATED_AT = '2024-01-02T03:04:05Z';

export type ZendeskAuth =
  | { kind: 'token'; record: AccessRecord; email: string }
  | { kind: 'anonymous' }
  | { kind: 'failed'; response: Response };

/**
 * Bearer (OAuth) or Basic `{email}/token:{api_token}` (API token, https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
 * Credentials only work on the subdomain they were issued for.
 */
export function authenticate(c: Context, ctx: EmulatorContext, subdomain: string): ZendeskAuth {
  const header = c.req.header('authorization');
  if (header === undefined) return { kind: 'anonymous' };
  const token = bearerToken(c);
  if (token !== null) {
    const found = ctx.store.findAccess(token, subdomain);
    return found.ok
      ? { kind: 'token', record: found.record, email: `admin@${subdomain}.example.com` }
      : { kind: 'failed', response: zendeskInvalidToken(c) };
  }
  const basic = basicCredentials(c);
  const email = basic?.username.endsWith('/token') ? basic.username.slice(0, -'/token'.length) : null;
  if (basic && email) {
    const found = ctx.store.findAccess(basic.password, subdomain);
    if (
      found.ok &&
      found.record.principal.kind === 'api_token' &&
      (found.record.principal.email === null || isSameSecret(found.record.principal.email, email))
    ) {
      return { kind: 'token', record: found.record, email };
    }
  }
  return { kind: 'failed', response: zendeskBasicAuthFailed(c) };
}

function bearerOnly(c: Context, ctx: EmulatorContext, subdomain: string): ZendeskAuth {
  if (bearerToken(c) === null) return { kind: 'failed', response: zendeskBasicAuthFailed(c) };
  return authenticate(c, ctx, subdomain);
}

export function mountZendeskIdentity(app: Hono, ctx: EmulatorContext): void {
  // `CurrentUserResponse` of the official OAS. "Allowed For: Anonymous users": without credentials the
  // answer is 200 with an anonymous user (id null), so a client must check `user.id`, not just the status.
  for (const path of ME_PATHS) {
    app.get(path, (c) => {
      ctx.stats.identityRequests += 1;
      const subdomain = subdomainOf(c);
      const auth = authenticate(c, ctx, subdomain);
      if (auth.kind === 'failed') return auth.response;
      if (auth.kind === 'anonymous') return c.json({ user: anonymousUser() });
      return c.json({ user: userJson(c, ctx, subdomain, auth.email) });
    });
  }

  // Show/revoke the calling token: https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/
  for (const path of CURRENT_TOKEN_PATHS) {
    app.get(path, (c) => {
      const subdomain = subdomainOf(c);
      const auth = bearerOnly(c, ctx, subdomain);
      if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
      return c.json({ token: tokenJson(c, ctx, subdomain, auth.record) });
    });
    // Community reports say this answers 204 without revoking
    // (https://support.zendesk.com/hc/en-us/community/posts/5537132288282); the emulator follows the docs and
    // revokes, so both revocation paths work here.
    app.delete(path, (c) => {
      ctx.stats.revocations += 1;
      const subdomain = subdomainOf(c);
      const auth = bearerOnly(c, ctx, subdomain);
      if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
      ctx.store.revokeGrant(auth.record.principal.grantId);
      return c.body(null, 204);
    });
  }

  // https://developer.zendesk.com/documentation/api-basics/authentication/revoking-oauth-token
  app.delete(TOKEN_BY_ID_PATH, (c) => {
    ctx.stats.revocations += 1;
    const subdomain = subdomainOf(c);
    const auth = bearerOnly(c, ctx, subdomain);
    if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
    const target = ctx.store.findAccessById(Number.parseInt(c.req.param('ref'), 10), subdomain);
    if (!target || target.principal.kind !== 'oauth') return zendeskNotFound(c);
    ctx.store.revokeGrant(target.principal.grantId);
    return c.body(null, 204);
  });
}

// The subdomain middleware in ./index.ts has validated it before any handler runs.
function subdomainOf(c: Context): string {
  return c.req.param('subdomain') ?? '';
}

function stableId(seed: string): number {
  return Number.parseInt(createHash('sha256').update(seed).digest('hex').slice(0, 10), 16);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Fields of `UserForAdmin` (official OAS); role "admin" because only admins can run incremental exports.
function userJson(
  c: Context,
  ctx: EmulatorContext,
  subdomain: string,
  email: string,
): Record<string, unknown> {
  const id = stableId(`${subdomain}/${email}`);
  return {
    id,
    url: `${publicBase(c, ctx)}/${subdomain}/api/v2/users/${id}.json`,
    name: 'Sandbox Admin',
    email,
    created_at: ACCOUNT_CREATED_AT,
    updated_at: ACCOUNT_CREATED_AT,
    time_zone: 'London',
    iana_time_zone: 'Europe/London',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'admin',
    verified: true,
    external_id: null,
    tags: [],
    alias: '',
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: iso(ctx.now()),
    two_factor_auth_enabled: null,
    signature: '',
    details: '',
    notes: '',
    role_type: null,
    custom_role_id: null,
    moderator: true,
    ticket_restriction: null,
    only_private_comments: false,
    restricted_agent: false,
    suspended: false,
    default_group_id: null,
    report_csv: true,
    user_fields: {},
    authenticity_token: 'emulator-authenticity-token',
  };
}

// What Zendesk answers to an unauthenticated `users/me` (observed; not in the OAS example).
function anonymousUser(): Record<string, unknown> {
  return {
    id: null,
    url: null,
    name: 'Anonymous user',
    email: 'invalid@example.com',
    role: 'end-user',
    verified: false,
  };
}

// `OauthTokenObject`: "only the first 10 characters of the access token are included".
function tokenJson(
  c: Context,
  ctx: EmulatorContext,
  subdomain: string,
  record: AccessRecord,
): Record<string, unknown> {
  const clientIndex = ctx.clients.findIndex((client) => client.clientId === record.principal.clientId);
  return {
    id: record.id,
    url: `${publicBase(c, ctx)}/${subdomain}/api/v2/oauth/tokens/${record.id}.json`,
    token: record.tokenPrefix,
    client_id: clientIndex + 1,
    user_id: stableId(`${subdomain}/admin@${subdomain}.example.com`),
    scopes: record.principal.scope.split(' ').filter(Boolean),
    created_at: iso(record.issuedAt),
    expires_at: record.expiresAt === null ? null : iso(record.expiresAt),
    used_at: record.lastUsedAt === null ? null : iso(record.lastUsedAt),
  };
}
