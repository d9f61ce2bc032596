/**
 * A small seeded PRNG for reproducible datasets (Math.random is not seedable). sfc32 (Chris Doty-Humphrey's
 * "Small Fast Counting" generator, PractRand-clean, period ≥ 2^32) seeded through splitmix32 so that nearby
 * seeds (1, 2, 3 …) give unrelated streams. Reference: https://pracrand.sourceforge.net/RNG_engines.txt
 *
 * Derived draws (normal, log-normal) use Math.log/Math.cos/Math.sqrt; V8 implements the first two with its
 * fdlibm port, so a seed gives the same dataset on every platform Node runs on.
 */
export interface Random {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Log-normal with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index drawn from cumulative weights (non-decreasing, last element = total). */
  pickCumulative(cumulative: ArrayLike<number>): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();

  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // Discard the first outputs: sfc32's state needs a few rounds to mix (the reference does 12).
  for (let i = 0; i < 12; i++) next();

  const normal = (): number => {
    const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    pickCumulative(cumulative) {
      const total = cumulative[cumulative.length - 1];
      if (total === undefined || total <= 0) throw new RangeError('pickCumulative needs a positive total');
      const target = next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) > target) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
