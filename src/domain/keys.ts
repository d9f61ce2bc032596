import * as repo from '../db/repositories/connections/index.ts';
import * as oauthStates from '../db/repositories/oauth-states.ts';
import * as webhookRepo from '../db/repositories/webhooks.ts';
import type { Db } from '../db/client.ts';
import type { Keyring } from '../lib/keyring.ts';
import type { ConnectionsDeps } from './connections/deps.ts';

/** Every table that holds sealed secrets, by the name the CLI reports it under. */
const STORES = {
  connections: { count: repo.countByEncryptionKey, batch: repo.reencryptBatch },
  webhookSecrets: {
    count: webhookRepo.countWebhookSecretsByKey,
    batch: webhookRepo.reencryptWebhookSecretsBatch,
  },
  oauthStates: {
    count: oauthStates.countOAuthStatesByKey,
    batch: oauthStates.reencryptOAuthStatesBatch,
  },
} as const;

export type SealedStore = keyof typeof STORES;
export type PerStore = Record<SealedStore, number>;
const STORE_NAMES = Object.keys(STORES) as SealedStore[];

/** Per store and key id: how many rows have at least one field sealed under that key. */
export async function countSealed(db: Db): Promise<Record<SealedStore, Record<string, number>>> {
  // Abandoned OAuth flows are garbage, not secrets to keep: they never hold a key back.
  await oauthStates.deleteExpiredOAuthStates(db);
  const entries = await Promise.all(STORE_NAMES.map(async (s) => [s, await STORES[s].count(db)] as const));
  return Object.fromEntries(entries) as Record<SealedStore, Record<string, number>>;
}

/** Per store, the rows with a field sealed under `keyId`: all zero means no row needs that key. */
export async function sealedUnder(db: Db, keyId: string): Promise<PerStore> {
  const counts = await countSealed(db);
  return Object.fromEntries(STORE_NAMES.map((s) => [s, counts[s][keyId] ?? 0])) as PerStore;
}

/** Per store, the rows with a field sealed under any key but `keyId`. */
export async function sealedOutside(db: Db, keyId: string): Promise<PerStore & { keys: string[] }> {
  const counts = await countSealed(db);
  const keys = new Set<string>();
  const per = Object.fromEntries(
    STORE_NAMES.map((s) => {
      let n = 0;
      for (const [k, c] of Object.entries(counts[s])) {
        if (k === keyId || c === 0) continue;
        keys.add(k);
        n += c;
      }
      return [s, n];
    }),
  ) as PerStore;
  return { ...per, keys: [...keys].sort() };
}

export const describeCounts = (c: PerStore) =>
  `${c.connections} connection(s), ${c.webhookSecrets} webhook secret(s), ${c.oauthStates} OAuth state(s)`;

/**
 * Re-seals every secret under the current key — helpdesk credentials, webhook signing secrets and the PKCE
 * verifiers of OAuth flows in progress; resumable and idempotent (only fields sealed by another key are
 * touched), counted per table. Ends when no row of any table is sealed under another key.
 */
export async function rotateEncryption(
  deps: Pick<ConnectionsDeps, 'db'> & { keyring: Keyring },
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ reencrypted: number; perStore: PerStore; currentKeyId: string }> {
  const current = deps.keyring.currentKeyId;
  const before = await sealedOutside(deps.db, current);
  const total = STORE_NAMES.reduce((n, s) => n + before[s], 0);
  const perStore: PerStore = { connections: 0, webhookSecrets: 0, oauthStates: 0 };
  let done = 0;
  for (const name of STORE_NAMES) {
    const store = STORES[name];
    for (;;) {
      const n = await store.batch(deps.db, deps.keyring, options.batchSize ?? 100);
      perStore[name] += n;
      done += n;
      options.onProgress?.(Math.min(done, total), Math.max(total, done));
      if (n > 0) continue;
      const left = Object.entries(await store.count(deps.db)).some(([k, c]) => k !== current && c > 0);
      if (!left) break;
      // Rows held by in-flight transactions (a token refresh) were skipped; wait for them and try again.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { reencrypted: done, perStore, currentKeyId: current };
}
