import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Db } from '../domain/database.ts';
import { AppError } from '../lib/app-error.ts';
import type { Logger } from '../lib/logger.ts';
import { STATUS } from './errors.ts';
import { checkMetricsAccess, PROMETHEUS_CONTENT_TYPE, prometheusText } from './routes/prometheus.ts';

export interface MetricsServerOptions {
  host: string;
  port: number;
  db: Db;
  logger: Logger;
  /** DESKPULSE_METRICS_TOKEN: the same rule as the API's `/metrics/prometheus` (unset: loopback callers only). */
  token: string | undefined;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` for a process without the API (`deskpulse worker --metrics-port`): this process's counters plus
 * the fleet gauges, exactly what the API's `/metrics/prometheus` answers. Errors use the API's error contract.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { db, logger, token } = options;
  const app = new Hono();
  app.get('/metrics', async (c) => {
    checkMetricsAccess(c, token);
    return c.text(await prometheusText(db, logger), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((e, c) => {
    if (e instanceof AppError) {
      return c.json({ error: { code: e.code, message: e.message } }, STATUS[e.code]);
    }
    logger.error({ err: e }, 'metrics server error');
    return c.json({ error: { code: 'internal_error', message: 'internal error' } }, 500);
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`;
  logger.info({ url }, 'metrics listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      })),
  };
}
