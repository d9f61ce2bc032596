import type { OAuthConfig, ParamSpec } from '../types.ts';

// https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
export const intercomOAuth = {
  // No scope parameter: permissions are checkboxes on the app in Developer Hub.
  scopes: null,
  // PKCE is not documented by Intercom; integrators (Nango) run without it.
  pkce: false,
  // The token exchange takes client_id/client_secret in the body, no Basic header.
  clientAuth: 'client_secret_post',
  tokenBody: 'form',
  // No refresh token and no expiry: the token lives until the app is uninstalled.
  refresh: 'none',
  expiry: 'never',
} as const satisfies OAuthConfig;

export const intercomParams: Record<string, ParamSpec> = {
  region: { pattern: /^(us|eu|au)$/, required: false, description: 'data hosting region: us, eu or au' },
};

// Regional REST hosts: https://developers.intercom.com/building-apps/docs/rest-apis . OAuth runs on the US hosts
// (Intercom's OAuth page, linked above, shows only app.intercom.com; regional OAuth hosts are unverified).
export const INTERCOM_APP_URL = 'https://app.intercom.com';
export const INTERCOM_API_HOSTS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;
export const INTERCOM_PATHS = { authorize: '/oauth', token: '/auth/eagle/token' } as const;

/**
 * Pinned API version: requests and responses follow descriptions/2.14 of
 * https://github.com/intercom/Intercom-OpenAPI (the fields we read are the same in 2.16, which the emulator
 * is built from).
 */
export const INTERCOM_VERSION = '2.14';
