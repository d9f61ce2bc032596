import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index.ts';
import {
  authorize,
  basicAuth,
  codeFrom,
  form,
  jsonBody,
  manualClock,
  pkcePair,
  redirectParams,
} from '../shared/testing.ts';

const CLIENT = {
  clientId: 'zdg-deskpulse',
  clientSecret: 'zendesk-secret',
  redirectUris: ['https://app.deskpulse.test/integrations/zendesk/callback'],
};
const REDIRECT = CLIENT.redirectUris[0] ?? '';
const CLIENT_PARAMS = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };

interface ZendeskTokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  scope: string;
  expires_in: number | null;
  refresh_token_expires_in: number;
}

const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};
const INVALID_TOKEN = {
  error: 'invalid_token',
  error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
};

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  running = await startEmulator('zendesk', { clients: [CLIENT], ...options });
  return running;
}

async function approve(
  url: string,
  subdomain: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return authorize(`${url}/${subdomain}/oauth/authorizations/new`, {
    response_type: 'code',
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    scope: 'read',
    state: 'st',
    auto_approve: '1',
    ...extra,
  });
}

async function token(url: string, subdomain: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/${subdomain}/oauth/tokens`, {
    method: 'POST',
    ...jsonBody({ ...CLIENT_PARAMS, ...body }),
  });
}

async function tokensFor(
  url: string,
  subdomain = 'acme',
  extra: Record<string, unknown> = {},
): Promise<ZendeskTokens> {
  const code = codeFrom(await approve(url, subdomain));
  const response = await token(url, subdomain, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    expires_in: 1800,
    ...extra,
  });
  return (await response.json()) as ZendeskTokens;
}

async function me(url: string, subdomain: string, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return fetch(`${url}/${subdomain}/api/v2/users/me`, { headers });
}

describe('Zendesk emulator OAuth', () => {
  it('runs the code flow with PKCE on a subdomain and answers 201 with the documented fields', async () => {
    const { url, emulator } = await start();
    const { verifier, challenge } = pkcePair();
    const redirect = await approve(url, 'acme', { code_challenge: challenge, code_challenge_method: 'S256' });
    const code = codeFrom(redirect);
    expect(redirectParams(redirect).get('state')).toBe('st');

    const response = await token(url, 'acme', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      scope: 'read',
      expires_in: 1800,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as ZendeskTokens;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      token_type: 'bearer',
      scope: 'read',
      refresh_token: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      expires_in: 1800,
      refresh_token_expires_in: 2_592_000,
    });

    const identity = await me(url, 'acme', `Bearer ${body.access_token}`);
    expect(identity.status).toBe(200);
    const { user } = (await identity.json()) as { user: Record<string, unknown> };
    expect(user).toMatchObject({ role: 'admin', email: 'admin@acme.example.com', active: true });
    expect(typeof user.id).toBe('number');
    expect(user.url).toBe(`${url}/acme/api/v2/users/${String(user.id)}.json`);
    // The official OAS's paths only: the `.json` variants Zendesk also takes are not in the spec.
    for (const path of [
      'users/me.json',
      'oauth/tokens/current.json',
      'search/count.json?query=type:ticket',
    ]) {
      const suffixed = await fetch(`${url}/acme/api/v2/${path}`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(suffixed.status, path).toBe(404);
    }
    expect(emulator.stats).toEqual({
      tokenRequests: 1,
      refreshRequests: 0,
      revocations: 0,
      identityRequests: 1,
      dataRequests: 0,
      rateLimited: 0,
    });
  });

  it('binds codes and tokens to the subdomain they were issued on', async () => {
    const { url } = await start();
    const code = codeFrom(await approve(url, 'acme'));
    const crossCode = await token(url, 'other', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(crossCode.status).toBe(400);
    expect(await crossCode.json()).toEqual(INVALID_GRANT);

    const tokens = await tokensFor(url, 'acme');
    const crossToken = await me(url, 'other', `Bearer ${tokens.access_token}`);
    expect(crossToken.status).toBe(401);
    expect(await crossToken.json()).toEqual(INVALID_TOKEN);
    const crossRefresh = await token(url, 'other', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(await crossRefresh.json()).toEqual(INVALID_GRANT);
  });

  it('requires a scope that includes read', async () => {
    const { url } = await start();
    expect(redirectParams(await approve(url, 'acme', { scope: 'write' })).get('error')).toBe('invalid_scope');
    const missing = await authorize(`${url}/acme/oauth/authorizations/new`, {
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      auto_approve: '1',
    });
    expect(redirectParams(missing).get('error')).toBe('invalid_scope');
    expect(redirectParams(await approve(url, 'acme', { scope: 'read write' })).get('code')).toBeTruthy();
  });

  it('accepts only S256 for PKCE', async () => {
    const { url } = await start();
    const response = await approve(url, 'acme', {
      code_challenge: pkcePair().verifier,
      code_challenge_method: 'plain',
    });
    expect(Object.fromEntries(redirectParams(response))).toMatchObject({
      error: 'invalid_request',
      state: 'st',
    });
  });

  it('refuses an unregistered redirect_uri without redirecting', async () => {
    const { url } = await start();
    const response = await approve(url, 'acme', { redirect_uri: 'https://evil.test/cb' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('accepts a code once and for 120 seconds', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const code = codeFrom(await approve(url, 'acme'));
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect((await token(url, 'acme', params)).status).toBe(201);
    expect(await (await token(url, 'acme', params)).json()).toEqual(INVALID_GRANT);

    const late = codeFrom(await approve(url, 'acme'));
    clock.advance(121_000);
    expect((await token(url, 'acme', { ...params, code: late })).status).toBe(400);
  });

  it('rotates on refresh: the old access and refresh tokens stop working', async () => {
    const { url, emulator } = await start();
    const first = await tokensFor(url);
    const response = await token(url, 'acme', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      expires_in: 1800,
    });
    expect(response.status).toBe(201);
    const second = (await response.json()) as ZendeskTokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    expect((await me(url, 'acme', `Bearer ${second.access_token}`)).status).toBe(200);
    const oldAccess = await me(url, 'acme', `Bearer ${first.access_token}`);
    expect(oldAccess.status).toBe(401);
    expect(await oldAccess.json()).toEqual(INVALID_TOKEN);
    const oldRefresh = await token(url, 'acme', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(oldRefresh.status).toBe(400);
    expect(await oldRefresh.json()).toEqual(INVALID_GRANT);
    expect(emulator.stats.refreshRequests).toBe(2);
  });

  it('answers invalid_grant to refreshes while forceInvalidGrant is set', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    emulator.knobs.forceInvalidGrant = true;
    const response = await token(url, 'acme', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID_GRANT);
  });

  it('validates expires_in, caps it with the knob, and issues non-expiring tokens when it is absent', async () => {
    const clock = manualClock();
    const { url, emulator } = await start({ now: clock.now });
    const tooShort = await token(url, 'acme', {
      grant_type: 'authorization_code',
      code: codeFrom(await approve(url, 'acme')),
      redirect_uri: REDIRECT,
      expires_in: 100,
    });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.json()).toMatchObject({ error: 'invalid_request' });

    const unbounded = await tokensFor(url, 'acme', { expires_in: undefined });
    expect(unbounded.expires_in).toBeNull();
    emulator.knobs.accessTokenLifetimeSeconds = 60;
    const capped = await tokensFor(url);
    expect(capped.expires_in).toBe(60);

    clock.advance(61_000);
    expect((await me(url, 'acme', `Bearer ${capped.access_token}`)).status).toBe(401);
    expect((await me(url, 'acme', `Bearer ${unbounded.access_token}`)).status).toBe(200);
  });

  it('accepts a form-encoded token request too', async () => {
    const { url } = await start();
    const code = codeFrom(await approve(url, 'acme'));
    const response = await fetch(`${url}/acme/oauth/tokens`, {
      method: 'POST',
      ...form({ ...CLIENT_PARAMS, grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    });
    expect(response.status).toBe(201);
  });

  it('rejects unknown client credentials', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/acme/oauth/tokens`, {
      method: 'POST',
      ...jsonBody({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: CLIENT.clientId,
        client_secret: 'no',
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('revokes by id after reading the current token, then identity answers 401', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    const current = await fetch(`${url}/acme/api/v2/oauth/tokens/current`, { headers: bearer });
    const { token: details } = (await current.json()) as {
      token: { id: number; token: string; scopes: string[] };
    };
    expect(details.token).toBe(tokens.access_token.slice(0, 10));
    expect(details.scopes).toEqual(['read']);

    const revoked = await fetch(`${url}/acme/api/v2/oauth/tokens/${details.id}`, {
      method: 'DELETE',
      headers: bearer,
    });
    expect(revoked.status).toBe(204);
    const identity = await me(url, 'acme', `Bearer ${tokens.access_token}`);
    expect(identity.status).toBe(401);
    expect(await identity.json()).toEqual(INVALID_TOKEN);
    const refresh = await token(url, 'acme', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(await refresh.json()).toEqual(INVALID_GRANT);
    expect(emulator.stats.revocations).toBe(1);
  });

  it('revokes the calling token with DELETE /api/v2/oauth/tokens/current', async () => {
    const { url } = await start();
    const tokens = await tokensFor(url);
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    const revoked = await fetch(`${url}/acme/api/v2/oauth/tokens/current`, {
      method: 'DELETE',
      headers: bearer,
    });
    expect(revoked.status).toBe(204);
    expect((await me(url, 'acme', bearer.authorization)).status).toBe(401);
  });

  it('lets a test revoke the app from the helpdesk side', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    emulator.revokeAccessToken(tokens.access_token);
    expect((await me(url, 'acme', `Bearer ${tokens.access_token}`)).status).toBe(401);
  });

  it('authenticates API tokens as {email}/token:{api_token} on their own subdomain only', async () => {
    const { url } = await start({
      apiTokens: [{ token: 'zd-api-token', email: 'ops@acme.test', subdomain: 'acme' }],
    });
    const ok = await me(url, 'acme', basicAuth('ops@acme.test/token', 'zd-api-token'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { email: 'ops@acme.test', role: 'admin' } });

    for (const [subdomain, username] of [
      ['acme', 'someone@acme.test/token'],
      ['other', 'ops@acme.test/token'],
      ['acme', 'ops@acme.test'],
    ] as const) {
      const failed = await me(url, subdomain, basicAuth(username, 'zd-api-token'));
      expect(failed.status).toBe(401);
      expect(await failed.json()).toEqual({ error: "Couldn't authenticate you" });
    }
  });

  it('answers an anonymous user, not 401, when no credentials are sent', async () => {
    const { url } = await start();
    const response = await me(url, 'acme');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: null, role: 'end-user' } });
  });

  it('serves nothing for a malformed subdomain', async () => {
    const { url } = await start();
    expect((await me(url, 'Not_A_Subdomain')).status).toBe(404);
  });

  it('adds latencyMs and answers 503 with a non-JSON body for failNext', async () => {
    const { url, emulator } = await start();
    emulator.knobs.latencyMs = 120;
    emulator.knobs.failNext = 1;
    const startedAt = performance.now();
    const failed = await me(url, 'acme');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(115);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toContain('text/plain');
    expect((await me(url, 'acme')).status).toBe(200);
  });
});
