import type { OAuthConfig } from '../types.ts';

// https://dev.frontapp.com/docs/oauth
export const frontOAuth = {
  // No scope parameter: a scope causes invalid_scope; capabilities are configured on the app.
  scopes: null,
  // Not in the classic OAuth doc; Front's newer server metadata advertises S256 and the emulator enforces it.
  pkce: true,
  // The token endpoint requires HTTP Basic client authentication.
  clientAuth: 'client_secret_basic',
  tokenBody: 'form',
  // Refresh returns "the same, or new" refresh token: always persist what comes back.
  refresh: 'reuse',
  // `expires_at`, not `expires_in`; access tokens last an hour.
  expiry: 'expires_at',
} as const satisfies OAuthConfig;

export const FRONT_APP_URL = 'https://app.frontapp.com';
export const FRONT_API_URL = 'https://api2.frontapp.com';
export const FRONT_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token' } as const;
