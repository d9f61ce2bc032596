/**
 * The emulated helpdesks of bench/fleet, run as their own process so their CPU is measured apart from the
 * workers'. One emulator per provider on 127.0.0.1, each seeded with one API token per fleet connection of that
 * provider (its own account; Zendesk: its own subdomain and agent email), all serving one small dataset.
 *
 * The emulators count their rate limit per emulator (emulators/shared/rate-limit.ts keys the window by the
 * emulator, not by token), so 10,000 accounts on one emulator would share one account's budget: the bench turns
 * the limit off instead (`knobs.rateLimit = null`) and adds `FLEET_LATENCY_MS` before every response.
 *
 * Protocol (stdout, one JSON object per line): `{"urls":{provider:url}}` once ready; then, for every `stats` line
 * read on stdin, `{"stats":{provider:{dataRequests,rateLimited,…}}}`. Exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { generateDataset } from '../emulators/dataset/generate.ts';
import { startEmulator, type ApiTokenSeed, type RunningEmulator } from '../emulators/index.ts';
import type { ProviderId } from '../src/providers/types.ts';

export interface FleetConnection {
  index: number;
  provider: ProviderId;
  token: string;
  /** The connection parameters Deskpulse stores (Zendesk: subdomain and agent email). */
  params: Record<string, string>;
  account: { id: string; name: string };
}

/** Connection `index` of the fleet: the provider mix is round-robin; the token is derived from a per-run salt. */
export function fleetConnection(
  index: number,
  providers: readonly ProviderId[],
  salt: string,
): FleetConnection {
  const provider = providers[index % providers.length];
  if (!provider) throw new Error('no providers');
  const account = { id: `fleet${index}`, name: `Fleet helpdesk ${index}` };
  const params: Record<string, string> =
    provider === 'zendesk' ? { subdomain: `fleet${index}`, email: `agent${index}@fleet.test` } : {};
  return { index, provider, token: `fleet_${salt}_${index}`, params, account };
}

function tokenSeed(c: FleetConnection): ApiTokenSeed {
  if (c.provider === 'zendesk')
    return { token: c.token, email: c.params.email ?? '', subdomain: c.params.subdomain ?? '' };
  return { token: c.token, account: c.provider === 'intercom' ? { ...c.account, region: 'US' } : c.account };
}

async function main(): Promise<void> {
  const count = Number(process.env.FLEET_CONNECTIONS ?? 10_000);
  const conversations = Number(process.env.FLEET_CONVERSATIONS ?? 30);
  const latencyMs = Number(process.env.FLEET_LATENCY_MS ?? 0);
  const salt = process.env.FLEET_SALT ?? 'salt';
  const providers = (process.env.FLEET_PROVIDERS ?? 'front,intercom,zendesk,plain').split(
    ',',
  ) as ProviderId[];

  const dataset = generateDataset({ seed: 1, conversations, now: Date.now() });
  const seeds = new Map<ProviderId, ApiTokenSeed[]>(providers.map((p) => [p, []]));
  for (let i = 0; i < count; i++) {
    const c = fleetConnection(i, providers, salt);
    seeds.get(c.provider)?.push(tokenSeed(c));
  }
  const running = new Map<ProviderId, RunningEmulator>();
  for (const id of providers) {
    const r = await startEmulator(id, { dataset, apiTokens: seeds.get(id) ?? [] });
    r.emulator.knobs.rateLimit = null;
    r.emulator.knobs.latencyMs = latencyMs;
    running.set(id, r);
  }
  const write = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  write({ urls: Object.fromEntries([...running].map(([id, r]) => [id, r.url])) });

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'stats')
      write({ stats: Object.fromEntries([...running].map(([id, r]) => [id, r.emulator.stats])) });
  });
  lines.on('close', () => {
    void Promise.all([...running.values()].map((r) => r.close())).finally(() => process.exit(0));
  });
  process.on('SIGTERM', () => lines.close());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
