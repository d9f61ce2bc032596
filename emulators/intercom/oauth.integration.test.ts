import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index.ts';
import {
  authorize,
  codeFrom,
  form,
  jsonBody,
  manualClock,
  pkcePair,
  redirectParams,
} from '../shared/testing.ts';

const CLIENT = {
  clientId: 'intercom-client',
  clientSecret: 'intercom-secret',
  redirectUris: [
    'https://app.deskpulse.test/integrations/intercom/callback',
    'https://other.deskpulse.test/cb',
  ],
};
const REDIRECT = CLIENT.redirectUris[0] ?? '';

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  running = await startEmulator('intercom', { clients: [CLIENT], ...options });
  return running;
}

async function approve(url: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await authorize(`${url}/oauth`, {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    state: 'st-1',
    auto_approve: '1',
    ...extra,
  });
  return codeFrom(response);
}

async function exchange(url: string, code: string, secret = CLIENT.clientSecret): Promise<Response> {
  return fetch(`${url}/auth/eagle/token`, {
    method: 'POST',
    ...form({ code, client_id: CLIENT.clientId, client_secret: secret }),
  });
}

async function me(url: string, token: string, version = '2.14'): Promise<Response> {
  return fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}`, 'intercom-version': version } });
}

const unauthorizedCode = {
  type: 'error.list',
  request_id: expect.any(String) as unknown,
  errors: [{ code: 'unauthorized', message: 'Unauthorized Code' }],
};

describe('Intercom emulator OAuth', () => {
  it('runs the code flow: PKCE parameters are ignored, the token never expires and has no refresh token', async () => {
    const { url, emulator } = await start();
    const { challenge } = pkcePair();
    const redirect = await authorize(`${url}/oauth`, {
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      auto_approve: '1',
    });
    expect(redirect.headers.get('location')?.startsWith(`${REDIRECT}?`)).toBe(true);
    const params = redirectParams(redirect);
    expect(params.get('state')).toBe('st-1');
    const code = params.get('code') ?? '';
    expect(code.endsWith('=')).toBe(true);

    const tokenResponse = await fetch(`${url}/auth/eagle/token`, {
      method: 'POST',
      ...jsonBody({ code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
    const body = (await tokenResponse.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.access_token).toBe(body.token);
    expect(Buffer.from(body.token ?? '', 'base64').toString()).toMatch(/^tok:[0-9a-f_]{36}:1:0$/);

    const identity = await me(url, body.token ?? '');
    expect(identity.status).toBe(200);
    expect(await identity.json()).toMatchObject({
      type: 'admin',
      email_verified: true,
      app: { type: 'app', id_code: 'emu0intercom', name: 'Sandbox Intercom workspace', region: 'US' },
    });
    expect(emulator.stats).toEqual({
      tokenRequests: 1,
      refreshRequests: 0,
      revocations: 0,
      identityRequests: 1,
      dataRequests: 0,
      rateLimited: 0,
    });
    expect(emulator.issuedTokens()).toEqual({ access: [body.token], refresh: [] });
  });

  it('defaults to the first registered redirect URL when redirect_uri is omitted', async () => {
    const { url } = await start();
    const response = await authorize(`${url}/oauth`, { client_id: CLIENT.clientId, auto_approve: '1' });
    expect(response.headers.get('location')?.startsWith(`${REDIRECT}?code=`)).toBe(true);
  });

  it('refuses an unregistered redirect_uri with an error page, never a redirect', async () => {
    const { url } = await start();
    const response = await authorize(`${url}/oauth`, {
      client_id: CLIENT.clientId,
      redirect_uri: `${REDIRECT}/evil`,
      auto_approve: '1',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri does not match');
  });

  it('redirects invalid_scope when a scope parameter is sent', async () => {
    const { url } = await start();
    const response = await authorize(`${url}/oauth`, {
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      scope: 'read',
      state: 's',
      auto_approve: '1',
    });
    const params = redirectParams(response);
    expect(params.get('error')).toBe('invalid_scope');
    expect(params.get('state')).toBe('s');
  });

  it('accepts a code once', async () => {
    const { url } = await start();
    const code = await approve(url);
    expect((await exchange(url, code)).status).toBe(200);
    const reused = await exchange(url, code);
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual(unauthorizedCode);
  });

  it('rejects a wrong client secret', async () => {
    const { url } = await start();
    const response = await exchange(url, await approve(url), 'not-the-secret');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'unauthorized' }] });
  });

  it('expires codes after about five minutes', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const code = await approve(url);
    clock.advance(301_000);
    expect((await exchange(url, code)).status).toBe(401);
  });

  it('answers Unauthorized Code to the code exchange while forceInvalidGrant is set', async () => {
    const { url, emulator } = await start();
    const code = await approve(url);
    emulator.knobs.forceInvalidGrant = true;
    const response = await exchange(url, code);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(unauthorizedCode);
  });

  it('revokes the token on POST /auth/uninstall', async () => {
    const { url, emulator } = await start();
    const token = ((await (await exchange(url, await approve(url))).json()) as { token: string }).token;
    const uninstall = await fetch(`${url}/auth/uninstall`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(uninstall.status).toBe(200);
    const identity = await me(url, token);
    expect(identity.status).toBe(401);
    expect(await identity.json()).toEqual({
      type: 'error.list',
      request_id: expect.any(String) as unknown,
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
    expect(emulator.stats.revocations).toBe(1);
  });

  it('lets a test revoke the app as the workspace admin would', async () => {
    const { url, emulator } = await start();
    const token = ((await (await exchange(url, await approve(url))).json()) as { token: string }).token;
    emulator.revokeAccessToken(token);
    expect((await me(url, token)).status).toBe(401);
  });

  it('serves GET /me for a pre-provisioned access token, with the account region', async () => {
    const { url } = await start({
      apiTokens: [
        { token: 'dG9rOnByaXZhdGU=', account: { id: 'eu0app', name: 'EU workspace', region: 'EU' } },
      ],
    });
    const response = await me(url, 'dG9rOnByaXZhdGU=');
    expect(await response.json()).toMatchObject({
      app: { id_code: 'eu0app', name: 'EU workspace', region: 'EU' },
    });
    expect((await me(url, 'dG9rOm5vcGU=')).status).toBe(401);
  });

  it('rejects an unknown Intercom-Version but not a missing one', async () => {
    const { url } = await start({ apiTokens: [{ token: 'tok' }] });
    const bad = await me(url, 'tok', '9.9');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ code: 'intercom_version_invalid' }] });
    const none = await fetch(`${url}/me`, { headers: { authorization: 'Bearer tok' } });
    expect(none.status).toBe(200);
  });

  it('renders a consent screen whose form approves back to the client', async () => {
    const { url } = await start();
    const page = await authorize(`${url}/oauth`, {
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      state: 'x',
    });
    expect(page.status).toBe(200);
    const markup = await page.text();
    expect(markup).toContain('<form method="post" action="/oauth">');
    const approved = await fetch(`${url}/oauth`, {
      method: 'POST',
      redirect: 'manual',
      ...form({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: 'x', decision: 'approve' }),
    });
    const params = redirectParams(approved);
    expect(params.get('state')).toBe('x');
    expect((await exchange(url, params.get('code') ?? '')).status).toBe(200);
  });

  it('adds latencyMs to every response', async () => {
    const { url, emulator } = await start({ apiTokens: [{ token: 'tok' }] });
    emulator.knobs.latencyMs = 150;
    const startedAt = performance.now();
    expect((await me(url, 'tok')).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
  });

  it('answers 503 to the next failNext requests, then recovers', async () => {
    const { url, emulator } = await start({ apiTokens: [{ token: 'tok' }] });
    emulator.knobs.failNext = 2;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const failed = await me(url, 'tok');
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({
        type: 'error.list',
        errors: [{ code: 'service_unavailable' }],
      });
    }
    expect((await me(url, 'tok')).status).toBe(200);
    expect(emulator.knobs.failNext).toBe(0);
  });
});
