import { afterEach, describe, expect, it } from 'vitest';
import { frontCallPlan } from '../../../emulators/front/call-plan.ts';
import { generateDataset } from '../../../emulators/dataset/generate.ts';
import { groundTruth } from '../../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../../emulators/dataset/types.ts';
import { startEmulator, type RunningEmulator } from '../../../emulators/index.ts';
import { Pacer } from '../pacer.ts';
import type { MetricsRequest, MetricsSnapshot } from '../../metrics/types.ts';
import { front } from './index.ts';
import { frontMetrics } from './metrics.ts';

const TOKEN = 'front-api-token-metrics';
// Front rates on a 1–5 scale and reports no AI resolutions (docs/metrics/front.md).
const FRONT_CAPS = { csatMeanScore: true, deflectionRate: false };

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(dataset: Dataset): Promise<RunningEmulator> {
  running = await startEmulator('front', { dataset, apiTokens: [{ token: TOKEN }] });
  return running;
}

function adapterContext(url: string, fetchImpl: typeof fetch = fetch) {
  return {
    endpoints: front.endpoints(front.emulatorOverrides(url), {}),
    params: {},
    fetch: fetchImpl,
    credential: { kind: 'bearer' as const, token: TOKEN },
    pacer: new Pacer(),
  };
}

/** Our agent ids are Front teammate ids (`tea_<dataset id>`); the ground truth speaks dataset ids. */
function withDatasetAgentIds(snapshot: MetricsSnapshot): MetricsSnapshot {
  return {
    ...snapshot,
    agents: snapshot.agents.map((a) => ({ ...a, agentId: a.agentId.replace(/^tea_/, '') })),
  };
}

async function measure(url: string, req: MetricsRequest, fetchImpl?: typeof fetch) {
  const raw = await frontMetrics.fetch(adapterContext(url, fetchImpl), req);
  if (!raw.ok) throw new Error(`fetch failed: ${raw.error.code} ${raw.error.detail}`);
  return withDatasetAgentIds(frontMetrics.toSnapshot(raw.value, req));
}

describe('Front metrics over the emulator', () => {
  const cases = [
    { seed: 1, conversations: 2000, timezone: 'UTC' },
    { seed: 2, conversations: 2000, timezone: 'America/New_York' },
    { seed: 1, conversations: 10_000, timezone: 'UTC' },
    { seed: 2, conversations: 10_000, timezone: 'Europe/Berlin' },
  ];
  for (const { seed, conversations, timezone } of cases) {
    it(`equals the ground truth: seed ${seed}, ${conversations} conversations, ${timezone}`, async () => {
      const dataset = generateDataset({ seed, conversations });
      const { url, emulator } = await start(dataset);
      const req = { now: new Date(dataset.now), timezone, historyWeeks: 12 };
      const progress: number[] = [];
      const ctx = { ...adapterContext(url), onProgress: (p: { done: number }) => progress.push(p.done) };
      const raw = await frontMetrics.fetch(ctx, req);
      if (!raw.ok) throw new Error(raw.error.detail);
      const snapshot = withDatasetAgentIds(frontMetrics.toSnapshot(raw.value, req));
      const truth = groundTruth(dataset, req, FRONT_CAPS);

      expect(snapshot.current).toEqual(truth.current);
      expect(snapshot.notMeasured).toEqual(truth.notMeasured);
      expect(snapshot.agents).toEqual(truth.agents);
      expect(snapshot.weeks).toEqual(truth.weeks);
      expect(snapshot).toEqual(truth);
      expect(snapshot.weeks).toHaveLength(12);
      expect(truth.current.csat).not.toBeNull();
      expect(truth.current.oneTouchRate).not.toBeNull();
      expect(truth.agents.length).toBeGreaterThan(1);

      const plan = frontCallPlan(dataset, req);
      expect(emulator.stats.dataRequests).toBeLessThanOrEqual(1.1 * plan.minimal);
      expect(plan.minimal).toBeLessThan(plan.naive / 20);
      expect(progress.at(-1)).toBe(emulator.stats.dataRequests);
    });
  }

  it('reports csat null with a reason when nobody rated', async () => {
    const dataset = generateDataset({ seed: 3, conversations: 2000, ratings: false });
    const { url } = await start(dataset);
    const req = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 2 };
    const snapshot = await measure(url, req);
    expect(snapshot).toEqual(groundTruth(dataset, req, FRONT_CAPS));
    expect(snapshot.current.csat).toBeNull();
    expect(snapshot.current.csatResponses).toBe(0);
    expect(snapshot.notMeasured.csat).toBe('no ratings in the window');
    expect(snapshot.agents.every((a) => a.csat === null && a.csatResponses === 0)).toBe(true);
  });

  it('reports openNow 0 and backlogAgeDays 0 when nothing is open', async () => {
    const dataset = generateDataset({ seed: 4, conversations: 2000, openConversations: false });
    const { url } = await start(dataset);
    const req = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 1 };
    const snapshot = await measure(url, req);
    expect(snapshot).toEqual(groundTruth(dataset, req, FRONT_CAPS));
    expect(snapshot.current.openNow).toBe(0);
    expect(snapshot.current.backlogAgeDays).toBe(0);
  });

  it('rides out a 429 storm with the same numbers and never exceeds the limit per window', async () => {
    const dataset = generateDataset({ seed: 5, conversations: 3000 });
    const { url, emulator } = await start(dataset);
    const limit = 3;
    const windowMs = 2000;
    emulator.knobs.rateLimit = { limit, windowMs };
    const served = new Map<string, number>();
    let adapterLimited = 0;
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const reset = res.headers.get('x-ratelimit-reset');
      if (res.status === 429) adapterLimited++;
      else if (reset !== null) served.set(reset, (served.get(reset) ?? 0) + 1);
      return res;
    };
    // Another client of the same company spends the whole budget at the start of a window, so the refresh
    // begins inside a drained window and draws real 429s.
    while (Date.now() % windowMs > 200) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < limit; i++) {
      const res = await counting(`${url}/teammates`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
    }
    const req = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 4 };
    const snapshot = await measure(url, req, counting);
    expect(snapshot).toEqual(groundTruth(dataset, req, FRONT_CAPS));
    expect(adapterLimited).toBeGreaterThan(0);
    expect(emulator.stats.rateLimited).toBe(adapterLimited);
    expect(served.size).toBeGreaterThan(1);
    for (const count of served.values()) expect(count).toBeLessThanOrEqual(limit);
    const plan = frontCallPlan(dataset, req);
    const adapterServed = emulator.stats.dataRequests - emulator.stats.rateLimited - limit;
    expect(adapterServed).toBeLessThanOrEqual(1.1 * plan.minimal);
  }, 60_000);

  it('fails as upstream_unavailable when Front answers 5xx mid-refresh', async () => {
    const dataset = generateDataset({ seed: 6, conversations: 2000 });
    const { url, emulator } = await start(dataset);
    emulator.knobs.failDataNext = 1;
    const result = await frontMetrics.fetch(adapterContext(url), {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream_unavailable' } });
    expect(result.ok ? '' : result.error.detail).toContain('503');
  });

  it('fails as unexpected_response when a field we read has the wrong type', async () => {
    const dataset = generateDataset({ seed: 7, conversations: 2000 });
    const { url } = await start(dataset);
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/conversations?')) return res;
      const body = (await res.text()).replace(/"created_at":(\d+(\.\d+)?)/, '"created_at":"$1"');
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const result = await frontMetrics.fetch(adapterContext(url, tampering), {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
    expect(result.ok ? '' : result.error.detail).toContain('created_at');
  });

  it('fails as unexpected_response when an export rating is not a star score', async () => {
    const dataset = generateDataset({ seed: 7, conversations: 2000 });
    const { url } = await start(dataset);
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/download')) return res;
      const body = (await res.text()).replace(/(Survey response,[^\r\n]*),([1-5])\r\n/, '$1,great\r\n');
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const result = await frontMetrics.fetch(adapterContext(url, tampering), {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
    expect(result.ok ? '' : result.error.detail).toContain('Survey rating');
  });

  it('never sends the token to a host a pagination link points at outside Front', async () => {
    const dataset = generateDataset({ seed: 9, conversations: 2000 });
    const { url } = await start(dataset);
    const hosts: string[] = [];
    const tampering: typeof fetch = async (input, init) => {
      hosts.push(new URL(String(input instanceof Request ? input.url : input)).host);
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/conversations?')) return res;
      const body = (await res.text()).replace(
        /"next":(null|"[^"]*")/,
        '"next":"https://evil.test/conversations?page_token=x"',
      );
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const result = await frontMetrics.fetch(adapterContext(url, tampering), {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
    expect(result.ok ? '' : result.error.detail).toContain('evil.test');
    expect(hosts).not.toContain('evil.test');
  });

  it('fails as upstream_unavailable when the export job fails', async () => {
    const dataset = generateDataset({ seed: 9, conversations: 2000 });
    const { url } = await start(dataset);
    const failing: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!/\/analytics\/exports\/exp_[^/]+$/.test(String(input instanceof Request ? input.url : input)))
        return res;
      const body = (await res.text()).replace('"status":"done"', '"status":"failed"');
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const result = await frontMetrics.fetch(adapterContext(url, failing), {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'upstream_unavailable', detail: 'analytics export failed' },
    });
  });

  it('is unauthorized with a token Front does not know', async () => {
    const dataset = generateDataset({ seed: 8, conversations: 2000 });
    const { url } = await start(dataset);
    const ctx = { ...adapterContext(url), credential: { kind: 'bearer' as const, token: 'not-a-token' } };
    const result = await frontMetrics.fetch(ctx, {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
