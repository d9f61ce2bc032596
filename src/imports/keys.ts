/*
 * Ticket ids, reduced to 64-bit seeded hashes: the import's de-duplication set and the ledger's keys. Not a
 * cryptographic hash (a million rows must hash in milliseconds); the seed is per workspace, so equal ids in two
 * workspaces do not share a key.
 */

/** Two independent 32-bit hashes of the string (cyrb53's mixing, both halves kept), never both zero. */
export function hashKey(id: string, seed: number): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, (h2 | 1) >>> 0];
}

/**
 * A set of 64-bit keys in typed arrays (open addressing, linear probing, tables at most half full): 16–32 bytes a
 * key. Split by the top bits of the key into 64 tables that grow on their own, so growing copies 1/64 of the set,
 * never all of it beside its doubled copy (a million keys: 16 MB, not 16 MB plus 8 MB for a moment).
 */
export class KeySet {
  private readonly tables = Array.from({ length: 64 }, () => new KeyTable());
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Adds a key; false when it was already there. */
  add(hi: number, lo: number): boolean {
    if (!(this.tables[hi >>> 26] as KeyTable).add(hi, lo)) return false;
    this.used++;
    return true;
  }

  has(hi: number, lo: number): boolean {
    return (this.tables[hi >>> 26] as KeyTable).has(hi, lo);
  }
}

class KeyTable {
  private slots = new Uint32Array(2 * 64);
  private used = 0;

  private mask(): number {
    return this.slots.length / 2 - 1;
  }

  add(hi: number, lo: number): boolean {
    if ((this.used + 1) * 2 > this.slots.length / 2) this.grow();
    return this.insert(this.slots, this.mask(), hi, lo);
  }

  has(hi: number, lo: number): boolean {
    const slots = this.slots;
    const mask = this.mask();
    for (let i = (hi ^ lo) & mask; ; i = (i + 1) & mask) {
      const h = slots[2 * i] as number;
      const l = slots[2 * i + 1] as number;
      if (l === 0) return false;
      if (h === hi && l === lo) return true;
    }
  }

  private insert(slots: Uint32Array, mask: number, hi: number, lo: number): boolean {
    for (let i = (hi ^ lo) & mask; ; i = (i + 1) & mask) {
      const l = slots[2 * i + 1] as number;
      if (l === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        if (slots === this.slots) this.used++;
        return true;
      }
      if (l === lo && slots[2 * i] === hi) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    const next = new Uint32Array(old.length * 2);
    const mask = next.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const lo = old[i + 1] as number;
      if (lo !== 0) this.insert(next, mask, old[i] as number, lo);
    }
    this.slots = next;
  }
}
