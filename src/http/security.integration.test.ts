import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../db/embedded.ts';
import { createTestApp, seedWorkspace, TEST_PUBLIC_URL, type TestApp } from '../../test/helpers.ts';

/**
 * Issue 14: the security headers on every response (src/http/security.ts), in both ways they are set — on Node's
 * ServerResponse under a real server, on the Response under `app.request()` — and the Origin check on writes a
 * browser could send with our session cookie.
 */
let t: TestApp;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port }, () => resolve());
  });
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('permissions-policy')).toContain('camera=()');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-request-id')).toMatch(UUID);
  // The public URL is http: no HSTS (a browser would pin it for the host).
  expect(res.headers.get('strict-transport-security')).toBeNull();
}

describe('security headers', () => {
  const paths = ['/healthz', '/me', '/no-such-route', '/openapi.json', '/docs', '/app/'];

  it('are on every response over a real server: JSON, errors, the document, the docs and the dashboard', async () => {
    for (const path of paths) {
      const res = await fetch(`${base}${path}`);
      await res.arrayBuffer();
      expectSecurityHeaders(res);
    }
  });

  it('are on every response without a Node server too (app.request)', async () => {
    for (const path of paths) expectSecurityHeaders(await t.app.request(path));
  });

  it("keep the caller's request id when it is a plain token, and replace any other", async () => {
    const mine = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-42_a=b' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-42_a=b');
    const odd = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(UUID);
    const long = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'x'.repeat(256) } });
    expect(long.headers.get('x-request-id')).toMatch(UUID);
  });

  it('include HSTS when the public URL is https', async () => {
    const https = await createTestApp({ DESKPULSE_PUBLIC_URL: 'https://deskpulse.example' });
    try {
      const res = await https.app.request('/healthz');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    } finally {
      await https.close();
    }
  });
});

describe('writes with the session cookie', () => {
  it('are refused from another origin, by Origin or by Sec-Fetch-Site, and allowed from ours', async () => {
    const { owner, keys } = await seedWorkspace(t);
    const write = (headers: Record<string, string>) =>
      fetch(`${base}/apikeys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'csrf probe', role: 'member' }),
      });
    for (const attack of [
      { cookie: owner.cookie, origin: 'https://evil.example' },
      { cookie: owner.cookie, origin: 'http://127.0.0.1:3001' },
      { cookie: owner.cookie, 'sec-fetch-site': 'same-site' },
      { cookie: owner.cookie, 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await write(attack);
      expect(res.status, JSON.stringify(attack)).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toContain(TEST_PUBLIC_URL);
    }
    // Nothing was created by the refused attempts.
    const listed = (await (await t.request('/apikeys', { key: keys.owner })).json()) as {
      apiKeys: { name: string }[];
    };
    expect(listed.apiKeys.filter((k) => k.name === 'csrf probe')).toEqual([]);

    expect((await write({ cookie: owner.cookie, origin: TEST_PUBLIC_URL })).status).toBe(201);
    expect((await write({ cookie: owner.cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    // Not a browser (no Origin, no Sec-Fetch-Site): nothing ambient to abuse.
    expect((await write({ cookie: owner.cookie })).status).toBe(201);
    // An API key is no ambient credential: its origin does not matter.
    const keyed = await write({ authorization: `Bearer ${keys.owner}`, origin: 'https://evil.example' });
    expect(keyed.status).toBe(201);
  });
});
