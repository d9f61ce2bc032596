import type { ConnectionsDeps } from '../domain/connections/index.ts';
import type { JobQueue } from '../domain/queue.ts';

/** What every job handler gets: the domain's dependencies, with the queue always present. */
export interface WorkerDeps extends ConnectionsDeps {
  jobs: JobQueue;
}
