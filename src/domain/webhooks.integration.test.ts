import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  countWebhookSecretsByKey,
  findEndpointWithSecret,
  reencryptWebhookSecretsBatch,
} from '../db/repositories/webhooks.ts';
import { generateKey, Keyring, parseKeyring } from '../lib/keyring.ts';
import { createTestApp, seedWorkspace, TEST_KEYS, waitFor, type TestApp } from '../../test/helpers.ts';
import { guardedAgent, WebhookTargetRefused } from './webhook-target.ts';
import {
  deliver,
  MAX_RETRY_DELAY_MS,
  publishEvent,
  redriveStaleDeliveries,
  retryDelayMs,
  type WebhookEventType,
} from './webhooks.ts';

/**
 * Deliveries end to end: real pg-boss workers in this process, receivers on 127.0.0.1 (allow-listed here, as
 * operators would for an on-premises receiver) and a 50 ms retry base so six attempts take about two seconds.
 */
let t: TestApp;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
const servers: http.Server[] = [];

beforeAll(async () => {
  t = await createTestApp({
    DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
    DESKPULSE_WEBHOOK_RETRY_BASE_SECONDS: '0.05',
  });
  ws = await seedWorkspace(t);
});
afterEach(async () => {
  await t.deps.db.deleteFrom('webhook_endpoints').execute();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});
afterAll(async () => {
  await t.close();
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a free loopback port answering each request with the next status (the last repeats). */
async function startReceiver(statuses: number[] = [200]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function register(url: string, events: WebhookEventType[] = ['refresh.failed']) {
  const res = await t.request('/webhooks', { method: 'POST', key: ws.keys.admin, json: { url, events } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

async function publish(type: WebhookEventType, data: Record<string, unknown>, withJobs = true) {
  await t.deps.db
    .transaction()
    .execute((trx) =>
      publishEvent(trx, withJobs ? t.deps.jobs : undefined, { workspaceId: ws.workspace.id, type, data }),
    );
}

type Attempt = { at: string; statusCode: number | null; error: string | null; durationMs: number };
type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: Attempt[];
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

async function deliveries(endpointId: string): Promise<Delivery[]> {
  const res = await t.request(`/webhooks/${endpointId}/deliveries`, { key: ws.keys.admin });
  expect(res.status).toBe(200);
  return ((await res.json()) as { deliveries: Delivery[] }).deliveries;
}

const finished = (endpointId: string) => () =>
  deliveries(endpointId).then((d) => (d[0] && d[0].state !== 'pending' ? d[0] : undefined));

/** What a receiver does (docs/webhooks.md): recompute the HMAC over "<t>.<raw body>", compare in constant time. */
function verifySignature(header: string, body: string, secret: string, nowSeconds: number): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook delivery', () => {
  it('delivers a published event, signed, with its headers', async () => {
    const receiver = await startReceiver([204]);
    const endpoint = await register(receiver.url, ['refresh.failed', 'metrics.updated']);
    await publish('refresh.failed', { provider: 'front', refreshId: 'ref_1' });

    const delivery = await waitFor('the delivery to finish', finished(endpoint.id), 20_000, 50);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    if (!got) throw new Error('no request received');
    const signature = String(got.headers['deskpulse-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(signature, got.body, endpoint.secret, Math.floor(Date.now() / 1000))).toBe(true);
    expect(
      verifySignature(signature, got.body.replace('front', 'frOnt'), endpoint.secret, Date.now() / 1000),
    ).toBe(false);
    expect(verifySignature(signature, got.body, `${endpoint.secret}x`, Math.floor(Date.now() / 1000))).toBe(
      false,
    );
    expect(verifySignature(signature, got.body, endpoint.secret, Math.floor(Date.now() / 1000) + 301)).toBe(
      false,
    );
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Deskpulse-Webhooks/1',
      'deskpulse-event': 'refresh.failed',
      'deskpulse-delivery': delivery.id,
    });
    expect(JSON.parse(got.body)).toEqual({
      id: delivery.eventId,
      type: 'refresh.failed',
      createdAt: delivery.createdAt,
      workspaceId: ws.workspace.id,
      data: { provider: 'front', refreshId: 'ref_1' },
    });
    expect(delivery).toMatchObject({ state: 'succeeded', eventType: 'refresh.failed', nextAttemptAt: null });
    expect(delivery.id).toMatch(/^whd_[0-9a-f]{20}$/);
    expect(delivery.eventId).toMatch(/^evt_[0-9a-f]{20}$/);
    expect(delivery.deliveredAt).not.toBeNull();
    expect(delivery.attempts).toEqual([
      {
        at: expect.any(String) as string,
        statusCode: 204,
        error: null,
        durationMs: expect.any(Number) as number,
      },
    ]);
    expect(t.logs.join('\n')).not.toContain(endpoint.secret.slice(6));
  });

  it('retries a receiver that is down with backoff, then records the delivery as failed after 6 attempts', async () => {
    const endpoint = await register(`http://127.0.0.1:${await deadPort()}/hooks`);
    await publish('refresh.failed', { provider: 'zendesk' });

    const delivery = await waitFor('the delivery to finish', finished(endpoint.id), 25_000, 50);
    expect(delivery.state).toBe('failed');
    expect(delivery.nextAttemptAt).toBeNull();
    expect(delivery.deliveredAt).toBeNull();
    expect(delivery.attempts).toHaveLength(6);
    for (const a of delivery.attempts) {
      expect(a.statusCode).toBeNull();
      expect(a.error).toMatch(/ECONNREFUSED/);
    }
    // Base 50 ms doubling with ±25 % jitter: the wait before the 6th attempt is at least 0.75 × 0.05 s × 16.
    const times = delivery.attempts.map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((at, i) => at - (times[i] ?? 0));
    expect(gaps.every((g) => g >= 0)).toBe(true);
    expect(gaps[4]).toBeGreaterThanOrEqual(600);
    // Nothing more happens once it has failed.
    await new Promise((r) => setTimeout(r, 700));
    expect((await deliveries(endpoint.id))[0]?.attempts).toHaveLength(6);
  });

  it('succeeds on the second attempt after a 500, resending the same event and delivery id', async () => {
    const receiver = await startReceiver([500, 200]);
    const endpoint = await register(receiver.url);
    await publish('refresh.failed', { provider: 'plain' });

    const delivery = await waitFor('the delivery to finish', finished(endpoint.id), 20_000, 50);
    expect(delivery.state).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'answered HTTP 500'],
      [200, null],
    ]);
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['deskpulse-delivery']).toBe(delivery.id);
    expect(first?.headers['deskpulse-delivery']).toBe(delivery.id);
    expect((JSON.parse(second?.body ?? '{}') as { id: string }).id).toBe(delivery.eventId);
  });

  it('counts a redirect as a failure and does not follow it', async () => {
    const target = await startReceiver([200]);
    const server = http.createServer((_req, res) => {
      res.writeHead(302, { location: target.url }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const endpoint = await register(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await publish('refresh.failed', {}, false);
    const [pending] = await deliveries(endpoint.id);
    const outcome = await deliver(t.deps, pending?.id ?? '');
    expect(outcome).toMatchObject({ kind: 'retrying', attempt: 1 });
    expect((await deliveries(endpoint.id))[0]?.attempts[0]).toMatchObject({
      statusCode: 302,
      error: 'answered HTTP 302; redirects are not followed',
    });
    expect(target.received).toHaveLength(0);
  });
});

describe('delivery-time SSRF guard', () => {
  it('refuses a target the registration allowed once the allow-list no longer permits it: failed, not retried', async () => {
    const receiver = await startReceiver([200]);
    const endpoint = await register(receiver.url);
    await publish('refresh.failed', { provider: 'front' }, false);
    const [pending] = await deliveries(endpoint.id);

    const strict = { ...t.deps, config: { webhooks: { ...t.deps.config.webhooks, allowedNetworks: [] } } };
    const outcome = await deliver(strict, pending?.id ?? '');
    expect(outcome).toMatchObject({ kind: 'refused', attempt: 1 });

    const [after] = await deliveries(endpoint.id);
    expect(after?.state).toBe('failed');
    expect(after?.nextAttemptAt).toBeNull();
    expect(after?.attempts).toHaveLength(1);
    expect(after?.attempts[0]?.statusCode).toBeNull();
    expect(after?.attempts[0]?.error).toMatch(
      /^refused: webhook URL resolves to 127\.0\.0\.1 \(loopback\); deliveries go only to public addresses/,
    );
    expect(receiver.received).toHaveLength(0);
    expect(await deliver(t.deps, pending?.id ?? '')).toEqual({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(0);
  });

  it('checks the addresses a host name resolves to at connect time (DNS rebinding)', async () => {
    const receiver = await startReceiver([200]);
    const url = receiver.url.replace('127.0.0.1', 'localhost');
    const refused = fetch(url, { method: 'POST', body: '{}', dispatcher: await guardedAgent([]) });
    const error: unknown = await refused.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).cause).toBeInstanceOf(WebhookTargetRefused);
    expect(((error as Error).cause as Error).message).toMatch(/host localhost resolves to .* \(loopback\)/);
    expect(receiver.received).toHaveLength(0);

    const allowed = await fetch(url, {
      method: 'POST',
      body: '{}',
      dispatcher: await guardedAgent(['127.0.0.1/32', '::1']),
    });
    expect(allowed.status).toBe(200);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('idempotence and recovery', () => {
  it('sends an attempt once however many jobs race for it, and never again once it succeeded', async () => {
    const receiver = await startReceiver([200]);
    const endpoint = await register(receiver.url);
    await publish('refresh.failed', {}, false);
    const [pending] = await deliveries(endpoint.id);
    const outcomes = await Promise.all([1, 2, 3].map(() => deliver(t.deps, pending?.id ?? '')));
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['skipped', 'skipped', 'succeeded']);
    expect(receiver.received).toHaveLength(1);
    expect(await deliver(t.deps, pending?.id ?? '')).toEqual({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(1);
  });

  it('does nothing for a job that arrives before its delivery is due', async () => {
    const receiver = await startReceiver([200]);
    const endpoint = await register(receiver.url);
    await publish('refresh.failed', {}, false);
    const [pending] = await deliveries(endpoint.id);
    await t.deps.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() + 60_000) })
      .where('id', '=', pending?.id ?? '')
      .execute();
    expect(await deliver(t.deps, pending?.id ?? '')).toEqual({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(0);
  });

  it('redriveStaleDeliveries queues an overdue pending delivery that had no job', async () => {
    const receiver = await startReceiver([200]);
    const endpoint = await register(receiver.url);
    await publish('refresh.failed', { provider: 'front' }, false);
    expect(await redriveStaleDeliveries(t.deps)).toBe(0);

    await t.deps.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: sql<Date>`now() - interval '2 minutes'` })
      .where('endpoint_id', '=', endpoint.id)
      .execute();
    expect(await redriveStaleDeliveries(t.deps)).toBe(1);
    expect(await redriveStaleDeliveries(t.deps)).toBe(0);

    const delivery = await waitFor('the delivery to finish', finished(endpoint.id), 20_000, 50);
    expect(delivery.state).toBe('succeeded');
    expect(receiver.received).toHaveLength(1);
  });
});

describe('retry schedule and secrets at rest', () => {
  it('doubles the delay per attempt with ±25 % jitter, capped at an hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 30, () => 0.5))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
    expect(retryDelayMs(1, 30, () => 0)).toBe(22_500);
    expect(retryDelayMs(1, 30, () => 1)).toBe(37_500);
    expect(retryDelayMs(5, 3600, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('re-seals signing secrets under a new key without changing them', async () => {
    const endpoint = await register((await startReceiver([200])).url);
    expect(await countWebhookSecretsByKey(t.deps.db)).toEqual({ t1: 1 });
    const rotated = new Keyring(parseKeyring(`${generateKey('t2')},${TEST_KEYS}`));
    expect(await reencryptWebhookSecretsBatch(t.deps.db, rotated, 10)).toBe(1);
    expect(await reencryptWebhookSecretsBatch(t.deps.db, rotated, 10)).toBe(0);
    expect(await countWebhookSecretsByKey(t.deps.db)).toEqual({ t2: 1 });
    expect((await findEndpointWithSecret(t.deps.db, rotated, endpoint.id))?.secret).toBe(endpoint.secret);
    await expect(findEndpointWithSecret(t.deps.db, t.deps.keyring, endpoint.id)).rejects.toThrow(
      'no encryption key with id t2',
    );
  });
});
