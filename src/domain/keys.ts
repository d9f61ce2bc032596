import * as repo from '../db/repositories/connections/index.ts';
import * as webhookRepo from '../db/repositories/webhooks.ts';
import type { ConnectionsDeps } from './connections/deps.ts';

/**
 * Re-seals every secret under the current key — helpdesk credentials and webhook signing secrets; resumable and
 * idempotent (only rows sealed by another key are touched).
 */
export async function rotateEncryption(
  deps: Pick<ConnectionsDeps, 'db' | 'keyring'>,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ reencrypted: number; currentKeyId: string }> {
  const current = deps.keyring.currentKeyId;
  const stores = [
    { count: repo.countByEncryptionKey, batch: repo.reencryptBatch },
    { count: webhookRepo.countWebhookSecretsByKey, batch: webhookRepo.reencryptWebhookSecretsBatch },
  ];
  const othersOf = (counts: Record<string, number>) =>
    Object.entries(counts).reduce((n, [k, c]) => (k === current ? n : n + c), 0);
  let total = 0;
  for (const store of stores) total += othersOf(await store.count(deps.db));
  let done = 0;
  for (const store of stores) {
    for (;;) {
      const n = await store.batch(deps.db, deps.keyring, options.batchSize ?? 100);
      done += n;
      options.onProgress?.(Math.min(done, total), Math.max(total, done));
      if (n > 0) continue;
      if (othersOf(await store.count(deps.db)) === 0) break;
      // Rows held by in-flight transactions were skipped; wait for them and try again.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { reencrypted: done, currentKeyId: current };
}
