/**
 * bench/snapshot — one metrics refresh per provider and dataset size against its emulator with 50 ms latency
 * and the provider's documented rate limit. Prints, per case, the calls used against the documented minimal plan
 * and a naive full sync (ratios measured in this run), and the wall time against the rate-limit floor
 * (calls ÷ allowed rate) and against the sequential-latency floor (calls × latency).
 * Goals: calls ≤ 1.1× the minimal plan; wall time ≤ 1.25× the floor.
 *
 *   npm run bench:snapshot                      # 10k and 100k conversations, all four providers
 *   BENCH_SIZES=10000 BENCH_PROVIDERS=front npm run bench:snapshot
 */
import os from 'node:os';
import { frontCallPlan } from '../emulators/front/call-plan.ts';
import { generateDataset } from '../emulators/dataset/generate.ts';
import { groundTruth } from '../emulators/dataset/ground-truth.ts';
import { startEmulator } from '../emulators/index.ts';
import { intercomCallPlan } from '../emulators/intercom/call-plan.ts';
import { plainCallPlan } from '../emulators/plain/call-plan.ts';
import { zendeskCallPlan } from '../emulators/zendesk/call-plan.ts';
import { Pacer } from '../src/providers/pacer.ts';
import { providers } from '../src/providers/index.ts';
import type { MetricsRequest } from '../src/metrics/types.ts';
import { PROVIDER_IDS, type Credential, type ProviderId } from '../src/providers/types.ts';

const LATENCY_MS = 50;
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const ONLY = (process.env.BENCH_PROVIDERS ?? PROVIDER_IDS.join(',')).split(',') as ProviderId[];

const PLANS = {
  intercom: intercomCallPlan,
  front: frontCallPlan,
  zendesk: zendeskCallPlan,
  plain: plainCallPlan,
};
const CAPS = {
  intercom: { csatMeanScore: true, deflectionRate: true },
  front: { csatMeanScore: true, deflectionRate: false },
  zendesk: { csatMeanScore: false, deflectionRate: false },
  plain: { csatMeanScore: true, deflectionRate: false },
};
const TOKEN = 'bench-token-0123456789';
const credentialOf = (id: ProviderId): Credential =>
  id === 'zendesk'
    ? { kind: 'basic', username: 'bench@acme.test/token', password: TOKEN }
    : { kind: 'bearer', token: TOKEN };

const f = (n: number, d = 2) => n.toFixed(d);
const rows: string[] = [];
console.log(
  `bench/snapshot — ${os.cpus().length} cores, node ${process.version}, latency ${LATENCY_MS} ms per call`,
);

for (const size of SIZES) {
  const dataset = generateDataset({ seed: 1, conversations: size });
  const req: MetricsRequest = { now: new Date(dataset.now), timezone: 'UTC', historyWeeks: 12 };
  for (const id of ONLY) {
    const provider = providers[id];
    const adapter = provider.metrics;
    if (!adapter) throw new Error(`${id} has no metrics adapter`);
    const running = await startEmulator(id, {
      dataset,
      apiTokens: [
        { token: TOKEN, ...(id === 'zendesk' ? { email: 'bench@acme.test', subdomain: 'acme' } : {}) },
      ],
    });
    try {
      running.emulator.knobs.latencyMs = LATENCY_MS;
      const limit = running.emulator.knobs.rateLimit;
      const params = id === 'zendesk' ? { subdomain: 'acme' } : {};
      const endpoints = provider.endpoints(provider.emulatorOverrides(running.url), params);
      const start = performance.now();
      const raw = await adapter.fetch(
        { endpoints, params, fetch, pacer: new Pacer(), credential: credentialOf(id) },
        req,
      );
      const wall = (performance.now() - start) / 1000;
      if (!raw.ok) throw new Error(`${id} ${size}: ${raw.error.code} ${raw.error.detail}`);
      const snapshot = adapter.toSnapshot(raw.value, req);
      const truth = groundTruth(dataset, req, CAPS[id]);
      const correct = JSON.stringify(snapshot.current) === JSON.stringify(truth.current);
      const calls = running.emulator.stats.dataRequests;
      const plan = PLANS[id](dataset, req);
      const rateFloor = limit ? calls / (limit.limit / (limit.windowMs / 1000)) : 0;
      const latencyFloor = (calls * LATENCY_MS) / 1000;
      const floor = Math.max(rateFloor, latencyFloor);
      rows.push(
        [
          id.padEnd(8),
          String(size).padStart(6),
          String(calls).padStart(6),
          String(plan.minimal).padStart(7),
          String(plan.naive).padStart(8),
          `${f(calls / plan.minimal)}×`.padStart(6),
          `${f(plan.naive / calls, 0)}×`.padStart(7),
          `${f(wall, 1)} s`.padStart(8),
          `${f(rateFloor, 1)} s`.padStart(8),
          `${f(latencyFloor, 1)} s`.padStart(8),
          `${f(wall / floor)}×`.padStart(6),
          String(running.emulator.stats.rateLimited).padStart(4),
          correct ? 'yes' : 'NO',
        ].join('  '),
      );
      console.log(rows.at(-1));
    } finally {
      await running.close();
    }
  }
}
console.log(
  '\nprovider    size   calls  minimal    naive  c/min  naive/c      wall  rateflr   latflr  w/flr  429s  =truth',
);
for (const r of rows) console.log(r);
console.log(
  '\nc/min: calls used ÷ documented minimal plan (goal ≤ 1.10×). naive/c: calls a naive full sync would make ÷ calls used.',
);
console.log('w/flr: wall time ÷ max(rate-limit floor, sequential-latency floor) (goal ≤ 1.25×).');
