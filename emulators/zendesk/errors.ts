import type { Context } from 'hono';
import { oauthError } from '../shared/http.ts';

// Zendesk's OAuth server answers Doorkeeper-style RFC 6749 errors, e.g. refresh failures:
// 400 {"error":"invalid_grant", ...} (https://nango.dev/blog/zendesk-oauth-refresh-token-invalid-grant).
const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
const INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';

export function zendeskInvalidGrant(c: Context): Response {
  return oauthError(c, 400, 'invalid_grant', INVALID_GRANT);
}

export function zendeskInvalidClient(c: Context): Response {
  return oauthError(c, 401, 'invalid_client', INVALID_CLIENT);
}

/** Bearer token unknown, expired, revoked or bound to another subdomain (RFC 6750 §3.1 `invalid_token`). */
export function zendeskInvalidToken(c: Context): Response {
  c.header('WWW-Authenticate', 'Bearer realm="Web", error="invalid_token"');
  return c.json(
    {
      error: 'invalid_token',
      error_description:
        'The access token provided is expired, revoked, malformed or invalid for other reasons.',
    },
    401,
  );
}

/** Basic credentials (`{email}/token:{api_token}`) that do not authenticate. */
export function zendeskBasicAuthFailed(c: Context): Response {
  return c.json({ error: "Couldn't authenticate you" }, 401);
}

export function zendeskNotFound(c: Context): Response {
  return c.json({ error: 'RecordNotFound', description: 'Not found' }, 404);
}

// Zendesk's outage pages are not JSON (429/503 bodies may be text/html): clients must not assume a JSON body.
export function zendeskUnavailable(c: Context): Response {
  return c.text('Service Unavailable', 503);
}
