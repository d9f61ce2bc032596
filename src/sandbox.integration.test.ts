import { Writable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.ts';
import { freePort } from './db/embedded.ts';
import { createLogger } from './lib/logger.ts';
import { startService, type RunningService } from './main.ts';
import { PROVIDER_IDS } from './providers/types.ts';
import { providers } from './providers/index.ts';
import { contractFetch, createTestDatabase, TEST_KEYS } from '../test/helpers.ts';

/** Sandbox mode over a real server: every helpdesk connects offline through its in-process emulator. */
let service: RunningService;
let drop: () => Promise<void>;
let base: string;
const logs: { level: string; msg: string; path?: string }[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = () => database.drop();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: database.url,
    DESKPULSE_AUTH_SECRET: 'sandbox-test-secret-sandbox-test-secret',
    DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
    DESKPULSE_SANDBOX: '1',
    // Connecting makes a connection due: the minute tick would queue the refresh these tests ask for.
    DESKPULSE_SCHEDULER: '0',
  });
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(JSON.parse(chunk.toString('utf8')) as (typeof logs)[number]);
      cb();
    },
  });
  service = await startService(config, createLogger({ level: 'debug', destination }));
});
afterAll(async () => {
  await service.close();
  await drop();
});

async function signedInOwner(): Promise<string> {
  // Sign-up is by invitation here (the default); the account is made the way first-run setup makes it.
  const email = `demo-${Date.now()}@example.com`;
  await service.deps.auth.api.signUpEmail({ body: { email, password: 'a demo password', name: 'Demo' } });
  const signedIn = await contractFetch(`${base}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password: 'a demo password' }),
  });
  const cookie = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  await contractFetch(`${base}/workspaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Demo' }),
  });
  return cookie;
}

describe('sandbox mode', () => {
  it('connects all four helpdesks by OAuth through the browser flow, offline', async () => {
    const cookie = await signedInOwner();
    for (const provider of PROVIDER_IDS) {
      const start = await contractFetch(
        `${base}/integrations/${provider}/start${provider === 'zendesk' ? '?subdomain=acme' : ''}`,
        {
          headers: { cookie },
        },
      );
      expect(start.status, provider).toBe(200);
      const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
      expect(authorizeUrl.startsWith(`${base}/_sandbox/${provider}/`)).toBe(true);

      const consent = await contractFetch(authorizeUrl);
      expect(consent.headers.get('content-type')).toContain('text/html');
      expect(await consent.text()).toMatch(/<button/);

      const approved = await contractFetch(`${authorizeUrl}&auto_approve=1`, { redirect: 'manual' });
      const callback = approved.headers.get('location') ?? '';
      expect(callback.startsWith(`${base}/integrations/${provider}/callback?`)).toBe(true);
      const landed = await contractFetch(callback, { headers: { cookie }, redirect: 'manual' });
      expect(landed.headers.get('location')).toBe(
        `${base}/app/integrations?integration=${provider}&status=connected`,
      );
    }
    const list = (await (
      await contractFetch(`${base}/integrations/connections`, { headers: { cookie } })
    ).json()) as {
      connections: { provider: string; sandbox: boolean; authType: string; status: string }[];
    };
    expect(list.connections.map((c) => [c.provider, c.authType, c.status, c.sandbox]).sort()).toEqual(
      [...PROVIDER_IDS].sort().map((p) => [p, 'oauth', 'ok', true]),
    );
    // The emulators' requests are logged at debug, the API's own at info.
    const requests = logs.filter((l) => l.msg === 'request');
    const emulated = requests.filter((l) => l.path?.startsWith('/_sandbox/'));
    expect(emulated.length).toBeGreaterThanOrEqual(PROVIDER_IDS.length * 2);
    expect(new Set(emulated.map((l) => l.level))).toEqual(new Set(['debug']));
    expect(new Set(requests.filter((l) => !emulated.includes(l)).map((l) => l.level))).toEqual(
      new Set(['info']),
    );
  });

  it('serves demo data: a refresh of a sandbox connection yields real numbers', async () => {
    const cookie = await signedInOwner();
    await contractFetch(`${base}/integrations/front/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(providers.front.sandbox.tokenBody),
    });
    const queued = await contractFetch(`${base}/integrations/front/refresh`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(queued.status).toBe(202);
    const { refreshId } = (await queued.json()) as { refreshId: string };
    let state = 'queued';
    for (let i = 0; i < 300 && (state === 'queued' || state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (
        (await (await contractFetch(`${base}/refreshes/${refreshId}`, { headers: { cookie } })).json()) as {
          state: string;
        }
      ).state;
    }
    expect(state).toBe('succeeded');
    const metrics = (await (await contractFetch(`${base}/metrics`, { headers: { cookie } })).json()) as {
      providers: { provider: string; metrics: { weeklyVolume: number; csat: number | null } }[];
    };
    expect(metrics.providers[0]?.metrics.weeklyVolume).toBeGreaterThan(50);
    expect(metrics.providers[0]?.metrics.csat).toBeGreaterThan(0);
  });

  it('accepts the documented demo API tokens', async () => {
    const cookie = await signedInOwner();
    for (const provider of PROVIDER_IDS) {
      const res = await contractFetch(`${base}/integrations/${provider}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(providers[provider].sandbox.tokenBody),
      });
      expect(res.status, `${provider}: ${await res.clone().text()}`).toBe(200);
      expect(await res.json()).toMatchObject({ provider, authType: 'token', sandbox: true });
    }
  });

  it('answers the emulators with the request id, and each enforces its own auth as its helpdesk does', async () => {
    // Zendesk's official OAS says of `GET /api/v2/users/me` "Allowed For: Anonymous users": without credentials
    // it answers 200 with an anonymous user (id null). Every other call of it, and of the others, needs auth.
    const anonymousMe = await contractFetch(`${base}/_sandbox/zendesk/sandbox/api/v2/users/me`);
    expect(anonymousMe.status).toBe(200);
    expect(anonymousMe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await anonymousMe.json()).toMatchObject({ user: { id: null, name: 'Anonymous user' } });
    const anonymous: [string, RequestInit?][] = [
      ['/_sandbox/zendesk/sandbox/api/v2/incremental/tickets/cursor?start_time=0'],
      ['/_sandbox/zendesk/sandbox/api/v2/oauth/tokens/current'],
      ['/_sandbox/intercom/me'],
      ['/_sandbox/front/me'],
      [
        '/_sandbox/plain/graphql/v1',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ myWorkspace { id } }"}',
        },
      ],
    ];
    for (const [path, init] of anonymous) {
      const res = await contractFetch(`${base}${path}`, init);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers headers over 16 KiB with 431 in the error contract', async () => {
    const port = Number(new URL(base).port);
    for (const [path, headers] of [
      [`/healthz?${'a'.repeat(20_000)}`, {}],
      ['/healthz', { 'x-big': 'b'.repeat(20_000) }],
    ] as const) {
      const {
        status,
        headers: got,
        body,
      } = await new Promise<{
        status: number | undefined;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(431);
      expect(got['content-type']).toBe('application/json');
      expect(got['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(body)).toEqual({
        error: { code: 'headers_too_large', message: 'the request line and headers are over 16 KiB' },
      });
    }
    expect((await contractFetch(`${base}/healthz`)).status).toBe(200);
  });
});
