import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

function clockedCache(options: { epoch?: () => number; maxEntries?: number } = {}) {
  let now = 0;
  const cache = new TtlCache<string, number>({
    ttlMs: 500,
    maxEntries: options.maxEntries ?? 100,
    now: () => now,
    ...(options.epoch ? { epoch: options.epoch } : {}),
  });
  return { cache, advance: (ms: number) => (now += ms) };
}

/** A load the test finishes by hand. */
function deferred() {
  let resolve: (v: number | undefined) => void = () => undefined;
  const promise = new Promise<number | undefined>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TtlCache', () => {
  it('keeps a value ttl from when its load started, however long the load took', async () => {
    const { cache, advance } = clockedCache();
    const load = deferred();
    const got = cache.get('k', () => load.promise);
    advance(400);
    load.resolve(1);
    expect(await got).toBe(1);
    advance(99);
    expect(cache.peek('k')).toBe(1);
    advance(1);
    expect(cache.peek('k')).toBeUndefined();
  });

  it('shares one load among concurrent misses and keeps nothing undefined', async () => {
    const { cache } = clockedCache();
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([
      1, 1, 1,
    ]);
    expect(loads).toBe(1);
    expect(await cache.get('none', () => Promise.resolve(undefined))).toBeUndefined();
    expect(await cache.get('none', () => Promise.resolve(7))).toBe(7);
  });

  it('forgets a deleted key, and a load in flight when it was deleted is neither joined nor kept', async () => {
    const { cache } = clockedCache();
    const stale = deferred();
    const first = cache.get('k', () => stale.promise);
    cache.delete('k');
    const fresh = cache.get('k', () => Promise.resolve(2));
    stale.resolve(1);
    expect(await first).toBe(1);
    expect(await fresh).toBe(2);
    expect(cache.peek('k')).toBe(2);
  });

  it('drops every entry and load of an earlier epoch', async () => {
    let epoch = 0;
    const { cache } = clockedCache({ epoch: () => epoch });
    await cache.get('a', () => Promise.resolve(1));
    const inFlight = deferred();
    const pending = cache.get('b', () => inFlight.promise);
    epoch++;
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('b', () => Promise.resolve(3))).toBe(3);
    inFlight.resolve(2);
    expect(await pending).toBe(2);
    expect(cache.peek('b')).toBe(3);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const { cache } = clockedCache({ maxEntries: 2 });
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await cache.get(k, () => Promise.resolve(v));
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([undefined, 2, 3]);
  });
});
