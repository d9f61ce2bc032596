import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { Db } from '../domain/database.ts';
import { accessEpoch } from '../lib/access-epoch.ts';
import { dataEpoch } from '../lib/data-epoch.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import type { AppEnv } from './env.ts';

/**
 * The hot reads (`/me`, the connection list, current metrics, weekly history) answer from memory for this long,
 * counted from when their load started: the same bound as authentication's (ARCHITECTURE.md, "Hot reads").
 */
export const READ_CACHE_TTL_MS = 500;
/** At most this many answers are kept (the largest, a 52-week history, is ~200 KB). */
const MAX_ENTRIES = 500;

const caches = new WeakMap<Db, TtlCache<string, Uint8Array<ArrayBuffer>>>();
// Either counter moving voids every answer: a write through this process's pools, or a change of who may read.
const epoch = () => dataEpoch() + accessEpoch();
const utf8 = new TextEncoder();

function cacheOf(db: Db): TtlCache<string, Uint8Array<ArrayBuffer>> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new TtlCache({ ttlMs: READ_CACHE_TTL_MS, maxEntries: MAX_ENTRIES, epoch });
    caches.set(db, cache);
  }
  return cache;
}

/**
 * A read's 200 answer, serialised once and kept under `key` (which must name everything the answer depends on:
 * the workspace, the caller where it shows, the query). Concurrent misses share one load. Any write made by
 * this process voids every kept answer at once, so a client reads its own write; a write made by another
 * process is seen within `READ_CACHE_TTL_MS`.
 */
export async function cachedJson<T extends object>(
  c: Context<AppEnv>,
  key: string,
  load: () => Promise<T>,
): Promise<Response & TypedResponse<JSONParsed<T>, 200, 'json'>> {
  // Kept as UTF-8 bytes: a string would be encoded anew for the socket on every answer (a 52-week history is
  // ~200 KB of garbage per request otherwise).
  const bytes = (await cacheOf(c.get('deps').db).get(key, async () =>
    utf8.encode(JSON.stringify(await load())),
  )) as Uint8Array<ArrayBuffer>;
  // A new header record each time: @hono/node-server adds Content-Length to the one it is given.
  return c.body(bytes, 200, { 'content-type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<T>, 200, 'json'>;
}
