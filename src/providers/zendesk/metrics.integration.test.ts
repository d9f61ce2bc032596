import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulators/index.ts';
import { generateDataset } from '../../../emulators/dataset/generate.ts';
import { groundTruth } from '../../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../../emulators/dataset/types.ts';
import { authorize, codeFrom, jsonBody } from '../../../emulators/shared/testing.ts';
import { zendeskCallPlan } from '../../../emulators/zendesk/call-plan.ts';
import { INCREMENTAL_EXPORT_LIMIT, zendeskUserId } from '../../../emulators/zendesk/data.ts';
import { Pacer } from '../pacer.ts';
import type { AdapterContext } from '../types.ts';
import type { MetricsRequest, MetricsSnapshot } from '../../metrics/types.ts';
import type { RateLimit } from '../../../emulators/index.ts';
import { zendeskMetrics } from './metrics.ts';

const TOKEN = 'zendesk-api-token-0123456789';
const EMAIL = 'admin@acme.example.com';
const REDIRECT = 'https://app.deskpulse.test/integrations/zendesk/callback';
const CAPS = { csatMeanScore: false, deflectionRate: false };

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Logged {
  url: string;
  sentAt: number;
  status: number;
}

async function start(dataset: Dataset, rateLimit?: RateLimit | null): Promise<RunningEmulator> {
  running = await startEmulator('zendesk', {
    dataset,
    apiTokens: [{ token: TOKEN, email: EMAIL, subdomain: 'acme' }],
  });
  if (rateLimit !== undefined) running.emulator.knobs.rateLimit = rateLimit;
  return running;
}

function contextFor(
  url: string,
  log: Logged[],
  rewrite?: (url: string, body: unknown) => unknown,
): AdapterContext & { pacer: Pacer; progress: number[] } {
  const progress: number[] = [];
  return {
    endpoints: { authorizeUrl: undefined, tokenUrl: undefined, apiBaseUrl: `${url}/acme` },
    params: { subdomain: 'acme', email: EMAIL },
    credential: { kind: 'basic', username: `${EMAIL}/token`, password: TOKEN },
    pacer: new Pacer(),
    progress,
    onProgress: (p) => progress.push(p.done),
    fetch: async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      const entry: Logged = { url: target, sentAt: Date.now(), status: 0 };
      log.push(entry);
      const res = await fetch(input, init);
      entry.status = res.status;
      if (!rewrite || res.status !== 200) return res;
      const body = rewrite(target, await res.json());
      return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
    },
  };
}

/** The ground truth with agent ids in the emulator's numbering (a007 → 100007). */
function expected(dataset: Dataset, req: MetricsRequest): MetricsSnapshot {
  const truth = groundTruth(dataset, req, CAPS);
  return {
    ...truth,
    agents: truth.agents.map((a) => ({ ...a, agentId: String(zendeskUserId(a.agentId)) })),
  };
}

async function measure(
  dataset: Dataset,
  req: MetricsRequest,
  options: { rateLimit?: RateLimit | null; rewrite?: (url: string, body: unknown) => unknown } = {},
) {
  const { url, emulator } = await start(dataset, options.rateLimit);
  const log: Logged[] = [];
  const ctx = contextFor(url, log, options.rewrite);
  const result = await zendeskMetrics.fetch(ctx, req);
  return { result, emulator, log, ctx, url };
}

function requestFor(dataset: Dataset, timezone = 'UTC', historyWeeks = 12): MetricsRequest {
  return { now: new Date(dataset.now), timezone, historyWeeks };
}

describe('zendeskMetrics against the emulator', () => {
  const cases = [
    { seed: 1, conversations: 2000, timezone: 'UTC' },
    { seed: 2, conversations: 2000, timezone: 'America/New_York' },
    { seed: 1, conversations: 10_000, timezone: 'UTC' },
    { seed: 2, conversations: 10_000, timezone: 'UTC' },
  ];
  for (const { seed, conversations, timezone } of cases) {
    it(`matches the ground truth: seed ${seed}, ${conversations} conversations, ${timezone}`, async () => {
      const dataset = generateDataset({ seed, conversations });
      const req = requestFor(dataset, timezone);
      const { result, emulator, ctx } = await measure(dataset, req);
      if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
      const snapshot = zendeskMetrics.toSnapshot(result.value, req);
      const truth = expected(dataset, req);
      expect(snapshot.current).toEqual(truth.current);
      expect(snapshot.notMeasured).toEqual(truth.notMeasured);
      expect(snapshot.agents).toEqual(truth.agents);
      expect(snapshot.weeks).toHaveLength(12);
      expect(snapshot.weeks).toEqual(truth.weeks);
      expect(snapshot).toEqual(truth);
      // Sanity: the dataset exercises every metric.
      expect(truth.current.csat).not.toBeNull();
      expect(truth.current.firstResponseSeconds).not.toBeNull();
      expect(truth.current.openNow).toBeGreaterThan(0);

      const plan = zendeskCallPlan(dataset, req);
      expect(emulator.stats.dataRequests).toBeLessThanOrEqual(1.1 * plan.minimal);
      expect(plan.minimal).toBeLessThan(plan.naive);
      expect(emulator.stats.rateLimited).toBe(0);
      expect(ctx.progress.at(-1)).toBe(emulator.stats.dataRequests);
    });
  }

  it('reports csat null with a reason when nobody rated anything', async () => {
    const dataset = generateDataset({ seed: 3, conversations: 2000, ratings: false });
    const req = requestFor(dataset);
    const { result } = await measure(dataset, req);
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    const snapshot = zendeskMetrics.toSnapshot(result.value, req);
    expect(snapshot.current.csat).toBeNull();
    expect(snapshot.current.csatResponses).toBe(0);
    expect(snapshot.notMeasured.csat).toBe('no ratings in the window');
    expect(snapshot.agents.every((a) => a.csat === null && a.csatResponses === 0)).toBe(true);
    expect(snapshot).toEqual(expected(dataset, req));
  });

  it('reports openNow 0 and backlogAgeDays 0 when nothing is open, without the oldest-ticket search', async () => {
    const dataset = generateDataset({ seed: 4, conversations: 2000, openConversations: false });
    const req = requestFor(dataset);
    const { result, log, emulator } = await measure(dataset, req);
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    const snapshot = zendeskMetrics.toSnapshot(result.value, req);
    expect(snapshot.current.openNow).toBe(0);
    expect(snapshot.current.backlogAgeDays).toBe(0);
    expect(snapshot).toEqual(expected(dataset, req));
    expect(log.some((l) => new URL(l.url).pathname.endsWith('/api/v2/search'))).toBe(false);
    expect(emulator.stats.dataRequests).toBe(zendeskCallPlan(dataset, req).minimal);
  });

  it('waits out a 429 storm and paces itself: same numbers, never more than the limit per window', async () => {
    const limit = 3;
    const windowMs = 1500;
    const dataset = generateDataset({ seed: 5, conversations: 2000 });
    const req = requestFor(dataset, 'UTC', 4);
    const { url, emulator } = await start(dataset, { limit, windowMs });
    // Another integration on the same account spends a fresh window's budget (limits are account-wide).
    await sleep(windowMs - (Date.now() % windowMs) + 10);
    const auth = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
    for (let i = 0; i < limit; i++) {
      const res = await fetch(`${url}/acme/api/v2/search/count?query=type:ticket`, {
        headers: { authorization: auth },
      });
      await res.body?.cancel();
    }
    const log: Logged[] = [];
    const ctx = contextFor(url, log);
    const result = await zendeskMetrics.fetch(ctx, req);
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    expect(zendeskMetrics.toSnapshot(result.value, req)).toEqual(expected(dataset, req));

    expect(emulator.stats.rateLimited).toBeGreaterThan(0);
    expect(log.filter((l) => l.status === 429)).toHaveLength(emulator.stats.rateLimited);
    const perWindow = new Map<number, number>();
    for (const l of log) {
      const w = Math.floor(l.sentAt / windowMs);
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    // Our requests, 429s included, never exceed the limit in any window of the emulator's fixed-window counter.
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(limit);
    expect(log.filter((l) => l.status === 200).length).toBe(zendeskCallPlan(dataset, req).minimal);
  }, 60_000);

  it('waits out the incremental-export limit (10 per window) on a 20k-conversation account', async () => {
    const windowMs = 2000;
    const dataset = generateDataset({ seed: 10, conversations: 20_000 });
    const req = requestFor(dataset);
    // The emulator's windows are fixed (aligned to the clock): start right after a boundary, so the ~20 export
    // pages cannot split evenly across two windows and stay under the limit by chance.
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 10));
    const { result, emulator, log } = await measure(dataset, req, { rateLimit: { limit: 700, windowMs } });
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    expect(zendeskMetrics.toSnapshot(result.value, req)).toEqual(expected(dataset, req));
    const exports = log.filter((l) => l.url.includes('/incremental/tickets/cursor'));
    expect(exports.filter((l) => l.status === 200).length).toBeGreaterThan(INCREMENTAL_EXPORT_LIMIT);
    expect(emulator.stats.rateLimited).toBeGreaterThan(0);
    expect(exports.filter((l) => l.status === 429)).toHaveLength(emulator.stats.rateLimited);
    expect(emulator.stats.dataRequests).toBeLessThanOrEqual(1.1 * zendeskCallPlan(dataset, req).minimal);
  }, 60_000);

  it('takes first replies from ticket metric events for tickets without reply_time_in_seconds (e-mail)', async () => {
    const dataset = generateDataset({ seed: 12, conversations: 2000 });
    const req = requestFor(dataset, 'Europe/Berlin');
    const { result, emulator, log } = await measure(dataset, req, {
      rewrite: (url, body) => {
        if (!url.includes('/incremental/tickets/cursor')) return body;
        const page = body as { metric_sets: Record<string, unknown>[] };
        for (const m of page.metric_sets) m.reply_time_in_seconds = { calendar: null };
        return page;
      },
    });
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    expect(zendeskMetrics.toSnapshot(result.value, req)).toEqual(expected(dataset, req));
    expect(log.filter((l) => l.url.includes('/ticket_metric_events')).length).toBeGreaterThan(1);
    expect(emulator.stats.dataRequests).toBe(
      zendeskCallPlan(dataset, req, { secondsInMetricSets: false }).minimal,
    );
  });

  it('reads the same numbers with an OAuth Bearer token', async () => {
    const client = { clientId: 'zdg-deskpulse', clientSecret: 'zendesk-secret', redirectUris: [REDIRECT] };
    const dataset = generateDataset({ seed: 11, conversations: 500 });
    running = await startEmulator('zendesk', { dataset, clients: [client] });
    const { url } = running;
    const code = codeFrom(
      await authorize(`${url}/acme/oauth/authorizations/new`, {
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'read',
        state: 'st',
        auto_approve: '1',
      }),
    );
    const tokenResponse = await fetch(`${url}/acme/oauth/tokens`, {
      method: 'POST',
      ...jsonBody({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const req = requestFor(dataset);
    const ctx = { ...contextFor(url, []), credential: { kind: 'bearer' as const, token } };
    const result = await zendeskMetrics.fetch(ctx, req);
    if (!result.ok) throw new Error(`fetch failed: ${JSON.stringify(result.error)}`);
    expect(zendeskMetrics.toSnapshot(result.value, req)).toEqual(expected(dataset, req));
  });

  it('fails as upstream_unavailable when Zendesk answers 5xx', async () => {
    const dataset = generateDataset({ seed: 6, conversations: 500 });
    const req = requestFor(dataset);
    const { url, emulator } = await start(dataset);
    emulator.knobs.failDataNext = 1;
    const result = await zendeskMetrics.fetch(contextFor(url, []), req);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('upstream_unavailable');
    expect(result.error.detail).toBe('503: Service Unavailable');
  });

  it('fails as unexpected_response when a field has the wrong type', async () => {
    const dataset = generateDataset({ seed: 7, conversations: 500 });
    const req = requestFor(dataset);
    const { result } = await measure(dataset, req, {
      rewrite: (url, body) => {
        if (!url.includes('/incremental/tickets/cursor')) return body;
        const page = body as { metric_sets: Record<string, unknown>[] };
        const first = page.metric_sets[0];
        if (first) first.replies = '1';
        return page;
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unexpected_response');
    expect(result.error.detail).toMatch(/metric_sets\.0\.replies/);
  });

  it('fails as unauthorized with a wrong API token, and the data endpoints require one', async () => {
    const dataset = generateDataset({ seed: 8, conversations: 200 });
    const { url } = await start(dataset);
    const ctx = contextFor(url, []);
    const result = await zendeskMetrics.fetch(
      { ...ctx, credential: { kind: 'basic', username: `${EMAIL}/token`, password: 'wrong-token-value' } },
      requestFor(dataset),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unauthorized');
    const anonymous = await fetch(`${url}/acme/api/v2/satisfaction_ratings`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: "Couldn't authenticate you" });
  });

  it('caps search at 1,000 results like Zendesk (422 past it) and reports the full count', async () => {
    const dataset = generateDataset({ seed: 9, conversations: 2000 });
    const { url } = await start(dataset);
    const headers = { authorization: `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}` };
    const tenth = await fetch(`${url}/acme/api/v2/search?query=type:ticket&per_page=100&page=10`, {
      headers,
    });
    expect(tenth.status).toBe(200);
    const body = (await tenth.json()) as { results: unknown[]; count: number };
    expect(body.results).toHaveLength(100);
    expect(body.count).toBe(dataset.conversations.filter((c) => !c.spam).length);
    const eleventh = await fetch(`${url}/acme/api/v2/search?query=type:ticket&per_page=100&page=11`, {
      headers,
    });
    expect(eleventh.status).toBe(422);
  });
});
