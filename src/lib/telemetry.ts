import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Process-level Prometheus metrics (prom-client). Counters and histograms count what happens in this process;
 * fleet-wide state (jobs by state, connections by status) is read from Postgres at scrape time by the
 * `/metrics/prometheus` route. Labels are low-cardinality by design: provider, outcome — never a workspace.
 */
export const registry = new Registry();
// prom-client's default names already start with process_/nodejs_ (deskpulse_process_cpu_seconds_total, …).
collectDefaultMetrics({ register: registry, prefix: 'deskpulse_' });

const providerCalls = new Counter({
  name: 'deskpulse_provider_calls_total',
  help: 'HTTP calls made to helpdesk APIs, by provider and status class',
  labelNames: ['provider', 'status'] as const,
  registers: [registry],
});
const providerRateLimited = new Counter({
  name: 'deskpulse_provider_rate_limited_total',
  help: 'Helpdesk answers with HTTP 429, by provider',
  labelNames: ['provider'] as const,
  registers: [registry],
});
const refreshDuration = new Histogram({
  name: 'deskpulse_refresh_duration_seconds',
  help: 'Wall time of metrics refresh attempts run by this process, by provider and outcome',
  labelNames: ['provider', 'outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  registers: [registry],
});
const tokenRefreshes = new Counter({
  name: 'deskpulse_token_refreshes_total',
  help: 'OAuth access-token refreshes attempted by this process, by provider and outcome',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});
const webhookDeliveries = new Counter({
  name: 'deskpulse_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts made by this process, by outcome (succeeded, retrying, failed, refused)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const statusClass = (status: number | 'network') =>
  status === 'network' ? 'network' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;

export const telemetry = {
  providerCall(provider: string, status: number | 'network'): void {
    providerCalls.inc({ provider, status: statusClass(status) });
    if (status === 429) providerRateLimited.inc({ provider });
  },
  refreshFinished(provider: string, outcome: string, seconds: number): void {
    refreshDuration.observe({ provider, outcome }, seconds);
  },
  tokenRefresh(provider: string, outcome: string): void {
    tokenRefreshes.inc({ provider, outcome });
  },
  webhookDelivery(outcome: 'succeeded' | 'retrying' | 'failed' | 'refused'): void {
    webhookDeliveries.inc({ outcome });
  },
};
