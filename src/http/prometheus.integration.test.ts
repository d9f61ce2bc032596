import { serve } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { freePort } from '../db/embedded.ts';
import { upsertConnection } from '../db/repositories/connections/index.ts';
import { insertRefresh } from '../db/repositories/refreshes.ts';
import type { ProviderId } from '../db/schema.ts';
import { QUEUES } from '../jobs/catalog.ts';
import { registry, telemetry } from '../lib/telemetry.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';
import { isLoopback, prometheusText } from './routes/prometheus.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const BIN = path.resolve('bin/deskpulse.js');
const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

let t: TestApp;
let tokenApp: TestApp;
let helpdesks: TestHelpdesks;
const closers: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  helpdesks = await startHelpdesks();
  // No in-process worker: a queued job stays `created`, so the job gauge has an exact value to show.
  t = await createTestApp({}, { worker: false });
  tokenApp = await createTestApp({ DESKPULSE_METRICS_TOKEN: METRICS_TOKEN }, { worker: false });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const close of closers) await close();
  await t.close();
  await tokenApp.close();
  await helpdesks.close();
});

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

const key = (name: string, labels: Record<string, string> = {}) => {
  const parts = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
};

/**
 * Parses the Prometheus text format (0.0.4) and throws on any line that is not a comment, a TYPE of a known
 * kind, or a sample of a declared metric. Samples are keyed by name and sorted labels.
 */
function parsePrometheus(text: string): Map<string, number> {
  const declared = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (!name || !type || !TYPES.has(type)) throw new Error(`bad TYPE line: ${line}`);
      declared.set(name, type);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m?.[1] || m[3] === undefined) throw new Error(`not a Prometheus sample: ${line}`);
    const name = m[1];
    const family = declared.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    if (!declared.has(family)) throw new Error(`sample of an undeclared metric: ${line}`);
    // Prometheus reads values with Go's ParseFloat: Inf and NaN in any case (prom-client writes `Nan`).
    const value = /^[+-]?inf$/i.test(m[3])
      ? m[3].startsWith('-')
        ? -Infinity
        : Infinity
      : /^nan$/i.test(m[3])
        ? NaN
        : Number(m[3]);
    if (Number.isNaN(value) && !/^nan$/i.test(m[3])) throw new Error(`bad value: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] ?? ''] = l[2] ?? '';
    samples.set(key(name, labels), value);
  }
  return samples;
}

/** Serves an app on a real 127.0.0.1 socket, so the route sees a loopback peer. */
async function listen(app: TestApp['app']): Promise<string> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The node-server bindings `getConnInfo` reads, for a caller at `address`. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

async function seedConnection(app: TestApp, workspaceId: string, provider: ProviderId): Promise<void> {
  await upsertConnection(app.deps.db, app.deps.keyring, {
    newId: `con_${randomBytes(10).toString('hex')}`,
    workspaceId,
    provider,
    authType: 'token',
    params: provider === 'zendesk' ? { subdomain: 'acme' } : {},
    account: { id: `acct_${provider}`, name: 'Acme' },
    isSandbox: false,
    accessToken: `token-${provider}`,
    refreshToken: undefined,
    accessTokenExpiresAt: null,
    scope: undefined,
    connectedByUserId: null,
  });
}

describe('GET /metrics/prometheus without DESKPULSE_METRICS_TOKEN', () => {
  it('answers a loopback caller over a real socket with parseable Prometheus text', async () => {
    const base = await listen(t.app);
    const res = await fetch(`${base}/metrics/prometheus`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    const samples = parsePrometheus(await res.text());
    expect(samples.get('deskpulse_fleet_stats_up')).toBe(1);
    // Zero-filled: every catalog queue in every pg-boss state, every provider in every status and state.
    for (const { name } of Object.values(QUEUES)) {
      for (const state of JOB_STATES) {
        expect(samples.has(key('deskpulse_jobs', { queue: name, state })), `${name} ${state}`).toBe(true);
      }
    }
    expect(samples.get(key('deskpulse_connections', { provider: 'plain', status: 'degraded' }))).toBe(0);
    expect(samples.get(key('deskpulse_refreshes', { provider: 'zendesk', state: 'retrying' }))).toBe(0);
    // This process's default metrics come in the same document.
    expect(samples.has('deskpulse_process_cpu_user_seconds_total')).toBe(true);
  });

  it('refuses callers that are not on loopback, naming DESKPULSE_METRICS_TOKEN', async () => {
    const forbidden = {
      error: {
        code: 'forbidden',
        message:
          'metrics are served to loopback callers only while DESKPULSE_METRICS_TOKEN is unset; set it to scrape from another host',
      },
    };
    const remote = await t.app.request('/metrics/prometheus', {}, from('203.0.113.9'));
    expect(remote.status).toBe(403);
    expect(await remote.json()).toEqual(forbidden);
    // A request with no socket at all (not provably loopback) is refused too.
    const noSocket = await t.request('/metrics/prometheus');
    expect(noSocket.status).toBe(403);
    expect(await noSocket.json()).toEqual(forbidden);
    // A workspace owner's API key opens nothing here: these are the whole fleet's numbers.
    const { keys } = await seedWorkspace(t, 'Scraper');
    const withKey = await t.app.request(
      '/metrics/prometheus',
      { headers: { authorization: `Bearer ${keys.owner}` } },
      from('198.51.100.4'),
    );
    expect(withKey.status).toBe(403);
    const ipv6Loopback = await t.app.request('/metrics/prometheus', {}, from('::1'));
    expect(ipv6Loopback.status).toBe(200);
  });

  it('recognises loopback addresses and nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a), a).toBe(true);
    for (const a of [
      undefined,
      '',
      '10.0.0.1',
      '::ffff:10.0.0.1',
      '::2',
      '1270.0.0.1',
      '128.0.0.1',
      'localhost',
    ]) {
      expect(isLoopback(a), String(a)).toBe(false);
    }
  });
});

describe('GET /metrics/prometheus with DESKPULSE_METRICS_TOKEN', () => {
  const unauthenticated = {
    error: {
      code: 'unauthenticated',
      message: 'metrics need Authorization: Bearer <DESKPULSE_METRICS_TOKEN>',
    },
  };

  it('answers only the bearer of the token, from anywhere', async () => {
    const ok = await tokenApp.app.request(
      '/metrics/prometheus',
      { headers: { authorization: `Bearer ${METRICS_TOKEN}` } },
      from('203.0.113.9'),
    );
    expect(ok.status).toBe(200);
    expect(parsePrometheus(await ok.text()).get('deskpulse_fleet_stats_up')).toBe(1);

    const { keys } = await seedWorkspace(tokenApp, 'Token');
    for (const authorization of [
      undefined,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Bearer ${METRICS_TOKEN}x`,
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${keys.owner}`,
    ]) {
      const res = await tokenApp.app.request(
        '/metrics/prometheus',
        authorization ? { headers: { authorization } } : {},
        from('203.0.113.9'),
      );
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.json()).toEqual(unauthenticated);
    }
  });

  it('asks loopback callers for the token as well', async () => {
    const base = await listen(tokenApp.app);
    const res = await fetch(`${base}/metrics/prometheus`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(unauthenticated);
    const ok = await fetch(`${base}/metrics/prometheus`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('metrics content', () => {
  const scrape = async () =>
    parsePrometheus(await (await t.app.request('/metrics/prometheus', {}, from('127.0.0.1'))).text());

  it('reports connections, refreshes and jobs from Postgres', async () => {
    const { workspace } = await seedWorkspace(t, 'Fleet');
    const other = await seedWorkspace(t, 'Fleet 2');
    for (const p of ['front', 'intercom', 'plain'] as const) await seedConnection(t, workspace.id, p);
    await seedConnection(t, other.workspace.id, 'front');
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ status: 'needs_reauth' })
      .where('provider', '=', 'intercom')
      .execute();
    await t.deps.db
      .updateTable('helpdesk_connections')
      .set({ status: 'degraded' })
      .where('provider', '=', 'plain')
      .execute();
    const refreshId = `ref_${randomBytes(10).toString('hex')}`;
    await insertRefresh(t.deps.db, {
      id: refreshId,
      workspaceId: workspace.id,
      provider: 'front',
      requestedBy: 'test',
      historyWeeks: 1,
    });
    await t.jobs.queue.send('metricsRefresh', { refreshId });

    const samples = await scrape();
    const connections = (provider: string, status: string) =>
      samples.get(key('deskpulse_connections', { provider, status }));
    expect(connections('front', 'ok')).toBe(2);
    expect(connections('intercom', 'ok')).toBe(0);
    expect(connections('intercom', 'needs_reauth')).toBe(1);
    expect(connections('plain', 'degraded')).toBe(1);
    expect(connections('zendesk', 'ok')).toBe(0);
    expect(samples.get(key('deskpulse_refreshes', { provider: 'front', state: 'queued' }))).toBe(1);
    expect(samples.get(key('deskpulse_refreshes', { provider: 'front', state: 'succeeded' }))).toBe(0);
    expect(samples.get(key('deskpulse_jobs', { queue: 'metrics-refresh', state: 'created' }))).toBe(1);
    expect(samples.get(key('deskpulse_jobs', { queue: 'metrics-refresh', state: 'active' }))).toBe(0);
    // Another database, another fleet: the gauges are read per scrape, not cached per process.
    const elsewhere = parsePrometheus(await prometheusText(tokenApp.deps.db, tokenApp.deps.logger));
    expect(elsewhere.get(key('deskpulse_connections', { provider: 'front', status: 'ok' }))).toBe(0);
  });

  it('moves the provider-call counters when telemetry counts a call', async () => {
    const get = (s: Map<string, number>, name: string, labels: Record<string, string>) =>
      s.get(key(name, labels)) ?? 0;
    const before = await scrape();
    telemetry.providerCall('zendesk', 429);
    telemetry.providerCall('zendesk', 204);
    telemetry.providerCall('zendesk', 'network');
    const after = await scrape();
    for (const status of ['429', '2xx', 'network']) {
      const labels = { provider: 'zendesk', status };
      expect(get(after, 'deskpulse_provider_calls_total', labels), status).toBe(
        get(before, 'deskpulse_provider_calls_total', labels) + 1,
      );
    }
    expect(get(after, 'deskpulse_provider_rate_limited_total', { provider: 'zendesk' })).toBe(
      get(before, 'deskpulse_provider_rate_limited_total', { provider: 'zendesk' }) + 1,
    );
  });

  it('still answers the process metrics when Postgres cannot be read', async () => {
    const unreachable = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
    try {
      const samples = parsePrometheus(await prometheusText(unreachable.db, t.deps.logger));
      expect(samples.get('deskpulse_fleet_stats_up')).toBe(0);
      expect([...samples.keys()].some((k) => k.startsWith('deskpulse_connections'))).toBe(false);
      expect(samples.has('deskpulse_process_cpu_user_seconds_total')).toBe(true);
    } finally {
      await unreachable.close();
    }
  });

  it('is documented in the OpenAPI document with its own security scheme', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-min-role'?: string; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const op = doc.paths['/metrics/prometheus']?.get;
    expect(op?.['x-min-role']).toBe('metrics-token');
    expect(op?.security).toEqual([{ metricsToken: [] }]);
    expect(doc.components.securitySchemes.metricsToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('deskpulse worker --metrics-port', () => {
  function start(args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    // 'close', not 'exit': stderr is read whole by then.
    const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    return { child, exited, stderr: () => stderr };
  }

  it('serves the same metrics at /metrics and stops with the worker', async () => {
    const { workspace } = await seedWorkspace(t, 'Worker fleet');
    await seedConnection(t, workspace.id, 'zendesk');
    const port = await freePort();
    const worker = start(
      ['worker', '--metrics-port', String(port)],
      cliEnv(t, helpdesks, { LOG_LEVEL: 'warn', DESKPULSE_SCHEDULER: '0' }),
    );
    const url = `http://127.0.0.1:${port}/metrics`;
    let res: Response | undefined;
    for (let i = 0; i < 300 && !res?.ok; i++) {
      res = await fetch(url).catch(() => undefined);
      if (!res?.ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(res?.status, worker.stderr()).toBe(200);
    expect(res?.headers.get('content-type')).toBe(registry.contentType);
    const fromWorker = parsePrometheus(await (res as Response).text());
    const fromApi = await (await t.app.request('/metrics/prometheus', {}, from('127.0.0.1'))).text();
    const zendeskOk = key('deskpulse_connections', { provider: 'zendesk', status: 'ok' });
    expect(fromWorker.get(zendeskOk)).toBe(1);
    expect(fromWorker.get(zendeskOk)).toBe(parsePrometheus(fromApi).get(zendeskOk));
    expect(fromWorker.has(key('deskpulse_jobs', { queue: 'metrics-refresh', state: 'created' }))).toBe(true);
    expect(fromWorker.has('deskpulse_process_cpu_user_seconds_total')).toBe(true);
    const missing = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 60_000);

  it('rejects a port that is not a number', async () => {
    const worker = start(['worker', '--metrics-port', 'nine'], cliEnv(t, helpdesks));
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toContain("option '--metrics-port <port>' argument 'nine' is invalid");
  });
});
