import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedWorkspace, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let keys: Awaited<ReturnType<typeof seedWorkspace>>['keys'];
beforeAll(async () => {
  t = await createTestApp();
  ({ keys } = await seedWorkspace(t));
});
afterAll(async () => t.close());

describe('error contract', () => {
  it('answers unknown routes with 404 in the contract and a request id', async () => {
    const res = await t.request('/no/such/route');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /no/such/route' },
    });
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: keys.owner,
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_json', message: 'request body is not valid JSON' },
    });
  });

  it('answers unknown fields and wrong types with field-level details', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: keys.owner,
      json: { name: 42, role: 'admin', extra: 1 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; message: string; details: { path: string }[] };
    };
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.message).toBe('invalid request body');
    expect(body.error.details).toEqual([
      { path: 'name', message: expect.stringContaining('string') as string },
      { path: 'extra', message: 'unknown field' },
    ]);
  });

  it('answers query parameters on a route that takes none with 400 invalid_query, one detail each', async () => {
    const unknown = {
      error: {
        code: 'invalid_query',
        message: 'invalid request query',
        details: [
          { path: 'x', message: 'unknown field' },
          { path: 'y', message: 'unknown field' },
        ],
      },
    };
    for (const [path, key] of [
      ['/healthz?x=1&y', undefined],
      ['/me?x=1&y=2', keys.member],
      ['/metrics?x=&y=%00', keys.member],
    ] as const) {
      const res = await t.request(path, key === undefined ? {} : { key });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toEqual(unknown);
    }
    // The caller is identified first: a stranger learns nothing about the route's parameters.
    expect((await t.request('/me?x=1')).status).toBe(401);
    // A bare `?` is no parameter.
    expect((await t.request('/healthz?')).status).toBe(200);
  });

  it('rejects an out-of-range enum with its path', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: keys.owner,
      json: { name: 'x', role: 'owner' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  it('answers a request body over 1 MiB with 413', async () => {
    const res = await t.request('/apikeys', {
      method: 'POST',
      key: keys.owner,
      json: { name: 'x'.repeat(1_100_000), role: 'admin' },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('answers healthz and readyz', async () => {
    expect(await (await t.request('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await t.request('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves a generated OpenAPI 3.1 document and a browsable reference', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/me', '/apikeys', '/apikeys/{id}', '/readyz']),
    );
    const docs = await t.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('logs each request with its id and never the bearer key', async () => {
    const res = await t.request('/me', { key: keys.member });
    const id = res.headers.get('x-request-id') ?? '';
    const line = t.logs.find((l) => l.includes(id));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/me',
      status: 200,
    });
    expect(t.logs.join('')).not.toContain(keys.member);
  });

  it('logs a succeeding health probe at debug, the API at info', async () => {
    const levelOf = async (path: string) => {
      const id = (await t.request(path)).headers.get('x-request-id') ?? '';
      const line = t.logs.find((l) => l.includes(id) && l.includes('"msg":"request"'));
      return (JSON.parse(line ?? '{}') as { level?: string }).level;
    };
    expect(await levelOf('/healthz')).toBe('debug');
    expect(await levelOf('/readyz')).toBe('debug');
    expect(await levelOf('/me')).toBe('info');
  });
});
