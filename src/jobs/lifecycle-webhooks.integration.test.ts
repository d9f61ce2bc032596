import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import {
  connectByOAuth,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/**
 * Issue 6 end to end through HTTP, pg-boss and a real webhook receiver: a refresh → refresh.succeeded and
 * metrics.updated; the helpdesk refusing the refresh token (invalid_grant) → needs_reauth, with
 * connection.needs_reauth and refresh.failed; reconnecting → connection.recovered. Every delivery signed.
 */
let helpdesks: TestHelpdesks;
let t: TestApp;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 8, conversations: 80, now: Date.now() }),
  }));
  t = await createTestApp(
    { ...helpdesks.env, DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' },
    { worker: true },
  );
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}, 60_000);

afterAll(async () => {
  receiver.close();
  await t.close();
  await helpdesks.close();
});

interface Event {
  id: string;
  type: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

function verified(secret: string, r: { headers: IncomingHttpHeaders; body: string }): Event {
  const header = String(r.headers['deskpulse-signature']);
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${r.body}`).digest('hex');
  expect(parts.v1).toBe(expected);
  expect(Math.abs(Date.now() / 1000 - Number(parts.t))).toBeLessThan(300);
  return JSON.parse(r.body) as Event;
}

const eventsOf = (secret: string) => received.map((r) => verified(secret, r));
const waitForEvent = (secret: string, type: string, count = 1) =>
  waitFor(`${count} × ${type}`, async () => eventsOf(secret).filter((e) => e.type === type).length >= count);

describe('lifecycle webhooks', () => {
  it('announce refreshes, needs_reauth after invalid_grant, and recovery after reconnecting', async () => {
    const { keys, workspace } = await seedWorkspace(t, 'Hooks');
    const created = await t.request('/webhooks', {
      method: 'POST',
      key: keys.admin,
      json: {
        url: receiverUrl,
        events: [
          'connection.needs_reauth',
          'connection.recovered',
          'refresh.failed',
          'refresh.succeeded',
          'metrics.updated',
        ],
      },
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string };

    expect((await connectByOAuth(t, 'plain', keys.admin)).status).toBe(200);
    const refresh = async () => {
      const r = await t.request('/integrations/plain/refresh', { method: 'POST', key: keys.admin });
      expect(r.status).toBe(202);
      const { refreshId } = (await r.json()) as { refreshId: string };
      let state = '';
      let attempts = 0;
      await waitFor('the refresh to finish', async () => {
        const body = (await (await t.request(`/refreshes/${refreshId}`, { key: keys.member })).json()) as {
          state: string;
          attempts: number;
        };
        state = body.state;
        attempts = body.attempts;
        return state === 'succeeded' || state === 'failed';
      });
      return { refreshId, state, attempts };
    };

    const ok = await refresh();
    expect(ok.state).toBe('succeeded');
    await waitForEvent(hook.secret, 'metrics.updated');
    await waitForEvent(hook.secret, 'refresh.succeeded');
    const [succeeded] = eventsOf(hook.secret).filter((e) => e.type === 'refresh.succeeded');
    expect(succeeded).toMatchObject({
      workspaceId: workspace.id,
      data: { provider: 'plain', refreshId: ok.refreshId, trigger: 'manual' },
    });
    const [updated] = eventsOf(hook.secret).filter((e) => e.type === 'metrics.updated');
    expect(updated?.data).toMatchObject({ provider: 'plain', refreshId: ok.refreshId });
    expect((updated?.data.weeks as string[]).length).toBe(12);

    // The helpdesk stops honouring the refresh token; the access token is about to expire.
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({
        access_token_expires_at: new Date(Date.now() + 1000),
        connected_at: new Date(Date.now() - 3_600_000),
      })
      .where('workspace_id', '=', workspace.id)
      .execute();
    helpdesks.emulators.plain.knobs.forceInvalidGrant = true;
    const dead = await refresh();
    helpdesks.emulators.plain.knobs.forceInvalidGrant = false;
    expect(dead, JSON.stringify(dead)).toMatchObject({ state: 'failed', attempts: 1 });
    await waitForEvent(hook.secret, 'refresh.failed');
    await waitForEvent(hook.secret, 'connection.needs_reauth');
    const [needsReauth] = eventsOf(hook.secret).filter((e) => e.type === 'connection.needs_reauth');
    expect(needsReauth?.data).toMatchObject({ provider: 'plain' });
    const [failed] = eventsOf(hook.secret).filter((e) => e.type === 'refresh.failed');
    expect(failed?.data).toMatchObject({ refreshId: dead.refreshId, error: { code: 'unauthorized' } });
    const listed = (await (await t.request('/integrations/connections', { key: keys.member })).json()) as {
      connections: { status: string }[];
    };
    expect(listed.connections[0]?.status).toBe('needs_reauth');

    expect((await connectByOAuth(t, 'plain', keys.admin)).status).toBe(200);
    await waitForEvent(hook.secret, 'connection.recovered');
    const [recovered] = eventsOf(hook.secret).filter((e) => e.type === 'connection.recovered');
    expect(recovered?.data).toMatchObject({ provider: 'plain', via: 'reconnect', previous: 'needs_reauth' });
    expect((await refresh()).state).toBe('succeeded');

    // Each event is its own delivery job, so they arrive in any order: wait for both of the second refresh's.
    await waitForEvent(hook.secret, 'metrics.updated', 2);
    await waitForEvent(hook.secret, 'refresh.succeeded', 2);

    // Every event once (receivers dedupe on the delivery id; here nothing was retried), all logged as delivered.
    const types = eventsOf(hook.secret).map((e) => e.type);
    expect(types.sort()).toEqual(
      [
        'refresh.succeeded',
        'metrics.updated',
        'refresh.failed',
        'connection.needs_reauth',
        'connection.recovered',
        'refresh.succeeded',
        'metrics.updated',
      ].sort(),
    );
    const ids = eventsOf(hook.secret).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The receiver answered; the delivery log records it right after.
    await waitFor('every delivery logged as succeeded', async () => {
      const log = (await (
        await t.request(`/webhooks/${hook.id}/deliveries`, { key: keys.admin })
      ).json()) as {
        deliveries: { state: string }[];
      };
      return log.deliveries.length === 7 && log.deliveries.every((d) => d.state === 'succeeded');
    });
  }, 90_000);
});
