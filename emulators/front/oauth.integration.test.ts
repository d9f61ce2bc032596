import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, startEmulator, type EmulatorOptions, type RunningEmulator } from '../index.ts';
import {
  authorize,
  basicAuth,
  codeFrom,
  form,
  manualClock,
  pkcePair,
  redirectParams,
} from '../shared/testing.ts';

const CLIENT = {
  clientId: 'front-client',
  clientSecret: 'front-secret',
  redirectUris: ['https://app.deskpulse.test/integrations/front/callback'],
};
const REDIRECT = CLIENT.redirectUris[0] ?? '';
const CLIENT_AUTH = basicAuth(CLIENT.clientId, CLIENT.clientSecret);

interface FrontTokens {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  token_type: string;
}

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  running = await startEmulator('front', { clients: [CLIENT], ...options });
  return running;
}

async function approve(url: string, challenge?: string): Promise<string> {
  const pkce: Record<string, string> =
    challenge === undefined ? {} : { code_challenge: challenge, code_challenge_method: 'S256' };
  const response = await authorize(`${url}/oauth/authorize`, {
    response_type: 'code',
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    state: 'st',
    auto_approve: '1',
    ...pkce,
  });
  return codeFrom(response);
}

async function token(url: string, params: Record<string, string>, auth = CLIENT_AUTH): Promise<Response> {
  const request = form(params);
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { ...request.headers, authorization: auth },
    body: request.body,
  });
}

async function tokensFor(url: string): Promise<FrontTokens> {
  const code = await approve(url);
  const response = await token(url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  return (await response.json()) as FrontTokens;
}

async function me(url: string, accessToken: string): Promise<Response> {
  return fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

describe('Front emulator OAuth', () => {
  it('runs the code flow with PKCE and returns expires_at in epoch seconds, one hour ahead', async () => {
    const clock = manualClock();
    const { url, emulator } = await start({ now: clock.now });
    const { verifier, challenge } = pkcePair();
    const code = await approve(url, challenge);
    const response = await token(url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as FrontTokens;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_at', 'refresh_token', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_at).toBe(clock.now() / 1000 + 3600);
    const [, payload] = body.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toMatchObject({
      exp: body.expires_at,
    });

    const identity = await me(url, body.access_token);
    expect(identity.status).toBe(200);
    expect(await identity.json()).toEqual({
      _links: { self: `${url}/me` },
      id: 'cmp_emu1',
      name: 'Sandbox Front company',
    });
    expect(emulator.issuedTokens()).toEqual({ access: [body.access_token], refresh: [body.refresh_token] });
  });

  it('refuses client credentials that are not sent with HTTP Basic', async () => {
    const { url } = await start();
    const code = await approve(url);
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      ...form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication must use HTTP Basic.',
    });
  });

  it('requires the PKCE verifier when a challenge was sent, and refuses a verifier without one', async () => {
    const { url } = await start();
    const withChallenge = await approve(url, pkcePair().challenge);
    const missing = await token(url, {
      grant_type: 'authorization_code',
      code: withChallenge,
      redirect_uri: REDIRECT,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });

    const withoutChallenge = await approve(url);
    const downgrade = await token(url, {
      grant_type: 'authorization_code',
      code: withoutChallenge,
      redirect_uri: REDIRECT,
      code_verifier: pkcePair().verifier,
    });
    expect(await downgrade.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('redirects invalid_scope for any scope parameter', async () => {
    const { url } = await start();
    const response = await authorize(`${url}/oauth/authorize`, {
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      scope: 'shared:*',
      state: 'st',
      auto_approve: '1',
    });
    expect(Object.fromEntries(redirectParams(response))).toMatchObject({
      error: 'invalid_scope',
      state: 'st',
    });
  });

  it('rejects a wrong redirect_uri at the authorize and at the token endpoint', async () => {
    const { url } = await start();
    const page = await authorize(`${url}/oauth/authorize`, {
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: 'https://app.deskpulse.test/integrations/front/callback/',
      auto_approve: '1',
    });
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();

    const code = await approve(url);
    const response = await token(url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://other.test/cb',
    });
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'redirect_uri does not match the authorization request.',
    });
  });

  it('accepts a code once', async () => {
    const { url } = await start();
    const code = await approve(url);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect((await token(url, params)).status).toBe(200);
    const reused = await token(url, params);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code was already used.',
    });
  });

  it('refreshes an expired access token and returns the same refresh token', async () => {
    const clock = manualClock();
    const { url, emulator } = await start({ now: clock.now });
    emulator.knobs.accessTokenLifetimeSeconds = 60;
    const first = await tokensFor(url);
    clock.advance(61_000);
    const expired = await me(url, first.access_token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      _error: { status: 401, title: 'Unauthorized', message: 'Expired token' },
    });

    const refreshed = await token(url, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as FrontTokens;
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await me(url, second.access_token)).status).toBe(200);
    expect(emulator.stats).toMatchObject({ tokenRequests: 2, refreshRequests: 1 });
  });

  it('hands out a new refresh token in the last 24 hours of the old one', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const first = await tokensFor(url);
    clock.advance(182 * 24 * 3600 * 1000 + 1000);
    const second = (await (
      await token(url, { grant_type: 'refresh_token', refresh_token: first.refresh_token })
    ).json()) as FrontTokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const stale = await token(url, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(await stale.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_grant to refreshes while forceInvalidGrant is set', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    emulator.knobs.forceInvalidGrant = true;
    const response = await token(url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid or revoked.',
    });
    expect(emulator.stats.refreshRequests).toBe(1);
  });

  it('revokes through POST /oauth/revoke: identity answers 401 and refresh answers invalid_grant', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    const request = form({ token: tokens.access_token, token_type_hint: 'access_token' });
    const revoke = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      headers: { ...request.headers, authorization: CLIENT_AUTH },
      body: request.body,
    });
    expect(revoke.status).toBe(200);
    expect((await me(url, tokens.access_token)).status).toBe(401);
    const refresh = await token(url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    expect(emulator.stats.revocations).toBe(1);
  });

  it('lets a test revoke the app from the helpdesk side', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    emulator.revokeAccessToken(tokens.access_token);
    const identity = await me(url, tokens.access_token);
    expect(await identity.json()).toEqual({
      _error: { status: 401, title: 'Unauthorized', message: 'Invalid token' },
    });
    const refresh = await token(url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('verifies a company API token through GET /me', async () => {
    const { url } = await start({
      apiTokens: [{ token: 'front-api-token', account: { id: 'cmp_9', name: 'Nine' } }],
    });
    expect(await (await me(url, 'front-api-token')).json()).toMatchObject({ id: 'cmp_9', name: 'Nine' });
  });

  it('approves through the consent form', async () => {
    const { url } = await start();
    const params = { response_type: 'code', client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: 'c' };
    const page = await authorize(`${url}/oauth/authorize`, params);
    expect(await page.text()).toContain(
      'name="redirect_uri" value="https://app.deskpulse.test/integrations/front/callback"',
    );
    const approved = await fetch(`${url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      ...form({ ...params, decision: 'approve' }),
    });
    expect(redirectParams(approved).get('code')).toBeTruthy();
  });

  it('works mounted under a prefix of another Hono app', async () => {
    const emulator = createEmulator('front', {
      basePath: '/_sandbox/front',
      apiTokens: [{ token: 'front-api-token' }],
    });
    const main = new Hono().route('/_sandbox/front', emulator.app);
    const server = serve({
      fetch: (request) => main.fetch(request),
      hostname: '127.0.0.1',
      port: 0,
    }) as Server;
    if (!server.listening) await once(server, 'listening');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      emulator.knobs.failNext = 1;
      expect((await me(`${origin}/_sandbox/front`, 'front-api-token')).status).toBe(503);
      const identity = await me(`${origin}/_sandbox/front`, 'front-api-token');
      expect(await identity.json()).toMatchObject({ _links: { self: `${origin}/_sandbox/front/me` } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('serves under basePath when started with one', async () => {
    const { url } = await start({ basePath: '/_sandbox/front', apiTokens: [{ token: 't' }] });
    expect(url.endsWith('/_sandbox/front')).toBe(true);
    expect(await (await me(url, 't')).json()).toMatchObject({ _links: { self: `${url}/me` } });
  });

  it('adds latencyMs and fails the next failNext requests with Front error bodies', async () => {
    const { url, emulator } = await start({ apiTokens: [{ token: 't' }] });
    emulator.knobs.latencyMs = 120;
    emulator.knobs.failNext = 1;
    const startedAt = performance.now();
    const failed = await me(url, 't');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(115);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ _error: { status: 503 } });
    expect((await me(url, 't')).status).toBe(200);
  });
});
