import { z } from 'zod';

/**
 * The queue catalog: name → payload schema and delivery policy. Handlers live in their own files; producers only
 * know `JobQueue`, so the HTTP layer never imports pg-boss.
 */
export const QUEUES = {
  metricsRefresh: {
    name: 'metrics-refresh',
    payload: z.object({ refreshId: z.string().regex(/^ref_[0-9a-f]{20}$/) }),
    // A refresh is retried when its worker dies (lease expiry); its own outcome is recorded on the refresh row.
    options: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
  },
} as const;

export type MetricsRefreshJob = z.infer<typeof QUEUES.metricsRefresh.payload>;

export interface JobQueue {
  enqueueRefresh(job: MetricsRefreshJob): Promise<void>;
}
