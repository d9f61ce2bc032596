import { deliver } from '../domain/webhooks.ts';
import { telemetry } from '../lib/telemetry.ts';
import type { WebhookDeliverJob } from './catalog.ts';
import type { WorkerDeps } from './deps.ts';

/**
 * One attempt of one webhook delivery. The domain claims the delivery (a lease, so two workers never send the
 * same attempt) and records the outcome; a failure with attempts left gets its next job here, at the time the
 * domain chose. Should this process die between the two, the minute cron re-queues the overdue delivery.
 */
export async function handleWebhookDelivery(deps: WorkerDeps, job: WebhookDeliverJob): Promise<void> {
  const outcome = await deliver(deps, job.deliveryId);
  const log = deps.logger.child({ deliveryId: job.deliveryId });
  switch (outcome.kind) {
    case 'skipped':
      log.debug('webhook delivery not due, finished or held elsewhere; nothing sent');
      return;
    case 'succeeded':
      telemetry.webhookDelivery('succeeded');
      log.info({ attempt: outcome.attempt, statusCode: outcome.statusCode }, 'webhook delivered');
      return;
    case 'retrying':
      telemetry.webhookDelivery('retrying');
      log.warn(
        { attempt: outcome.attempt, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt },
        'webhook delivery failed; retrying',
      );
      await deps.jobs.send(
        'webhookDeliver',
        { deliveryId: job.deliveryId },
        { startAfter: outcome.nextAttemptAt },
      );
      return;
    case 'failed':
      telemetry.webhookDelivery('failed');
      log.warn({ attempt: outcome.attempt, error: outcome.error }, 'webhook delivery failed for good');
      return;
    case 'refused':
      telemetry.webhookDelivery('refused');
      log.warn({ attempt: outcome.attempt, error: outcome.error }, 'webhook target refused; delivery failed');
      return;
  }
}
