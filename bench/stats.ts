/** What every bench reads from its environment and reports: counts, and medians of rounds. */

/** A whole-number setting from the environment (`fallback` when unset), refused below `min`. */
export function wholeNumber(name: string, fallback: number, min = 0): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return v;
}

/** The middle value (of an even count, the mean of the two in the middle); NaN of none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
