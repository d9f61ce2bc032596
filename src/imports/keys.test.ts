import { describe, expect, it } from 'vitest';
import { hashKey, KeySet } from './keys.ts';

describe('ticket keys', () => {
  it('hash the same id the same way, differ by seed, and are never zero', () => {
    expect(hashKey('12345', 7)).toEqual(hashKey('12345', 7));
    expect(hashKey('12345', 7)).not.toEqual(hashKey('12345', 8));
    expect(hashKey('12345', 7)).not.toEqual(hashKey('12346', 7));
    for (let i = 0; i < 1000; i++) expect(hashKey(String(i), 0)[1]).not.toBe(0);
  });

  it('keep every key once as the set grows, with no false positives on 200,000 ids', () => {
    const set = new KeySet();
    for (let i = 0; i < 200_000; i++) {
      const [hi, lo] = hashKey(`t${i}`, 1);
      expect(set.add(hi, lo)).toBe(true);
    }
    expect(set.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) {
      const [hi, lo] = hashKey(`t${i}`, 1);
      expect(set.add(hi, lo)).toBe(false);
      expect(set.has(hi, lo)).toBe(true);
    }
    let absent = 0;
    for (let i = 200_000; i < 250_000; i++) {
      const [hi, lo] = hashKey(`t${i}`, 1);
      if (!set.has(hi, lo)) absent++;
    }
    expect(absent).toBe(50_000);
  });
});
