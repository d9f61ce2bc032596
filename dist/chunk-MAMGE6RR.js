// src/providers/zendesk/auth.ts
var zendeskOAuth = {
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
  tokenRequestExtras: { expires_in: 86400, refresh_token_expires_in: 2592e3 },
};
var ZENDESK_SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;
var zendeskParams = {
  subdomain: {
    pattern: ZENDESK_SUBDOMAIN,
    required: true,
    description: 'your Zendesk subdomain: acme for acme.zendesk.com',
  },
};
var ZENDESK_BASE_URL_TEMPLATE = 'https://{subdomain}.zendesk.com';
var ZENDESK_PATHS = { authorize: '/oauth/authorizations/new', token: '/oauth/tokens' };

export { zendeskOAuth, ZENDESK_SUBDOMAIN, zendeskParams, ZENDESK_BASE_URL_TEMPLATE, ZENDESK_PATHS };
//# sourceMappingURL=chunk-MAMGE6RR.js.map
