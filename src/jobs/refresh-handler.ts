import { runRefresh } from '../domain/metrics.ts';
import type { JobMeta, MetricsRefreshJob } from './catalog.ts';
import type { WorkerDeps } from './deps.ts';

export async function handleRefresh(deps: WorkerDeps, job: MetricsRefreshJob, meta: JobMeta): Promise<void> {
  const refresh = await runRefresh(deps, job.refreshId, { jobId: meta.id });
  const fields = { refreshId: job.refreshId, provider: refresh.provider, state: refresh.state };
  if (refresh.state === 'failed') {
    deps.logger.warn(
      { ...fields, errorCode: refresh.errorCode, attempts: refresh.attempts },
      'metrics refresh failed',
    );
  } else if (refresh.state === 'retrying') {
    deps.logger.info(
      {
        ...fields,
        errorCode: refresh.errorCode,
        attempts: refresh.attempts,
        nextAttemptAt: refresh.nextAttemptAt,
      },
      'metrics refresh attempt failed: retrying',
    );
  } else if (refresh.state === 'succeeded') {
    deps.logger.info(fields, 'metrics refresh finished');
  } else {
    // A duplicate job (an expired lease's retry) for a refresh another attempt is still running.
    deps.logger.debug(fields, 'metrics refresh already running elsewhere');
  }
}
