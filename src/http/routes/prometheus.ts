import { getConnInfo } from '@hono/node-server/conninfo';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Gauge, Registry } from 'prom-client';
import { ErrorResponseSchema } from '../../contracts/common.ts';
import {
  CONNECTION_STATUSES,
  countConnectionsByProviderAndStatus,
  countJobsByQueueAndState,
  countRefreshesByProviderAndState,
  JOB_STATES,
  REFRESH_STATES,
  type Db,
} from '../../domain/database.ts';
import { QUEUES } from '../../jobs/catalog.ts';
import { AppError } from '../../lib/app-error.ts';
import { safeEqual, sha256Hex } from '../../lib/crypto.ts';
import type { Logger } from '../../lib/logger.ts';
import { registry } from '../../lib/telemetry.ts';
import { PROVIDER_IDS } from '../../metrics/helpdesks.ts';
import type { AppEnv } from '../env.ts';
import { REQUEST_ID_HEADER } from '../route.ts';
import { requestLogger } from '../request-logger.ts';

/**
 * Fleet-wide gauges, read from Postgres on every scrape into a registry of their own, so any process (API or
 * worker) answers the same numbers and a scrape never shows a stale count. Every label combination is set,
 * zeros included: a series that appears only once non-zero breaks `rate()` and alert expressions.
 */
async function fleetRegistry(db: Db, logger: Logger): Promise<Registry> {
  const fleet = new Registry();
  const up = new Gauge({
    name: 'deskpulse_fleet_stats_up',
    help: '1 when the fleet gauges below were read from Postgres in this scrape, 0 when the read failed',
    registers: [fleet],
  });
  let counts;
  try {
    counts = await Promise.all([
      countJobsByQueueAndState(db),
      countConnectionsByProviderAndStatus(db),
      countRefreshesByProviderAndState(db),
    ]);
  } catch (e) {
    logger.warn({ err: e }, 'fleet metrics unavailable');
    up.set(0);
    return fleet;
  }
  up.set(1);
  const [jobs, connections, refreshes] = counts;

  /** A gauge over two labels with every combination of `xs` × `ys` present, zeros included. */
  const gauge = <X extends string, Y extends string>(
    name: string,
    help: string,
    [xLabel, xs]: [string, readonly X[]],
    [yLabel, ys]: [string, readonly Y[]],
    rows: { x: X; y: Y; count: number }[],
  ) => {
    const g = new Gauge({ name, help, labelNames: [xLabel, yLabel], registers: [fleet] });
    for (const x of xs) for (const y of ys) g.set({ [xLabel]: x, [yLabel]: y }, 0);
    for (const r of rows) g.set({ [xLabel]: r.x, [yLabel]: r.y }, r.count);
  };
  gauge(
    'deskpulse_jobs',
    'Jobs in pg-boss (pgboss.job, not yet archived), by queue and state',
    ['queue', Object.values(QUEUES).map((q) => q.name as string)],
    ['state', JOB_STATES],
    jobs.map((j) => ({ x: j.queue, y: j.state, count: j.count })),
  );
  gauge(
    'deskpulse_connections',
    'Helpdesk connections, by provider and status (ok, needs_reauth, degraded)',
    ['provider', PROVIDER_IDS],
    ['status', CONNECTION_STATUSES],
    connections.map((r) => ({ x: r.provider, y: r.status, count: r.count })),
  );
  gauge(
    'deskpulse_refreshes',
    'Metric refreshes requested in the last 24 hours, by provider and state',
    ['provider', PROVIDER_IDS],
    ['state', REFRESH_STATES],
    refreshes.map((r) => ({ x: r.provider, y: r.state, count: r.count })),
  );
  return fleet;
}

/** This process's counters and histograms (lib/telemetry.ts) followed by the fleet gauges, as one document. */
export async function prometheusText(db: Db, logger: Logger): Promise<string> {
  const fleet = await fleetRegistry(db, logger);
  return Registry.merge([registry, fleet]).metrics();
}

export const PROMETHEUS_CONTENT_TYPE = registry.contentType;

/** IPv4 loopback is all of 127/8; a dual-stack socket reports it IPv4-mapped (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // No Node socket behind this request (app.request in tests, another runtime): not provably loopback.
    return undefined;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The metrics rule, shared by the API route and the worker's metrics server. With DESKPULSE_METRICS_TOKEN set,
 * only `Authorization: Bearer <token>` gets in (from anywhere, loopback included); unset, only loopback callers
 * do. Workspace API keys never open it: the metrics are the whole fleet's, not one workspace's.
 */
export function checkMetricsAccess(c: Context, token: string | undefined): void {
  if (token !== undefined) {
    const given = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    // Hashing first makes both sides the same length, so the comparison leaks neither content nor length.
    if (given === undefined || !safeEqual(sha256Hex(given), sha256Hex(token))) {
      throw new AppError('unauthenticated', 'metrics need Authorization: Bearer <DESKPULSE_METRICS_TOKEN>');
    }
    return;
  }
  if (!isLoopback(remoteAddress(c))) {
    throw new AppError(
      'forbidden',
      'metrics are served to loopback callers only while DESKPULSE_METRICS_TOKEN is unset; set it to scrape from another host',
    );
  }
}

const errorResponse = (description: string) => ({
  description,
  headers: REQUEST_ID_HEADER,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});

/**
 * Not a workspace route, so not declared through `defineRoute`: it is published with `x-min-role: metrics-token`
 * (the role-matrix test pins that no workspace caller gets in) and its own security scheme.
 */
const prometheus = createRoute({
  method: 'get',
  path: '/metrics/prometheus',
  operationId: 'getPrometheusMetrics',
  tags: ['System'],
  summary: 'Prometheus metrics: this process, plus fleet-wide jobs, connections and refreshes',
  description:
    'Prometheus text format (docs/operations.md lists every metric). With DESKPULSE_METRICS_TOKEN set, send ' +
    'it as `Authorization: Bearer <token>`; unset, only loopback callers are answered. Workspace API keys ' +
    'are not accepted.',
  'x-min-role': 'metrics-token',
  security: [{ metricsToken: [] }],
  request: { query: z.strictObject({}) },
  responses: {
    200: {
      description: 'Prometheus text exposition format',
      headers: REQUEST_ID_HEADER,
      content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z.string() } },
    },
    400: errorResponse('`invalid_query`: the route takes no query parameters'),
    401: errorResponse('DESKPULSE_METRICS_TOKEN is set and the request does not carry it'),
    403: errorResponse('DESKPULSE_METRICS_TOKEN is unset and the caller is not on loopback'),
    500: errorResponse('`internal_error`: a bug, logged with the request id quoted in the message'),
  },
});

export function registerPrometheusRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'DESKPULSE_METRICS_TOKEN, for `GET /metrics/prometheus` only (not a workspace API key)',
  });
  app.openapi(prometheus, async (c) => {
    checkMetricsAccess(c, c.get('deps').config.metricsToken);
    const body = await prometheusText(c.get('deps').db, requestLogger(c));
    return c.text(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
}
