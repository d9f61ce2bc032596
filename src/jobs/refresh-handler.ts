import { runRefresh } from '../domain/metrics.ts';
import type { MetricsRefreshJob } from './catalog.ts';
import type { WorkerDeps } from './deps.ts';

export async function handleRefresh(deps: WorkerDeps, job: MetricsRefreshJob): Promise<void> {
  const refresh = await runRefresh(deps, job.refreshId);
  deps.logger.info(
    { refreshId: job.refreshId, state: refresh.state, provider: refresh.provider },
    'metrics refresh finished',
  );
}
