import * as oauth from 'oauth4webapi';
import { err, ok, type Result } from '../../lib/result.ts';
import { sanitizeDetail } from '../http.ts';
import type { ConnectionParams, Provider, ProviderError, ProviderSettings } from '../types.ts';

/**
 * The one OAuth engine. Standards work (authorization URL, code and refresh grants, response validation) is
 * oauth4webapi's; each provider's quirks come from its `OAuthConfig` data.
 */
export interface TokenSet {
  accessToken: string;
  /** Absent when the provider issues none, or returned none on refresh (then keep the old one). */
  refreshToken: string | undefined;
  expiresAt: Date | null;
  scope: string | undefined;
}

export interface OAuthFlow {
  provider: Provider;
  settings: ProviderSettings;
  params: ConnectionParams;
}

const isLoopback = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url);

function endpointsOf(flow: OAuthFlow) {
  const e = flow.settings.endpoints(flow.params);
  if (!e.authorizeUrl || !e.tokenUrl)
    throw new Error(`${flow.provider.id}: OAuth endpoints are not configured`);
  return { authorizeUrl: e.authorizeUrl, tokenUrl: e.tokenUrl };
}

/**
 * HTTP Basic exactly as the helpdesks document it, base64(client_id:client_secret) (e.g.
 * https://dev.frontapp.com/docs/oauth). oauth4webapi's ClientSecretBasic first form-encodes both parts as
 * RFC 6749 §2.3.1 says, which turns `-` into `%2D`; servers that do not decode then reject the client.
 */
function basicAuth(clientId: string, clientSecret: string): oauth.ClientAuth {
  return (_as, _client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
  };
}

function clientOf(flow: OAuthFlow) {
  const { clientId, clientSecret } = flow.settings;
  if (!clientId || !clientSecret) throw new Error(`${flow.provider.id}: OAuth client is not configured`);
  const e = endpointsOf(flow);
  const as: oauth.AuthorizationServer = {
    issuer: new URL(e.tokenUrl).origin,
    authorization_endpoint: e.authorizeUrl,
    token_endpoint: e.tokenUrl,
  };
  const client: oauth.Client = { client_id: clientId };
  const auth =
    flow.provider.oauth.clientAuth === 'client_secret_basic'
      ? basicAuth(clientId, clientSecret)
      : oauth.ClientSecretPost(clientSecret);
  return { as, client, auth, tokenUrl: e.tokenUrl };
}

/**
 * Token-endpoint transport quirks, applied under oauth4webapi: a JSON body where the provider wants one
 * (Zendesk), and a 201 answer read as the 200 RFC 6749 §5.1 specifies (Zendesk answers 201 Created:
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/).
 */
function transport(flow: OAuthFlow, tokenUrl: string) {
  const options: oauth.TokenEndpointRequestOptions = {
    [oauth.customFetch]: async (url, init) => {
      let body: BodyInit | null | undefined = init.body;
      const headers = new Headers(init.headers);
      const extras = flow.provider.oauth.tokenRequestExtras ?? {};
      if (init.body instanceof URLSearchParams) {
        const params = new URLSearchParams(init.body);
        for (const [k, v] of Object.entries(extras)) params.set(k, String(v));
        body = params;
        if (flow.provider.oauth.tokenBody === 'json') {
          const json: Record<string, string | number> = Object.fromEntries(params);
          for (const [k, v] of Object.entries(extras)) json[k] = v;
          body = JSON.stringify(json);
          headers.set('content-type', 'application/json');
        }
      }
      const res = await fetch(url, { ...init, headers, body, signal: AbortSignal.timeout(15_000) });
      if (res.status !== 201) return res;
      return new Response(await res.arrayBuffer(), { status: 200, headers: res.headers });
    },
  };
  // Plain http is allowed only for loopback (emulators in tests and sandbox mode).
  if (isLoopback(tokenUrl)) options[oauth.allowInsecureRequests] = true;
  return options;
}

export async function buildAuthorizeUrl(
  flow: OAuthFlow,
  input: { state: string; redirectUri: string; codeVerifier: string | undefined },
): Promise<string> {
  const { clientId } = flow.settings;
  if (!clientId) throw new Error(`${flow.provider.id}: OAuth client is not configured`);
  const url = new URL(endpointsOf(flow).authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  if (flow.provider.oauth.scopes) url.searchParams.set('scope', flow.provider.oauth.scopes.join(' '));
  if (input.codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

export const newCodeVerifier = (): string => oauth.generateRandomCodeVerifier();

function tokenSetOf(flow: OAuthFlow, r: oauth.TokenEndpointResponse, now = Date.now()): TokenSet {
  let expiresAt: Date | null = null;
  if (flow.provider.oauth.expiry === 'expires_in' && typeof r.expires_in === 'number') {
    expiresAt = new Date(now + r.expires_in * 1000);
  } else if (flow.provider.oauth.expiry === 'expires_at') {
    // Front answers `expires_at` in an undocumented unit (https://dev.frontapp.com/docs/oauth): read seconds,
    // or ms if that large.
    const raw = Number(r.expires_at);
    if (Number.isFinite(raw) && raw > 0) expiresAt = new Date(raw > 1e12 ? raw : raw * 1000);
  }
  return {
    accessToken: r.access_token,
    refreshToken: typeof r.refresh_token === 'string' && r.refresh_token ? r.refresh_token : undefined,
    expiresAt,
    scope: typeof r.scope === 'string' ? r.scope : undefined,
  };
}

/** invalid_grant and client errors mean the grant is dead (re-auth); transport trouble is transient. */
function classify(e: unknown): ProviderError {
  if (e instanceof oauth.ResponseBodyError) {
    const detail = sanitizeDetail(`${e.error}${e.error_description ? `: ${e.error_description}` : ''}`);
    if (e.status === 429) return { code: 'rate_limited', retryAfterMs: 60_000, detail };
    if (e.status >= 500) return { code: 'upstream_unavailable', detail };
    return { code: 'unauthorized', detail };
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError)
    return { code: 'unauthorized', detail: `${e.status}: rejected` };
  if (e instanceof oauth.OperationProcessingError) {
    const status = (e.cause as { status?: number } | undefined)?.status;
    if (typeof status === 'number' && status >= 500)
      return { code: 'upstream_unavailable', detail: `${status}: server error` };
    if (status === 401 || status === 403) return { code: 'unauthorized', detail: `${status}: rejected` };
    if (status === 429) return { code: 'rate_limited', retryAfterMs: 60_000, detail: '429: rate limited' };
    return { code: 'unexpected_response', detail: sanitizeDetail(e.message) };
  }
  // fetch rejects with TypeError('fetch failed') on network trouble and TimeoutError on our deadline.
  if (
    e instanceof Error &&
    (e.name === 'TimeoutError' || (e.name === 'TypeError' && e.message === 'fetch failed'))
  ) {
    return { code: 'upstream_unavailable', detail: `token endpoint unreachable (${e.name})` };
  }
  throw e;
}

export async function exchangeCode(
  flow: OAuthFlow,
  input: { code: string; redirectUri: string; codeVerifier: string | undefined },
): Promise<Result<TokenSet, ProviderError>> {
  const { as, client, auth, tokenUrl } = clientOf(flow);
  try {
    // State was checked against our own store before this call (domain/connections.ts consumeState).
    const callback = oauth.validateAuthResponse(
      as,
      client,
      new URLSearchParams({ code: input.code }),
      oauth.skipStateCheck,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callback,
      input.redirectUri,
      input.codeVerifier ?? oauth.nopkce,
      transport(flow, tokenUrl),
    );
    return ok(tokenSetOf(flow, await oauth.processAuthorizationCodeResponse(as, client, response)));
  } catch (e) {
    return err(classify(e));
  }
}

export async function refreshTokens(
  flow: OAuthFlow,
  refreshToken: string,
): Promise<Result<TokenSet, ProviderError>> {
  const { as, client, auth, tokenUrl } = clientOf(flow);
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      auth,
      refreshToken,
      transport(flow, tokenUrl),
    );
    return ok(tokenSetOf(flow, await oauth.processRefreshTokenResponse(as, client, response)));
  } catch (e) {
    return err(classify(e));
  }
}
