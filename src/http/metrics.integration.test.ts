import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { groundTruth, type GroundTruthCaps } from '../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../emulators/dataset/types.ts';
import { PROVIDER_IDS, type ProviderId } from '../providers/types.ts';
import {
  connectByOAuth,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/**
 * The whole refresh path: POST refresh → pg-boss job → adapter over real HTTP against the emulated helpdesk →
 * snapshot in Postgres → GET /metrics, /metrics/history, /metrics/agents, compared with the ground truth.
 */
const CAPS: Record<ProviderId, GroundTruthCaps> = {
  intercom: { csatMeanScore: true, deflectionRate: true },
  front: { csatMeanScore: true, deflectionRate: false },
  zendesk: { csatMeanScore: false, deflectionRate: false },
  plain: { csatMeanScore: true, deflectionRate: false },
};
const TOKEN_BODY: Record<ProviderId, Record<string, string>> = {
  intercom: { accessToken: 'metrics-intercom-token' },
  front: { apiToken: 'metrics-front-token' },
  zendesk: { subdomain: 'acme', email: 'ops@acme.test', apiToken: 'metrics-zendesk-token' },
  plain: { apiKey: 'plainApiKey_metrics' },
};
const SECRET: Record<ProviderId, string> = {
  intercom: 'metrics-intercom-token',
  front: 'metrics-front-token',
  zendesk: 'metrics-zendesk-token',
  plain: 'plainApiKey_metrics',
};

let dataset: Dataset;
let helpdesks: TestHelpdesks;
let t: TestApp;

beforeAll(async () => {
  // "Now" for the dataset is now, so the refresh's rolling windows (which end at the real clock) cover its data.
  dataset = generateDataset({ seed: 7, conversations: 1500, now: Date.now() });
  helpdesks = await startHelpdesks((id) => ({
    dataset,
    apiTokens: [
      { token: SECRET[id], ...(id === 'zendesk' ? { email: 'ops@acme.test', subdomain: 'acme' } : {}) },
    ],
  }));
  // upstream_unavailable is retried with backoff (5 attempts); fast here so a failing refresh ends quickly.
  t = await createTestApp({
    ...helpdesks.env,
    DESKPULSE_RETRY_BASE_SECONDS: '0.05',
    DESKPULSE_RETRY_MAX_SECONDS: '0.2',
  });
}, 60_000);
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

type RefreshBody = {
  state: string;
  historyWeeks: number;
  progress: { done: number; total: number | null };
  error: { code: string } | null;
  durationMs: number | null;
  attempts: number;
};

async function refreshAndWait(key: string, provider: ProviderId): Promise<RefreshBody> {
  const res = await t.request(`/integrations/${provider}/refresh`, { method: 'POST', key });
  expect(res.status, await res.clone().text()).toBe(202);
  const { refreshId } = (await res.json()) as { refreshId: string };
  for (let i = 0; i < 600; i++) {
    const r = (await (await t.request(`/refreshes/${refreshId}`, { key })).json()) as RefreshBody;
    if (r.state === 'succeeded' || r.state === 'failed') return r;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('refresh did not finish');
}

describe.each(PROVIDER_IDS)('%s refresh', (provider) => {
  it('backfills 12 weeks on the first refresh and serves metrics equal to the ground truth', async () => {
    const { keys } = await seedWorkspace(t);
    await t.request('/workspace', {
      method: 'PATCH',
      key: keys.admin,
      json: { timezone: 'America/New_York' },
    });
    expect(await (await t.request('/workspace', { key: keys.member })).json()).toMatchObject({
      timezone: 'America/New_York',
    });
    expect(
      (
        await t.request(`/integrations/${provider}/token`, {
          method: 'POST',
          key: keys.admin,
          json: TOKEN_BODY[provider],
        })
      ).status,
    ).toBe(200);

    const first = await refreshAndWait(keys.admin, provider);
    expect(first).toMatchObject({ state: 'succeeded', historyWeeks: 12, error: null });
    expect(first.progress.done).toBeGreaterThan(0);

    const current = (await (await t.request('/metrics', { key: keys.member })).json()) as {
      providers: {
        provider: string;
        source: { kind: string; account: { id: string; name: string } | null };
        measuredAt: string;
        metrics: Record<string, number | null>;
        notMeasured: Record<string, string>;
      }[];
    };
    const mine = current.providers.find((p) => p.provider === provider);
    expect(mine).toBeDefined();
    // Every row says where its numbers come from: this connection's helpdesk account, still live.
    expect(mine!.source).toMatchObject({ kind: 'connection', provider, status: 'live', endedAt: null });
    expect(mine!.source.account).not.toBeNull();
    const truth = groundTruth(
      dataset,
      { now: new Date(mine!.measuredAt), timezone: 'America/New_York', historyWeeks: 12 },
      CAPS[provider],
    );
    expect(mine!.metrics).toEqual(truth.current);
    expect(Object.keys(mine!.notMeasured).sort()).toEqual(Object.keys(truth.notMeasured).sort());
    expect(mine!.metrics.weeklyVolume).toBeGreaterThan(0);

    const history = (await (await t.request('/metrics/history?weeks=12', { key: keys.member })).json()) as {
      timezone: string;
      weeks: { provider: string; weekStart: string; metrics: Record<string, number | null> }[];
    };
    expect(history.timezone).toBe('America/New_York');
    const weeks = history.weeks.filter((w) => w.provider === provider);
    expect(weeks.map((w) => w.weekStart)).toEqual(truth.weeks.map((w) => w.weekStart));
    expect(weeks.map((w) => w.metrics)).toEqual(truth.weeks.map((w) => w.values));

    const agents = (await (await t.request('/metrics/agents', { key: keys.member })).json()) as {
      agents: { provider: string; source: unknown; agentId: string; name: string }[];
    };
    // Agent ids are the helpdesk's own; everything else must equal the ground truth.
    const byName = <T extends { name: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.name.localeCompare(b.name));
    const served = agents.agents
      .filter((a) => a.provider === provider)
      .map(({ provider: _p, source: _s, agentId: _a, ...a }) => a);
    expect(byName(served)).toEqual(byName(truth.agents.map(({ agentId: _a, ...a }) => a)));
    expect(served.length).toBeGreaterThan(0);

    const second = await refreshAndWait(keys.admin, provider);
    expect(second).toMatchObject({ state: 'succeeded', historyWeeks: 1 });
  }, 120_000);

  it('keeps the previous snapshot when the helpdesk fails mid-refresh', async () => {
    const { keys } = await seedWorkspace(t);
    await t.request(`/integrations/${provider}/token`, {
      method: 'POST',
      key: keys.admin,
      json: TOKEN_BODY[provider],
    });
    expect((await refreshAndWait(keys.admin, provider)).state).toBe('succeeded');
    const before = await (await t.request('/metrics', { key: keys.member })).text();

    const emulator = helpdesks.emulators[provider];
    emulator.knobs.failDataNext = 1_000;
    let failed: RefreshBody;
    try {
      failed = await refreshAndWait(keys.admin, provider);
    } finally {
      emulator.knobs.failDataNext = 0;
    }
    expect(failed).toMatchObject({ state: 'failed', attempts: 5 });
    expect(failed.error?.code).toBe('upstream_unavailable');
    expect(await (await t.request('/metrics', { key: keys.member })).text()).toBe(before);
    const conn = (await (await t.request('/integrations/connections', { key: keys.member })).json()) as {
      connections: { status: string; lastRefreshStatus: string; lastError: string }[];
    };
    expect(conn.connections[0]).toMatchObject({ status: 'ok', lastRefreshStatus: 'upstream_unavailable' });
  }, 120_000);
});

describe('refresh errors', () => {
  it('refuses a refresh of a provider that is not connected', async () => {
    const { keys } = await seedWorkspace(t);
    const res = await t.request('/integrations/intercom/refresh', { method: 'POST', key: keys.admin });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no intercom connection in this workspace' },
    });
  });

  it('a credential revoked at the helpdesk fails the refresh as unauthorized and marks needs_reauth', async () => {
    const { keys } = await seedWorkspace(t);
    expect((await connectByOAuth(t, 'front', keys.admin)).status).toBe(200);
    helpdesks.emulators.front.revokeAccessToken(helpdesks.emulators.front.issuedTokens().access.at(-1) ?? '');
    const failed = await refreshAndWait(keys.admin, 'front');
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'unauthorized' } });
    const conn = (await (await t.request('/integrations/connections', { key: keys.member })).json()) as {
      connections: { status: string; lastRefreshStatus: string }[];
    };
    expect(conn.connections[0]).toMatchObject({ status: 'needs_reauth', lastRefreshStatus: 'unauthorized' });
    const audit = (await (await t.request('/audit', { key: keys.admin })).json()) as {
      events: { action: string; outcome: string }[];
    };
    expect(audit.events[0]).toMatchObject({ action: 'connection.refresh_failed', outcome: 'needs_reauth' });
  }, 60_000);

  it('validates the refresh id', async () => {
    const { keys } = await seedWorkspace(t);
    const res = await t.request('/refreshes/nope', { key: keys.member });
    expect(res.status).toBe(400);
    expect((await t.request('/refreshes/ref_00000000000000000000', { key: keys.member })).status).toBe(404);
  });
});
