import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKeyById } from '../domain/api-keys.ts';
import { createInvite } from '../domain/workspaces.ts';
import { insertMembership } from '../db/repositories/memberships.ts';
import { randomBytes } from 'node:crypto';
import { upsertConnection } from '../db/repositories/connections/index.ts';
import { insertImport } from '../db/repositories/imports.ts';
import { insertRefresh } from '../db/repositories/refreshes.ts';
import { registerWebhook } from '../domain/webhooks.ts';
import {
  createTestApp,
  seedWorkspace,
  signUp,
  startHelpdesks,
  startWebhookReceiver,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/**
 * Walks every route the OpenAPI document publishes, by its declared `x-min-role`, with every kind of caller.
 * A route added without a role or a fixture below fails this test.
 */
type Caller = 'owner' | 'admin' | 'member' | 'otherWorkspace' | 'none' | 'revoked';
const CALLERS: Caller[] = ['owner', 'admin', 'member', 'otherWorkspace', 'none', 'revoked'];
const RANK = { member: 1, admin: 2, owner: 3 } as const;

let t: TestApp;
let helpdesks: TestHelpdesks;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let home: Awaited<ReturnType<typeof seedWorkspace>>;
let other: Awaited<ReturnType<typeof seedWorkspace>>;
let revokedKey: string;
let routes: { method: string; path: string; minRole: string }[];
const METRICS_TOKEN = 'matrix-metrics-token-0123456789';

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  helpdesks = await startHelpdesks(() => ({ apiTokens: [{ token: 'matrix-front-token' }] }));
  // With a metrics token set, /metrics/prometheus answers its bearer only, so every caller below must get 401.
  t = await createTestApp({ ...helpdesks.env, DESKPULSE_METRICS_TOKEN: METRICS_TOKEN });
  home = await seedWorkspace(t, 'Home');
  other = await seedWorkspace(t, 'Other');
  const revoked = await createApiKey(t.deps.db, {
    workspaceId: home.workspace.id,
    name: 'gone',
    role: 'owner',
    createdBy: { kind: 'system', label: 'role matrix' },
  });
  await revokeApiKeyById(t.deps.db, revoked.apiKey.id);
  revokedKey = revoked.secret;
  const doc = (await (await t.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { 'x-min-role'?: string }>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      minRole: op['x-min-role'] ?? '',
    })),
  );
});
afterAll(async () => {
  await t.close();
  await helpdesks.close();
  await receiver.close();
});

const owner = () => ({
  kind: 'api_key' as const,
  apiKeyId: 'x',
  userId: null,
  workspaceId: home.workspace.id,
  role: 'owner' as const,
});

async function ensureFrontConnection(): Promise<void> {
  await upsertConnection(t.deps.db, t.deps.keyring, {
    newId: `con_${randomBytes(10).toString('hex')}`,
    workspaceId: home.workspace.id,
    provider: 'front',
    authType: 'token',
    params: {},
    account: { id: 'cmp_1', name: 'Acme' },
    isSandbox: false,
    accessToken: 'matrix-front-token',
    refreshToken: undefined,
    accessTokenExpiresAt: null,
    scope: undefined,
    connectedByUserId: null,
  });
}

/** A loopback receiver (allow-listed by the test config): whatever the worker delivers stays on this machine. */
const homeWebhookId = async () =>
  (
    await registerWebhook(t.deps, owner(), {
      url: `${receiver.url}/matrix-hook`,
      events: ['refresh.failed'],
    })
  ).endpoint.id;

/** Fresh targets in the home workspace for each call, so destructive calls do not starve later ones. */
/** An import record of the home workspace (a dry run: no numbers to clean up). */
const homeImportId = async () =>
  (
    await insertImport(t.deps.db, {
      id: `imp_${randomBytes(10).toString('hex')}`,
      workspaceId: home.workspace.id,
      sourceId: null,
      format: 'generic',
      state: 'dry_run',
      fileName: 'matrix.csv',
      bytes: 10,
      parts: 1,
      rows: { read: 1, accepted: 1, rejected: 0, duplicate: 0 },
      timezone: null,
      asOf: new Date(),
      period: null,
      metrics: null,
      notMeasured: null,
      notes: null,
      rowErrors: [],
      error: null,
      requestedBy: 'matrix',
      finishedAt: new Date(),
    })
  ).id;

const TEMPLATE = 'id,created_at,status\nm1,2026-11-16T09:00:00Z,open\n';

type Fixture = { path: string; body?: unknown; raw?: { contentType: string; body: string } };
const fixtures: Record<string, () => Promise<Fixture>> = {
  'GET /healthz': async () => ({ path: '/healthz' }),
  'GET /readyz': async () => ({ path: '/readyz' }),
  'GET /openapi.json': async () => ({ path: '/openapi.json' }),
  'GET /docs': async () => ({ path: '/docs' }),
  'POST /auth/sign-up': async () => ({
    path: '/auth/sign-up',
    body: { email: `m${Math.random()}@x.io`, password: 'long enough pw', name: 'M' },
  }),
  'POST /auth/sign-in': async () => ({
    path: '/auth/sign-in',
    body: { email: home.owner.email, password: 'correct horse battery' },
  }),
  'POST /auth/sign-out': async () => ({ path: '/auth/sign-out' }),
  'GET /me': async () => ({ path: '/me' }),
  'POST /workspaces': async () => ({ path: '/workspaces', body: { name: 'New' } }),
  'GET /members': async () => ({ path: '/members' }),
  'PATCH /members/{userId}': async () => {
    const u = await signUp(t);
    await insertMembership(t.deps.db, { workspaceId: home.workspace.id, userId: u.userId, role: 'member' });
    return { path: `/members/${u.userId}`, body: { role: 'member' } };
  },
  'DELETE /members/{userId}': async () => {
    const u = await signUp(t);
    await insertMembership(t.deps.db, { workspaceId: home.workspace.id, userId: u.userId, role: 'member' });
    return { path: `/members/${u.userId}` };
  },
  'POST /invites': async () => ({ path: '/invites', body: { role: 'member' } }),
  'GET /invites': async () => ({ path: '/invites' }),
  'DELETE /invites/{id}': async () => ({
    path: `/invites/${(await createInvite(t.deps.db, owner(), { role: 'member' })).invite.id}`,
  }),
  'POST /invites/accept': async () => ({
    path: '/invites/accept',
    body: { token: (await createInvite(t.deps.db, owner(), { role: 'member' })).token },
  }),
  'POST /apikeys': async () => ({ path: '/apikeys', body: { name: 'k', role: 'member' } }),
  'GET /apikeys': async () => ({ path: '/apikeys' }),
  'GET /integrations/connections': async () => ({ path: '/integrations/connections' }),
  'DELETE /integrations/connections': async () => {
    await ensureFrontConnection();
    return { path: '/integrations/connections?provider=front' };
  },
  'PATCH /integrations/connections': async () => {
    await ensureFrontConnection();
    return { path: '/integrations/connections?provider=front', body: { refreshIntervalMinutes: 120 } };
  },
  'GET /integrations/{provider}/start': async () => ({ path: '/integrations/front/start' }),
  'POST /integrations/{provider}/complete': async () => ({
    path: '/integrations/front/complete',
    body: { code: 'c', state: 'not-a-real-state' },
  }),
  'GET /integrations/{provider}/callback': async () => ({
    path: '/integrations/front/callback?code=c&state=s',
  }),
  'POST /integrations/{provider}/token': async () => ({
    path: '/integrations/front/token',
    body: { apiToken: 'matrix-front-token' },
  }),
  'GET /audit': async () => ({ path: '/audit' }),
  'POST /integrations/{provider}/refresh': async () => {
    await ensureFrontConnection();
    return { path: '/integrations/front/refresh' };
  },
  'GET /refreshes/{id}': async () => {
    await ensureFrontConnection();
    const r = await insertRefresh(t.deps.db, {
      id: `ref_${randomBytes(10).toString('hex')}`,
      workspaceId: home.workspace.id,
      provider: 'front',
      requestedBy: 'matrix',
      historyWeeks: 1,
    });
    return { path: `/refreshes/${r.id}` };
  },
  'GET /metrics': async () => ({ path: '/metrics' }),
  'GET /metrics/history': async () => ({ path: '/metrics/history?weeks=4' }),
  'GET /metrics/agents': async () => ({ path: '/metrics/agents' }),
  'GET /metrics/prometheus': async () => ({ path: '/metrics/prometheus' }),
  'GET /workspace': async () => ({ path: '/workspace' }),
  'PATCH /workspace': async () => ({ path: '/workspace', body: { timezone: 'Europe/London' } }),
  'POST /webhooks': async () => ({
    path: '/webhooks',
    body: { url: `${receiver.url}/matrix-hook`, events: ['refresh.failed'] },
  }),
  'GET /webhooks': async () => ({ path: '/webhooks' }),
  'POST /imports': async () => ({
    path: '/imports?dryRun=true',
    raw: { contentType: 'text/csv', body: TEMPLATE },
  }),
  'GET /imports': async () => ({ path: '/imports' }),
  'GET /imports/{id}': async () => ({ path: `/imports/${await homeImportId()}` }),
  'DELETE /imports/{id}': async () => ({ path: `/imports/${await homeImportId()}` }),
  'GET /imports/template.csv': async () => ({ path: '/imports/template.csv' }),
  'GET /imports/formats': async () => ({ path: '/imports/formats' }),
  'GET /setup': async () => ({ path: '/setup' }),
  'POST /setup': async () => ({
    path: '/setup',
    body: { workspaceName: 'W', name: 'N', email: `s${Math.random()}@x.io`, password: 'a long enough pw' },
  }),
  'GET /integrations/providers': async () => ({ path: '/integrations/providers' }),
  'DELETE /webhooks/{id}': async () => ({ path: `/webhooks/${await homeWebhookId()}` }),
  'GET /webhooks/{id}/deliveries': async () => ({ path: `/webhooks/${await homeWebhookId()}/deliveries` }),
  'DELETE /apikeys/{id}': async () => {
    const k = await createApiKey(t.deps.db, {
      workspaceId: home.workspace.id,
      name: 'x',
      role: 'member',
      createdBy: { kind: 'system', label: 'role matrix' },
    });
    return { path: `/apikeys/${k.apiKey.id}` };
  },
};

/**
 * The product's role table (https://docs.forepost.ai/help/teammates), pinned here so a route declared with the
 * wrong role fails.
 */
const EXPECTED_ROLE: Record<string, string> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'POST /auth/sign-up': 'public',
  'POST /auth/sign-in': 'public',
  'POST /auth/sign-out': 'authenticated',
  'GET /me': 'authenticated',
  'POST /workspaces': 'authenticated',
  'GET /members': 'member',
  'PATCH /members/{userId}': 'owner',
  'DELETE /members/{userId}': 'admin',
  'POST /invites': 'admin',
  'GET /invites': 'admin',
  'DELETE /invites/{id}': 'admin',
  'POST /invites/accept': 'authenticated',
  'POST /apikeys': 'admin',
  'GET /apikeys': 'admin',
  'DELETE /apikeys/{id}': 'admin',
  'GET /integrations/connections': 'member',
  'DELETE /integrations/connections': 'admin',
  'PATCH /integrations/connections': 'admin',
  'GET /integrations/{provider}/start': 'admin',
  'POST /integrations/{provider}/complete': 'admin',
  'GET /integrations/{provider}/callback': 'public',
  'POST /integrations/{provider}/token': 'admin',
  'GET /audit': 'admin',
  'POST /integrations/{provider}/refresh': 'admin',
  'GET /refreshes/{id}': 'member',
  'GET /metrics': 'member',
  'GET /metrics/history': 'member',
  'GET /metrics/agents': 'member',
  // Not a workspace route: DESKPULSE_METRICS_TOKEN (or loopback when unset), never a workspace key.
  'GET /metrics/prometheus': 'metrics-token',
  'GET /workspace': 'member',
  'PATCH /workspace': 'admin',
  'POST /webhooks': 'admin',
  'GET /webhooks': 'admin',
  'DELETE /webhooks/{id}': 'admin',
  'GET /webhooks/{id}/deliveries': 'admin',
  'POST /imports': 'admin',
  'GET /imports': 'admin',
  'GET /imports/{id}': 'admin',
  'DELETE /imports/{id}': 'admin',
  'GET /imports/template.csv': 'member',
  'GET /imports/formats': 'member',
  'GET /setup': 'public',
  'POST /setup': 'public',
  'GET /integrations/providers': 'member',
};

/** Routes that belong to a person rather than a script: any API key answers 403 there. */
const SESSION_ONLY = new Set(['POST /workspaces', 'POST /invites/accept']);
/** A made-up OAuth state passes authorisation and then fails its own check. */
const BUSINESS_FAILURE: Record<string, number> = {
  'POST /integrations/{provider}/complete': 400,
  // Workspaces exist here: first-run setup is over.
  'POST /setup': 409,
};

/** Routes whose target is a resource of the home workspace: another workspace's caller must not find it. */
const HOME_TARGETS = new Set([
  'PATCH /members/{userId}',
  'DELETE /members/{userId}',
  'DELETE /invites/{id}',
  'DELETE /apikeys/{id}',
  'DELETE /integrations/connections',
  'PATCH /integrations/connections',
  'GET /refreshes/{id}',
  'DELETE /webhooks/{id}',
  'GET /webhooks/{id}/deliveries',
  'GET /imports/{id}',
  'DELETE /imports/{id}',
]);

describe('role matrix', () => {
  it('covers every published route with a declared role and a fixture', () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      expect(r.minRole, `${r.method} ${r.path}`).toBe(EXPECTED_ROLE[`${r.method} ${r.path}`]);
      expect(fixtures[`${r.method} ${r.path}`], `fixture for ${r.method} ${r.path}`).toBeDefined();
    }
  });

  it('answers each caller as its role allows', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const id = `${r.method} ${r.path}`;
      for (const caller of CALLERS) {
        const f = await fixtures[id]!();
        const key =
          caller === 'none'
            ? undefined
            : caller === 'revoked'
              ? revokedKey
              : caller === 'otherWorkspace'
                ? other.keys.owner
                : home.keys[caller];
        const res = await t.request(f.path, {
          method: r.method,
          ...(key ? { key } : {}),
          ...(f.body ? { json: f.body } : {}),
          ...(f.raw ? { headers: { 'content-type': f.raw.contentType }, body: f.raw.body } : {}),
        });
        const body = await res.text();
        let expected: number | 'ok';
        if (r.minRole === 'metrics-token') expected = 401;
        else if (r.minRole === 'public') expected = 'ok';
        else if (caller === 'none' || caller === 'revoked') expected = 401;
        else if (SESSION_ONLY.has(id)) expected = 403;
        else if (r.minRole === 'authenticated') expected = 'ok';
        else if (caller === 'otherWorkspace') expected = HOME_TARGETS.has(id) ? 404 : 'ok';
        else expected = RANK[caller] >= RANK[EXPECTED_ROLE[id] as keyof typeof RANK] ? 'ok' : 403;

        // Allowed means authorised and successful, except where the fixture cannot succeed by design.
        const allowedStatus = (status: number) =>
          id in BUSINESS_FAILURE ? status === BUSINESS_FAILURE[id] : status < 400;
        const fine = expected === 'ok' ? allowedStatus(res.status) : res.status === expected;
        if (!fine) failures.push(`${id} as ${caller}: expected ${expected}, got ${res.status} ${body}`);
        if (expected === 403 && !SESSION_ONLY.has(id) && !body.includes(`needs the ${r.minRole} role`)) {
          failures.push(`${id} as ${caller}: 403 without the role message: ${body}`);
        }
        if (caller === 'otherWorkspace' && res.status < 400 && body.includes(home.workspace.id)) {
          failures.push(`${id} as ${caller}: leaked the home workspace`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("never shows another workspace's keys, invites or members", async () => {
    for (const path of ['/apikeys', '/invites', '/members']) {
      const body = await (await t.request(path, { key: other.keys.owner })).text();
      expect(body).not.toContain(home.owner.userId);
      for (const k of Object.values(home.keys)) expect(body).not.toContain(k.slice(4, 20));
    }
  });

  it('lets the metrics token open the Prometheus route and no workspace route', async () => {
    const failures: string[] = [];
    for (const r of routes.filter((x) => x.minRole !== 'public')) {
      const id = `${r.method} ${r.path}`;
      const f = await fixtures[id]!();
      const res = await t.request(f.path, {
        method: r.method,
        key: METRICS_TOKEN,
        ...(f.body ? { json: f.body } : {}),
        ...(f.raw ? { headers: { 'content-type': f.raw.contentType }, body: f.raw.body } : {}),
      });
      const expected = r.minRole === 'metrics-token' ? 200 : 401;
      if (res.status !== expected) failures.push(`${id}: expected ${expected}, got ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});
