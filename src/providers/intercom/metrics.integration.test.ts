import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Dataset, type RunningEmulator } from '../../../emulators/index.ts';
import { generateDataset } from '../../../emulators/dataset/generate.ts';
import { groundTruth } from '../../../emulators/dataset/ground-truth.ts';
import { intercomCallPlan } from '../../../emulators/intercom/call-plan.ts';
import { intercomAdminId } from '../../../emulators/intercom/data.ts';
import { Pacer } from '../pacer.ts';
import type { AdapterContext } from '../types.ts';
import type { MetricsRequest, MetricsSnapshot, Progress } from '../../metrics/types.ts';
import { intercom } from './index.ts';
import { intercomMetrics } from './metrics.ts';

const TOKEN = 'dG9rOmludGVyY29tLW1ldHJpY3M=';
const CAPS = { csatMeanScore: true, deflectionRate: true };

let running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function start(dataset: Dataset): Promise<RunningEmulator> {
  const r = await startEmulator('intercom', { dataset, apiTokens: [{ token: TOKEN }] });
  running.push(r);
  return r;
}

interface Seen {
  status: number;
  headers: Headers;
}

/** A context over real HTTP; `seen` records every response, `tamper` may rewrite one before the adapter reads it. */
function contextFor(
  url: string,
  opts: { token?: string; tamper?: (call: number, res: Response) => Promise<Response> } = {},
) {
  const seen: Seen[] = [];
  const progress: Progress[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    seen.push({ status: res.status, headers: res.headers });
    return opts.tamper ? opts.tamper(seen.length, res) : res;
  };
  const ctx: AdapterContext = {
    endpoints: intercom.endpoints({ oauthBaseUrl: url, apiBaseUrl: url }, { region: 'us' }),
    params: { region: 'us' },
    fetch: recordingFetch,
    pacer: new Pacer(),
    credential: { kind: 'bearer', token: opts.token ?? TOKEN },
    onProgress: (p) => progress.push(p),
  };
  return { ctx, seen, progress };
}

/** Ground truth with dataset agent ids replaced by the Intercom admin ids the emulator serves. */
function expected(dataset: Dataset, req: MetricsRequest): MetricsSnapshot {
  const truth = groundTruth(dataset, req, CAPS);
  return { ...truth, agents: truth.agents.map((a) => ({ ...a, agentId: intercomAdminId(a.agentId) })) };
}

async function snapshotOf(dataset: Dataset, req: MetricsRequest) {
  const { url, emulator } = await start(dataset);
  const { ctx, seen, progress } = contextFor(url);
  const raw = await intercomMetrics.fetch(ctx, req);
  if (!raw.ok) throw new Error(`fetch failed: ${JSON.stringify(raw.error)}`);
  return { snapshot: intercomMetrics.toSnapshot(raw.value, req), emulator, seen, progress };
}

describe('Intercom metrics over the emulator', () => {
  const cases = [
    { seed: 1, conversations: 2000, timezone: 'UTC' },
    { seed: 2, conversations: 2000, timezone: 'UTC' },
    { seed: 1, conversations: 10_000, timezone: 'America/New_York' },
    { seed: 2, conversations: 10_000, timezone: 'UTC' },
  ];
  for (const { seed, conversations, timezone } of cases) {
    it(`matches the ground truth: seed ${seed}, ${conversations} conversations, ${timezone}`, async () => {
      const dataset = generateDataset({ seed, conversations });
      const req: MetricsRequest = { now: new Date(dataset.now), timezone, historyWeeks: 12 };
      const { snapshot, emulator, seen, progress } = await snapshotOf(dataset, req);
      const truth = expected(dataset, req);

      expect(snapshot.current).toEqual(truth.current);
      expect(snapshot.notMeasured).toEqual(truth.notMeasured);
      expect(snapshot.agents).toEqual(truth.agents);
      expect(snapshot.agents.length).toBeGreaterThan(0);
      expect(snapshot.weeks).toHaveLength(12);
      expect(snapshot.weeks).toEqual(truth.weeks);
      expect(snapshot.window).toEqual(truth.window);

      const plan = intercomCallPlan(dataset, req);
      expect(emulator.stats.dataRequests).toBe(seen.length);
      expect(emulator.stats.dataRequests).toBeLessThanOrEqual(1.1 * plan.minimal);
      expect(emulator.stats.dataRequests).toBe(plan.minimal);
      expect(plan.minimal * 20).toBeLessThan(plan.naive);
      const last = progress.at(-1);
      expect(last?.done).toBe(last?.total);
      expect(progress).toHaveLength(plan.minimal - 1);
    });
  }

  it('reports csat null with its reason when nobody rated anything', async () => {
    const dataset = generateDataset({ seed: 3, conversations: 2000, ratings: false });
    const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 2 };
    const { snapshot } = await snapshotOf(dataset, req);
    expect(snapshot.current.csat).toBeNull();
    expect(snapshot.current.csatMeanScore).toBeNull();
    expect(snapshot.current.csatResponses).toBe(0);
    expect(snapshot.notMeasured.csat).toBe('no ratings in the window');
    expect(snapshot.agents.every((a) => a.csat === null && a.csatResponses === 0)).toBe(true);
    expect(snapshot).toEqual(expected(dataset, req));
  });

  it('reports openNow 0 and backlogAgeDays 0 when nothing is open', async () => {
    const dataset = generateDataset({ seed: 4, conversations: 2000, openConversations: false });
    const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 0 };
    const { snapshot } = await snapshotOf(dataset, req);
    expect(snapshot.current.openNow).toBe(0);
    expect(snapshot.current.backlogAgeDays).toBe(0);
    expect(snapshot.weeks).toEqual([]);
    expect(snapshot).toEqual(expected(dataset, req));
  });

  it('rides out a 429 storm without exceeding the limit and without changing a number', async () => {
    const dataset = generateDataset({ seed: 5, conversations: 3000 });
    const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'Europe/Berlin', historyWeeks: 12 };
    const { url, emulator } = await start(dataset);
    const limit = 20;
    emulator.knobs.rateLimit = { limit, windowMs: 1000 };
    // Another integration of the same workspace spends the rest of the shared budget right after the adapter's
    // 3rd, 6th and 9th responses, so the X-RateLimit-Remaining the adapter just read is stale and its next call
    // draws a 429 (unless the 1 s window happened to roll over in between, hence three drains).
    const neighbour: Seen[] = [];
    const drain = async () => {
      for (;;) {
        const res = await fetch(`${url}/admins`, { headers: { authorization: `Bearer ${TOKEN}` } });
        neighbour.push({ status: res.status, headers: res.headers });
        await res.body?.cancel();
        if (res.status === 429) return;
      }
    };
    const adapter = contextFor(url, {
      tamper: async (call, res) => {
        if (call % 3 === 0 && call <= 9 && res.status === 200) await drain();
        return res;
      },
    });
    const r = await intercomMetrics.fetch(adapter.ctx, req);
    if (!r.ok) throw new Error(`fetch failed under rate limiting: ${JSON.stringify(r.error)}`);

    expect(intercomMetrics.toSnapshot(r.value, req)).toEqual(expected(dataset, req));
    expect(adapter.seen.filter((s) => s.status === 429).length).toBeGreaterThan(0);
    const responses = [...adapter.seen, ...neighbour];
    expect(emulator.stats.rateLimited).toBe(responses.filter((s) => s.status === 429).length);
    expect(emulator.stats.dataRequests).toBe(responses.length);
    // Served (non-429) responses per fixed window, keyed by the window's X-RateLimit-Reset.
    const servedPerWindow = new Map<string, number>();
    for (const s of responses) {
      expect(s.headers.get('x-ratelimit-limit')).toBe(String(limit));
      if (s.status === 429) continue;
      expect(s.status).toBe(200);
      const reset = s.headers.get('x-ratelimit-reset') ?? 'missing';
      servedPerWindow.set(reset, (servedPerWindow.get(reset) ?? 0) + 1);
    }
    expect(servedPerWindow.has('missing')).toBe(false);
    expect(servedPerWindow.size).toBeGreaterThan(1);
    expect(Math.max(...servedPerWindow.values())).toBe(limit);
  });

  it('fails as upstream_unavailable when Intercom answers 5xx mid-refresh', async () => {
    const dataset = generateDataset({ seed: 6, conversations: 2000 });
    const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 12 };
    const { url, emulator } = await start(dataset);
    const { ctx, seen } = contextFor(url, {
      tamper: async (call, res) => {
        // After /admins and the first search page, the next call fails.
        if (call === 2) emulator.knobs.failDataNext = 1;
        return res;
      },
    });
    const r = await intercomMetrics.fetch(ctx, req);
    expect(r).toEqual({
      ok: false,
      error: { code: 'upstream_unavailable', detail: '500: Server Error' },
    });
    expect(seen.map((s) => s.status)).toEqual([200, 200, 500]);
  });

  it('fails as unexpected_response when a field has the wrong type', async () => {
    const dataset = generateDataset({ seed: 7, conversations: 2000 });
    const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 12 };
    const { url } = await start(dataset);
    const { ctx } = contextFor(url, {
      tamper: async (call, res) => {
        if (call !== 3) return res;
        const body = (await res.json()) as { conversations: Record<string, unknown>[] };
        const third = body.conversations[2];
        if (third) third.created_at = String(third.created_at);
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      },
    });
    const r = await intercomMetrics.fetch(ctx, req);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('unexpected_response');
    expect(r.error.detail).toContain('conversations.2.created_at');
  });

  it('fails as unauthorized with a token Intercom does not know', async () => {
    const dataset = generateDataset({ seed: 8, conversations: 50 });
    const { url, emulator } = await start(dataset);
    const { ctx } = contextFor(url, { token: 'dG9rOm5vdC1rbm93bg==' });
    const r = await intercomMetrics.fetch(ctx, {
      now: new Date(dataset.now),
      timezone: 'UTC',
      historyWeeks: 0,
    });
    expect(r).toEqual({
      ok: false,
      error: { code: 'unauthorized', detail: '401: Access Token Invalid' },
    });
    expect(emulator.stats.dataRequests).toBe(0);
  });
});
