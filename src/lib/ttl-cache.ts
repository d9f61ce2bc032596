/**
 * A small in-process cache whose entries live `ttlMs` from the moment their load *started*, so an entry never
 * reflects the database as of longer ago than `ttlMs`: a change committed at time t is seen by every read after
 * t + ttlMs, however slow the load that filled the entry was. Concurrent misses of one key share one load. Only
 * defined values are kept (nothing negative is cached), and at most `maxEntries` (the oldest go first).
 * `delete` and a change of `epoch()` (see access-epoch.ts) also drop loads in flight, so a caller arriving after
 * an invalidation never joins or keeps a load that began before it.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number; epoch: number }>();
  readonly #loading = new Map<K, { promise: Promise<V | undefined>; epoch: number }>();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries: number;
      /** Entries and loads from another epoch are void. */
      epoch?: () => number;
      now?: () => number;
    },
  ) {}

  #now(): number {
    return this.options.now?.() ?? performance.now();
  }

  #epoch(): number {
    return this.options.epoch?.() ?? 0;
  }

  /** The fresh value of `key`, if any. */
  peek(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt > this.#now() && hit.epoch === this.#epoch()) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }

  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const epoch = this.#epoch();
    const inFlight = this.#loading.get(key);
    if (inFlight?.epoch === epoch) return inFlight.promise;
    const startedAt = this.#now();
    const promise: Promise<V | undefined> = load().then(
      (value) => {
        // Invalidated meanwhile (the load is no longer this key's, or the epoch moved): answer, keep nothing.
        if (this.#loading.get(key)?.promise !== promise) return value;
        this.#loading.delete(key);
        if (value !== undefined && epoch === this.#epoch()) this.#set(key, value, startedAt, epoch);
        return value;
      },
      (e: unknown) => {
        if (this.#loading.get(key)?.promise === promise) this.#loading.delete(key);
        throw e;
      },
    );
    this.#loading.set(key, { promise, epoch });
    return promise;
  }

  delete(key: K): void {
    this.#entries.delete(key);
    this.#loading.delete(key);
  }

  #set(key: K, value: V, startedAt: number, epoch: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: startedAt + this.options.ttlMs, epoch });
    if (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
