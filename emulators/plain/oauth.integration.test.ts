import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index.ts';
import { authorize, basicAuth, codeFrom, form, jsonBody, manualClock, pkcePair } from '../shared/testing.ts';

const CLIENT = {
  clientId: 'plain-client',
  clientSecret: 'plain-secret',
  redirectUris: ['https://app.deskpulse.test/integrations/plain/callback'],
};
const REDIRECT = CLIENT.redirectUris[0] ?? '';
const API_KEY = 'plainApiKey_emulator0000000000000000';
const WORKSPACE = { id: 'w_01EMULATORWORKSPACE0000000', name: 'Sandbox Plain workspace' };

interface PlainTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  running = await startEmulator('plain', { clients: [CLIENT], apiTokens: [{ token: API_KEY }], ...options });
  return running;
}

async function approve(url: string, extra: Record<string, string> = {}): Promise<string> {
  return codeFrom(
    await authorize(`${url}/oauth/authorize`, {
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      state: 'st',
      auto_approve: '1',
      ...extra,
    }),
  );
}

async function token(url: string, params: Record<string, string>, authorization?: string): Promise<Response> {
  const request = form(params);
  const headers = authorization === undefined ? request.headers : { ...request.headers, authorization };
  return fetch(`${url}/oauth/token`, { method: 'POST', headers, body: request.body });
}

async function tokensFor(url: string): Promise<PlainTokens> {
  const code = await approve(url);
  const response = await token(url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
  });
  return (await response.json()) as PlainTokens;
}

async function graphql(url: string, bearer: string, body: unknown): Promise<Response> {
  return fetch(`${url}/graphql/v1`, {
    method: 'POST',
    headers: { ...jsonBody(body).headers, authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
}

const WORKSPACE_QUERY = { query: 'query Workspace { myWorkspace { id name } }' };

describe('Plain emulator OAuth', () => {
  it('runs the code flow with PKCE and client_secret_post, then identifies the workspace', async () => {
    const { url, emulator } = await start();
    const { verifier, challenge } = pkcePair();
    const code = await approve(url, { code_challenge: challenge, code_challenge_method: 'S256' });
    const response = await token(url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as PlainTokens;
    expect(body).toEqual({
      access_token: expect.any(String) as unknown,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String) as unknown,
      scope: 'offline_access',
    });

    const identity = await graphql(url, body.access_token, WORKSPACE_QUERY);
    expect(identity.status).toBe(200);
    expect(await identity.json()).toEqual({ data: { myWorkspace: WORKSPACE } });
    const actor = await graphql(url, body.access_token, {
      query: '{ myUser { email } myMachineUser { id } }',
    });
    expect(await actor.json()).toEqual({
      data: { myUser: { email: 'admin@example.com' }, myMachineUser: null },
    });
    expect(emulator.stats).toEqual({
      tokenRequests: 1,
      refreshRequests: 0,
      revocations: 0,
      identityRequests: 2,
      dataRequests: 0,
      rateLimited: 0,
    });
  });

  it('accepts client_secret_basic but not two client authentication methods at once', async () => {
    const { url } = await start();
    const auth = basicAuth(CLIENT.clientId, CLIENT.clientSecret);
    const params = { grant_type: 'authorization_code', code: await approve(url), redirect_uri: REDIRECT };
    const both = await token(url, { ...params, client_secret: CLIENT.clientSecret }, auth);
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
    expect((await token(url, params, auth)).status).toBe(200);
  });

  it('rejects a wrong verifier, a reused code and a mismatched redirect_uri with invalid_grant', async () => {
    const { url } = await start();
    const auth = basicAuth(CLIENT.clientId, CLIENT.clientSecret);
    const { challenge } = pkcePair();
    const pkceCode = await approve(url, { code_challenge: challenge, code_challenge_method: 'S256' });
    const wrongVerifier = await token(
      url,
      {
        grant_type: 'authorization_code',
        code: pkceCode,
        redirect_uri: REDIRECT,
        code_verifier: pkcePair().verifier,
      },
      auth,
    );
    expect(await wrongVerifier.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'code_verifier does not match the code_challenge.',
    });

    const code = await approve(url);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect((await token(url, { ...params, redirect_uri: `${REDIRECT}?x=1` }, auth)).status).toBe(400);
    expect((await token(url, params, auth)).status).toBe(200);
    expect(await (await token(url, params, auth)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates the refresh token; the previous access token lives until it expires', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const auth = basicAuth(CLIENT.clientId, CLIENT.clientSecret);
    const first = await tokensFor(url);
    const refreshed = await token(
      url,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      auth,
    );
    const second = (await refreshed.json()) as PlainTokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await graphql(url, first.access_token, WORKSPACE_QUERY)).status).toBe(200);
    const reused = await token(
      url,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      auth,
    );
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    clock.advance(3601_000);
    const expired = await graphql(url, second.access_token, WORKSPACE_QUERY);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers invalid_grant to refreshes while forceInvalidGrant is set', async () => {
    const { url, emulator } = await start();
    const tokens = await tokensFor(url);
    emulator.knobs.forceInvalidGrant = true;
    const response = await token(
      url,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      basicAuth(CLIENT.clientId, CLIENT.clientSecret),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    expect(emulator.stats.refreshRequests).toBe(1);
  });

  it('verifies a machine-user API key, and answers 401 once it is deleted', async () => {
    const { url, emulator } = await start();
    const response = await graphql(url, API_KEY, {
      query: '{ myWorkspace { id name } myMachineUser { type } myUser { id } myPermissions { permissions } }',
    });
    const body = (await response.json()) as { data: { myPermissions: { permissions: string[] } } };
    expect(body).toMatchObject({
      data: { myWorkspace: WORKSPACE, myMachineUser: { type: 'API_USER' }, myUser: null },
    });
    expect(body.data.myPermissions.permissions).toContain('metrics:read');

    emulator.revokeAccessToken(API_KEY);
    expect((await graphql(url, API_KEY, WORKSPACE_QUERY)).status).toBe(401);
  });

  it('executes variables, aliases, fragments and directives', async () => {
    const { url } = await start();
    const response = await graphql(url, API_KEY, {
      operationName: 'Mine',
      query: `
        query Other { myWorkspace { id } }
        query Mine($id: ID!, $withDates: Boolean = false) {
          ws: workspace(workspaceId: $id) { ...Basics createdAt @include(if: $withDates) { iso8601 } }
          missing: workspace(workspaceId: "w_nope") { id }
        }
        fragment Basics on Workspace { __typename id name }`,
      variables: { id: WORKSPACE.id, withDates: true },
    });
    expect(await response.json()).toEqual({
      data: {
        ws: { __typename: 'Workspace', ...WORKSPACE, createdAt: { iso8601: '2023-11-14T22:13:20.000Z' } },
        missing: null,
      },
    });
  });

  it('answers GraphQL parse and validation errors with Plain error codes', async () => {
    const { url } = await start();
    const unknownField = await graphql(url, API_KEY, { query: '{ myWorkspace { id secretField } }' });
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toEqual({
      errors: [
        {
          message: 'Cannot query field "secretField" on type "Workspace".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    const broken = await graphql(url, API_KEY, { query: '{ myWorkspace { id ' });
    expect(await broken.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    const noSelection = await graphql(url, API_KEY, { query: '{ myWorkspace }' });
    expect(await noSelection.json()).toMatchObject({
      errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
  });

  it('allows only POST on the GraphQL endpoint', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/graphql/v1?query=${encodeURIComponent('{ myWorkspace { id } }')}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(405);
  });

  it('adds latencyMs and fails the next failNext requests', async () => {
    const { url, emulator } = await start();
    emulator.knobs.latencyMs = 120;
    emulator.knobs.failNext = 1;
    const startedAt = performance.now();
    const failed = await graphql(url, API_KEY, WORKSPACE_QUERY);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(115);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({
      errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect((await graphql(url, API_KEY, WORKSPACE_QUERY)).status).toBe(200);
  });
});
