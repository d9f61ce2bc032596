import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { publishEvent } from '../domain/webhooks.ts';
import { createTestApp, seedWorkspace, startWebhookReceiver, type TestApp } from '../../test/helpers.ts';

/**
 * The webhook endpoints' HTTP surface. Endpoints are a loopback receiver, allow-listed by the test config;
 * the SSRF refusals run against an app with the default policy (no allow-list). Deliveries: domain tests.
 */
let t: TestApp;
let strict: TestApp;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let home: Awaited<ReturnType<typeof seedWorkspace>>;
let other: Awaited<ReturnType<typeof seedWorkspace>>;
let PUBLIC_URL: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  PUBLIC_URL = `${receiver.url}/deskpulse-hook`;
  t = await createTestApp({}, { worker: false });
  strict = await createTestApp({ DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: '' }, { worker: false });
  home = await seedWorkspace(t, 'Home');
  other = await seedWorkspace(t, 'Other');
});
afterAll(async () => {
  // No test here delivers: the receiver must have heard nothing.
  expect(receiver.received).toEqual([]);
  await t.close();
  await strict.close();
  await receiver.close();
});

type Created = { id: string; url: string; events: string[]; createdAt: string; secret: string };
type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

async function create(key: string, body: unknown): Promise<Response> {
  return t.request('/webhooks', { method: 'POST', key, json: body });
}

async function createOk(key: string, events = ['refresh.failed']): Promise<Created> {
  const res = await create(key, { url: PUBLIC_URL, events });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
}

const countEndpoints = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('webhook_endpoints')
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('POST /webhooks', () => {
  it('returns the signing secret once and never again (not listed, logged or stored in clear)', async () => {
    const created = await createOk(home.keys.admin, ['refresh.failed', 'metrics.updated']);
    expect(created.id).toMatch(/^wh_[0-9a-f]{20}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.url).toBe(PUBLIC_URL);
    expect(created.events).toEqual(['refresh.failed', 'metrics.updated']);

    const listed = await t.request('/webhooks', { key: home.keys.owner });
    expect(listed.status).toBe(200);
    const listedText = await listed.text();
    expect(JSON.parse(listedText)).toEqual({
      webhooks: [{ id: created.id, url: PUBLIC_URL, events: created.events, createdAt: created.createdAt }],
    });
    const secretBody = created.secret.slice('whsec_'.length);
    expect(listedText).not.toContain(secretBody);
    expect(t.logs.join('\n')).not.toContain(secretBody);

    const dump = await sql<{ row: string }>`
      select row_to_json(e)::text as row from webhook_endpoints e
      union all select row_to_json(d)::text from webhook_deliveries d
      union all select row_to_json(a)::text from audit_events a`.execute(t.deps.db);
    expect(dump.rows.length).toBeGreaterThan(0);
    for (const { row } of dump.rows) expect(row).not.toContain(secretBody);

    const stored = await t.deps.db
      .selectFrom('webhook_endpoints')
      .select(['secret_ct', 'encryption_key_id'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_ct).toMatch(/^v1\.t1\./);
    expect(stored.encryption_key_id).toBe('t1');

    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'detail', 'actor_api_key_id'])
      .where('workspace_id', '=', home.workspace.id)
      .where('action', '=', 'webhook.create')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ outcome: 'ok', detail: expect.stringContaining(created.id) as string }),
    ]);
  });

  it('is for admins and the owner: a member gets 403 on every webhook route', async () => {
    const created = await createOk(home.keys.owner);
    const calls: [string, string, unknown?][] = [
      ['POST', '/webhooks', { url: PUBLIC_URL, events: ['refresh.failed'] }],
      ['GET', '/webhooks'],
      ['DELETE', `/webhooks/${created.id}`],
      ['GET', `/webhooks/${created.id}/deliveries`],
    ];
    for (const [method, path, json] of calls) {
      const res = await t.request(path, { method, key: home.keys.member, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as ErrorBody).error).toEqual({
        code: 'forbidden',
        message: 'this action needs the admin role; you are member',
      });
    }
  });

  it('validates events: non-empty, unique, known', async () => {
    const cases: [unknown, string][] = [
      [{ url: PUBLIC_URL, events: [] }, 'events'],
      [{ url: PUBLIC_URL, events: ['refresh.failed', 'refresh.failed'] }, 'events'],
      [{ url: PUBLIC_URL, events: ['refresh.exploded'] }, 'events.0'],
      [{ url: PUBLIC_URL }, 'events'],
      [{ url: PUBLIC_URL, events: ['refresh.failed'], secret: 'mine' }, 'secret'],
    ];
    const before = await countEndpoints();
    for (const [body, path] of cases) {
      const res = await create(home.keys.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe('invalid_body');
      expect(error.details?.map((d) => d.path)).toContain(path);
    }
    expect(await countEndpoints()).toBe(before);
  });

  it('refuses SSRF targets with the reason, storing nothing', async () => {
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:1/x', /resolves to 127\.0\.0\.1 \(loopback\)/],
      ['http://localhost/', /host localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/],
      ['http://[::1]/', /resolves to ::1 \(loopback\)/],
      ['http://169.254.169.254/latest/meta-data', /resolves to 169\.254\.169\.254 \(linkLocal\)/],
      ['http://10.1.2.3/', /resolves to 10\.1\.2\.3 \(private\)/],
      ['http://192.168.0.1/', /resolves to 192\.168\.0\.1 \(private\)/],
      ['http://[::ffff:127.0.0.1]/', /resolves to ::ffff:7f00:1 \(127\.0\.0\.1, loopback\)/],
      ['http://2130706433/', /resolves to 127\.0\.0\.1 \(loopback\)/],
      ['http://[fd00::1]/', /resolves to fd00::1 \(uniqueLocal\)/],
      // IPv4-compatible IPv6 (deprecated ::/96) that ipaddr.js calls "unicast": 127.0.0.1 in disguise.
      ['http://[::127.0.0.1]/', /resolves to ::7f00:1 \(not global unicast\)/],
      ['http://100.64.0.1/', /resolves to 100\.64\.0\.1 \(carrierGradeNat\)/],
      ['http://0.0.0.0/', /resolves to 0\.0\.0\.0 \(unspecified\)/],
      ['ftp://example.com/', /^webhook URL must use http or https, not ftp$/],
      ['http://user:pass@example.com/', /^webhook URL must not contain a user name or password$/],
      ['not a url', /^webhook URL is not a valid absolute URL$/],
    ];
    expect(strict.deps.config.webhooks.allowedNetworks).toEqual([]);
    const strictHome = await seedWorkspace(strict, 'Strict');
    const stored = () => strict.deps.db.selectFrom('webhook_endpoints').select('id').execute();
    for (const [url, reason] of refused) {
      const res = await strict.request('/webhooks', {
        method: 'POST',
        key: strictHome.keys.admin,
        json: { url, events: ['refresh.failed'] },
      });
      const body = (await res.json()) as ErrorBody;
      expect(res.status, url).toBe(400);
      expect(body.error.code).toBe('invalid_body');
      expect(body.error.message, url).toMatch(reason);
      expect(body.error.details).toEqual([{ path: 'url', message: body.error.message }]);
      if (/resolves to/.test(body.error.message)) {
        expect(body.error.message).toContain(
          'deliveries go only to public addresses — allow it with DESKPULSE_WEBHOOK_ALLOWED_NETWORKS',
        );
      }
    }
    expect(await stored()).toEqual([]);
  });
});

describe('DELETE /webhooks/{id} and GET /webhooks/{id}/deliveries', () => {
  it("answers 404 for another workspace's endpoint and leaves it alone", async () => {
    const created = await createOk(home.keys.admin);
    for (const [method, path] of [
      ['DELETE', `/webhooks/${created.id}`],
      ['GET', `/webhooks/${created.id}/deliveries`],
    ] as const) {
      const res = await t.request(path, { method, key: other.keys.owner });
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error).toEqual({
        code: 'not_found',
        message: `no webhook ${created.id} in this workspace`,
      });
    }
    const mine = await t.request(`/webhooks/${created.id}/deliveries`, { key: home.keys.admin });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({ deliveries: [] });
    const theirs = (await (await t.request('/webhooks', { key: other.keys.owner })).json()) as {
      webhooks: unknown[];
    };
    expect(theirs.webhooks).toEqual([]);
  });

  it('deletes an endpoint with its deliveries, and audits it', async () => {
    const created = await createOk(home.keys.admin, ['refresh.succeeded']);
    await t.deps.db.transaction().execute((trx) =>
      publishEvent(trx, undefined, {
        workspaceId: home.workspace.id,
        type: 'refresh.succeeded',
        data: { provider: 'front' },
      }),
    );
    const deliveries = (await (
      await t.request(`/webhooks/${created.id}/deliveries`, { key: home.keys.admin })
    ).json()) as { deliveries: { eventType: string; state: string; attempts: unknown[] }[] };
    expect(deliveries.deliveries).toEqual([
      expect.objectContaining({ eventType: 'refresh.succeeded', state: 'pending', attempts: [] }),
    ]);

    const res = await t.request(`/webhooks/${created.id}`, { method: 'DELETE', key: home.keys.admin });
    expect(res.status).toBe(204);
    const left = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', created.id)
      .execute();
    expect(left).toEqual([]);
    const again = await t.request(`/webhooks/${created.id}`, { method: 'DELETE', key: home.keys.admin });
    expect(again.status).toBe(404);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('detail')
      .where('workspace_id', '=', home.workspace.id)
      .where('action', '=', 'webhook.delete')
      .execute();
    expect(audit.map((a) => a.detail)).toEqual([`${created.id} ${PUBLIC_URL}`]);
  });

  it('rejects a malformed id and an out-of-range limit', async () => {
    const bad = await t.request('/webhooks/nope/deliveries', { key: home.keys.admin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe('invalid_params');
    const created = await createOk(home.keys.admin);
    const limit = await t.request(`/webhooks/${created.id}/deliveries?limit=1000`, { key: home.keys.admin });
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as ErrorBody).error.code).toBe('invalid_query');
  });
});

describe('publishEvent', () => {
  it('creates one delivery per subscribed endpoint of the workspace, and none for the others', async () => {
    const ws = await seedWorkspace(t, 'Fanout');
    const a = await createOk(ws.keys.admin, ['refresh.failed']);
    const b = await createOk(ws.keys.admin, ['refresh.failed', 'metrics.updated']);
    const c = await createOk(ws.keys.admin, ['metrics.updated']);
    const elsewhere = await createOk(other.keys.admin, ['refresh.failed']);
    await t.deps.db.transaction().execute((trx) =>
      publishEvent(trx, undefined, {
        workspaceId: ws.workspace.id,
        type: 'refresh.failed',
        data: { n: 1 },
      }),
    );
    const rows = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select(['endpoint_id', 'event_id', 'body', 'state'])
      .where('endpoint_id', 'in', [a.id, b.id, c.id, elsewhere.id])
      .execute();
    expect(rows.map((r) => r.endpoint_id).sort()).toEqual([a.id, b.id].sort());
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1);
    const body = JSON.parse(rows[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toEqual({
      id: rows[0]?.event_id,
      type: 'refresh.failed',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      workspaceId: ws.workspace.id,
      data: { n: 1 },
    });
  });

  it('writes nothing when the caller rolls back', async () => {
    const ws = await seedWorkspace(t, 'Rollback');
    const a = await createOk(ws.keys.admin, ['refresh.failed']);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await publishEvent(trx, t.deps.jobs, {
          workspaceId: ws.workspace.id,
          type: 'refresh.failed',
          data: {},
        });
        throw new Error('caller failed after publishing');
      }),
    ).rejects.toThrow('caller failed after publishing');
    const rows = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', a.id)
      .execute();
    expect(rows).toEqual([]);
    const jobs = await sql<{ n: string }>`
      select count(*) as n from pgboss.job where name = 'webhook-deliver'`.execute(t.deps.db);
    expect(Number(jobs.rows[0]?.n)).toBe(0);
  });
});
