import { afterEach, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../emulators/dataset/generate.ts';
import { groundTruth } from '../../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../../emulators/dataset/types.ts';
import { startEmulator, type RunningEmulator } from '../../../emulators/index.ts';
import { plainCallPlan } from '../../../emulators/plain/call-plan.ts';
import { userId } from '../../../emulators/plain/threads.ts';
import { Pacer } from '../pacer.ts';
import type { MetricsRequest, MetricsSnapshot, Progress } from '../../metrics/types.ts';
import { plainMetrics } from './metrics.ts';

const TOKEN = 'plainApiKey_integration000000000000';
// Plain reports a 1–5 survey rating but no AI resolution (docs/metrics/plain.md).
const CAPS = { csatMeanScore: true, deflectionRate: false };

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function refresh(
  dataset: Dataset,
  req: MetricsRequest,
  options: { fetch?: typeof fetch; token?: string; setup?: (e: RunningEmulator) => void } = {},
) {
  running = await startEmulator('plain', { dataset, apiTokens: [{ token: TOKEN }] });
  options.setup?.(running);
  const progress: Progress[] = [];
  const result = await plainMetrics.fetch(
    {
      endpoints: { apiBaseUrl: `${running.url}/graphql/v1`, authorizeUrl: undefined, tokenUrl: undefined },
      params: {},
      fetch: options.fetch ?? fetch,
      pacer: new Pacer(),
      credential: { kind: 'bearer', token: options.token ?? TOKEN },
      onProgress: (p) => progress.push(p),
    },
    req,
  );
  return { result, stats: running.emulator.stats, progress };
}

/** Ground truth with agent ids in Plain's user id format (the emulator's `u_01…`). */
function expected(dataset: Dataset, req: MetricsRequest): MetricsSnapshot {
  const truth = groundTruth(dataset, req, CAPS);
  return { ...truth, agents: truth.agents.map((a) => ({ ...a, agentId: userId(a.agentId) })) };
}

function requestFor(dataset: Dataset, timezone = 'UTC', historyWeeks = 12): MetricsRequest {
  return { now: new Date(dataset.now), timezone, historyWeeks };
}

describe('plainMetrics against the Plain emulator', () => {
  const cases = [
    { seed: 1, conversations: 2000, timezone: 'UTC' },
    { seed: 2, conversations: 2000, timezone: 'America/New_York' },
    { seed: 1, conversations: 10_000, timezone: 'UTC' },
    { seed: 2, conversations: 10_000, timezone: 'UTC' },
  ];
  it.each(cases)(
    'equals the ground truth: seed $seed, $conversations conversations, $timezone',
    async ({ seed, conversations, timezone }) => {
      const dataset = generateDataset({ seed, conversations });
      const req = requestFor(dataset, timezone);
      const { result, stats, progress } = await refresh(dataset, req);
      if (!result.ok) throw new Error(`refresh failed: ${JSON.stringify(result.error)}`);
      const snapshot = plainMetrics.toSnapshot(result.value, req);
      const truth = expected(dataset, req);
      expect(snapshot.current).toEqual(truth.current);
      expect(snapshot.notMeasured).toEqual(truth.notMeasured);
      expect(snapshot.agents).toEqual(truth.agents);
      expect(snapshot.weeks).toHaveLength(12);
      expect(snapshot.weeks).toEqual(truth.weeks);
      expect(snapshot).toEqual(truth);

      const plan = plainCallPlan(dataset, req);
      expect(stats.dataRequests).toBeLessThanOrEqual(1.1 * plan.minimal);
      expect(plan.minimal).toBeLessThan(plan.naive);
      expect(stats.rateLimited).toBe(0);
      expect(progress.at(-1)).toEqual({ done: stats.dataRequests, total: stats.dataRequests });
    },
    60_000,
  );

  it('answers csat null with a reason when nobody rated', async () => {
    const dataset = generateDataset({ seed: 3, conversations: 2000, ratings: false });
    const req = requestFor(dataset, 'UTC', 2);
    const { result } = await refresh(dataset, req);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const snapshot = plainMetrics.toSnapshot(result.value, req);
    expect(snapshot.current).toMatchObject({ csat: null, csatResponses: 0, csatMeanScore: null });
    expect(snapshot.notMeasured.csat).toBe('no ratings in the window');
    expect(snapshot).toEqual(expected(dataset, req));
  });

  it('answers openNow 0 and backlogAgeDays 0 when nothing is open', async () => {
    const dataset = generateDataset({ seed: 4, conversations: 2000, openConversations: false });
    const req = requestFor(dataset, 'UTC', 2);
    const { result } = await refresh(dataset, req);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const snapshot = plainMetrics.toSnapshot(result.value, req);
    expect(snapshot.current).toMatchObject({ openNow: 0, backlogAgeDays: 0 });
    expect(snapshot).toEqual(expected(dataset, req));
  });

  it('rides out a 429 storm without exceeding the limit and gets the same numbers', async () => {
    const dataset = generateDataset({ seed: 1, conversations: 2000 });
    const req = requestFor(dataset, 'UTC', 4);
    const limit = { limit: 5, windowMs: 1000 };
    const allowedPerWindow = new Map<string, number>();
    let ours = 0;
    // The refresh paces itself on `x-ratelimit-remaining: 0`, so it draws 429s only when another client of the
    // same workspace spends the budget: this one does, after a few of the refresh's responses.
    const drain = async (url: string) => {
      for (let i = 0; i < limit.limit; i++) {
        const r = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ users(first: 1) { edges { node { id } } } }' }),
        });
        const window = r.headers.get('x-ratelimit-reset');
        if (r.status === 200 && window !== null)
          allowedPerWindow.set(window, (allowedPerWindow.get(window) ?? 0) + 1);
        if (r.headers.get('x-ratelimit-remaining') === '0' || r.status === 429) break;
      }
    };
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const window = response.headers.get('x-ratelimit-reset');
      if (response.status === 200 && window !== null) {
        allowedPerWindow.set(window, (allowedPerWindow.get(window) ?? 0) + 1);
        if (++ours % 3 === 0) await drain(String(input instanceof Request ? input.url : input));
      }
      return response;
    };
    const { result, stats } = await refresh(dataset, req, {
      fetch: recording,
      setup: (e) => {
        e.emulator.knobs.rateLimit = limit;
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(plainMetrics.toSnapshot(result.value, req)).toEqual(expected(dataset, req));
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(allowedPerWindow.size).toBeGreaterThan(1);
    expect(Math.max(...allowedPerWindow.values())).toBeLessThanOrEqual(limit.limit);
  }, 60_000);

  it('fails as upstream_unavailable when Plain answers 5xx mid-refresh', async () => {
    const dataset = generateDataset({ seed: 1, conversations: 2000 });
    const { result } = await refresh(dataset, requestFor(dataset), {
      setup: (e) => {
        e.emulator.knobs.failDataNext = 1;
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream_unavailable' } });
  });

  it('fails as unexpected_response when a field we read has the wrong type', async () => {
    const dataset = generateDataset({ seed: 1, conversations: 2000 });
    // A proxy that turns the first survey rating into a string: schema drift, never a wrong number.
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      return new Response(text.replace(/"rating":(\d)/, '"rating":"$1"'), {
        status: response.status,
        headers: response.headers,
      });
    };
    const { result } = await refresh(dataset, requestFor(dataset), { fetch: tampering });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unexpected_response');
    expect(result.error.detail).toContain('surveyResponse.rating');
  });

  it('fails as unauthorized with an unknown API key', async () => {
    const dataset = generateDataset({ seed: 1, conversations: 2000 });
    const { result, stats } = await refresh(dataset, requestFor(dataset), {
      token: 'plainApiKey_unknown0000',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(stats.dataRequests).toBe(0);
  });
});
