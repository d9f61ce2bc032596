import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedWorkspace, type TestApp } from '../../test/helpers.ts';

/** Bad input is a 4xx in the error contract, never a 500: each case is a request that once was one. */
let t: TestApp;
let home: Awaited<ReturnType<typeof seedWorkspace>>;
let other: Awaited<ReturnType<typeof seedWorkspace>>;
beforeAll(async () => {
  t = await createTestApp({}, { worker: false });
  home = await seedWorkspace(t, 'Home');
  other = await seedWorkspace(t, 'Other');
});
afterAll(async () => t.close());

const NUL_DETAIL = 'must not contain a NUL character';
const noPostgresError = () =>
  expect(t.logs.join('')).not.toMatch(/invalid byte sequence|0x00|syntax error at/);

describe('media types', () => {
  it('answers a form-encoded body on a JSON route with 415 (what `curl -d` sends)', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: home.keys.owner,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x&role=admin',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'unsupported_media_type', message: 'send the request body as application/json' },
    });
  });

  it('answers a body without a Content-Type with 415, and text/plain too', async () => {
    // A loopback URL: were the 415 ever to let this through, nothing could be delivered off the machine.
    const json = JSON.stringify({ url: 'http://127.0.0.1:9/x', events: ['refresh.failed'] });
    // Bytes, not a string: a string body would get `text/plain;charset=UTF-8` from the Request constructor.
    for (const [headers, body] of [
      [{}, new TextEncoder().encode(json)],
      [{ 'content-type': 'text/plain' }, json],
    ] as const) {
      const res = await t.request('/webhooks', { method: 'POST', key: home.keys.owner, headers, body });
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    }
  });

  it('answers a public JSON route the same way', async () => {
    const res = await t.request('/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--',
    });
    expect(res.status).toBe(415);
  });
});

describe('NUL characters, refused at validation by one rule', () => {
  it('in a path parameter', async () => {
    const res = await t.request('/apikeys/%00', { method: 'DELETE', key: home.keys.owner });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_params',
        message: 'invalid request param',
        details: [{ path: 'id', message: NUL_DETAIL }],
      },
    });
    const member = await t.request('/members/a%00b', { method: 'DELETE', key: home.keys.owner });
    expect(member.status).toBe(400);
  });

  it('in a body string, at any depth', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: home.keys.owner,
      json: { name: 'a\u0000b', role: 'member' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_body',
        message: 'invalid request body',
        details: [{ path: 'name', message: NUL_DETAIL }],
      },
    });
    const token = await t.request('/integrations/zendesk/token', {
      method: 'POST',
      key: home.keys.owner,
      json: { subdomain: 'acme', email: 'a@example.com', apiToken: 'abcdefgh\u0000' },
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({
      error: { code: 'invalid_body', details: [{ path: 'apiToken', message: NUL_DETAIL }] },
    });
  });

  it('in a query value', async () => {
    const res = await t.request('/imports?timezone=Europe%2FLondon%00&dryRun=true', {
      method: 'POST',
      key: home.keys.owner,
      headers: { 'content-type': 'text/csv' },
      body: 'id,created_at,status\n',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_query',
        message: 'invalid request query',
        details: [{ path: 'timezone', message: NUL_DETAIL }],
      },
    });
    const workspace = await t.request('/workspace', {
      method: 'PATCH',
      key: home.keys.owner,
      json: { name: 'A\u0000' },
    });
    expect(workspace.status).toBe(400);
    noPostgresError();
  });
});

describe('PATCH /workspace with nothing to change', () => {
  it('answers {} and no body with 400, naming what to send', async () => {
    const expected = {
      error: {
        code: 'invalid_body',
        message: 'invalid request body',
        details: [{ path: '(root)', message: 'send name, timezone or both' }],
      },
    };
    const empty = await t.request('/workspace', { method: 'PATCH', key: home.keys.owner, json: {} });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual(expected);
    const none = await t.request('/workspace', { method: 'PATCH', key: home.keys.owner });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual(expected);
    noPostgresError();
  });
});

describe('X-Workspace-Id with an API key', () => {
  it("answers 404 for another workspace's id, as a session does, and the key's own as usual", async () => {
    const foreign = await t.request('/me', {
      key: home.keys.member,
      headers: { 'x-workspace-id': other.workspace.id },
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({
      error: { code: 'not_found', message: `workspace ${other.workspace.id} not found` },
    });
    const own = await t.request('/members', {
      key: home.keys.member,
      headers: { 'x-workspace-id': home.workspace.id },
    });
    expect(own.status).toBe(200);
  });
});
