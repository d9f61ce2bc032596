import type { OAuthConfig, ParamSpec } from '../types.ts';

// https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
export const zendeskOAuth = {
  // `read` covers every GET endpoint the metrics need:
  // https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/
  scopes: ['read'],
  // Supported with S256: https://developer.zendesk.com/documentation/ticketing/working-with-oauth/oauth-pkce
  pkce: true,
  clientAuth: 'client_secret_post',
  // The token endpoint documents a JSON body (and answers 201 Created).
  tokenBody: 'json',
  // Every refresh rotates the refresh token and kills the old pair.
  refresh: 'rotating',
  expiry: 'expires_in',
  // Access tokens default to never expiring; we ask for one day (the refresh keeps them fresh) so a leaked token
  // dies quickly. Refresh tokens: Zendesk's default 30 days, stated explicitly. Bounds in grant_type_tokens.
  tokenRequestExtras: { expires_in: 86_400, refresh_token_expires_in: 2_592_000 },
} as const satisfies OAuthConfig;

/**
 * A Zendesk account's subdomain (acme for acme.zendesk.com). Interpolated into every URL, so validated before use
 * (SSRF). Nango's rule is ^[a-z0-9_-]+$; DNS labels are stricter (no underscore, no leading hyphen, ≤ 63 chars).
 */
export const ZENDESK_SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const zendeskParams: Record<string, ParamSpec> = {
  subdomain: {
    pattern: ZENDESK_SUBDOMAIN,
    required: true,
    description: 'your Zendesk subdomain: acme for acme.zendesk.com',
  },
};

export const ZENDESK_BASE_URL_TEMPLATE = 'https://{subdomain}.zendesk.com';
export const ZENDESK_PATHS = { authorize: '/oauth/authorizations/new', token: '/oauth/tokens' } as const;
