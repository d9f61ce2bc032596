import type { OAuthConfig } from '../types.ts';

// Plain documents OAuth apps (https://www.plain.com/docs/graphql/oauth) but not their endpoints, scopes or token
// lifetimes. The machine-user API key is the default path; OAuth is used when PLAIN_CLIENT_ID,
// PLAIN_CLIENT_SECRET and PLAIN_OAUTH_BASE_URL are configured (or in sandbox mode, against the emulator).
export const plainOAuth = {
  scopes: null,
  // Client-side Plain apps require PKCE S256; server-side ones accept it.
  pkce: true,
  clientAuth: 'client_secret_basic',
  tokenBody: 'form',
  refresh: 'rotating',
  expiry: 'expires_in',
} as const satisfies OAuthConfig;

export const PLAIN_API_URL = 'https://core-api.uk.plain.com/graphql/v1';
/** Our assumption for Plain's OAuth server paths, relative to PLAIN_OAUTH_BASE_URL. */
export const PLAIN_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token' } as const;
