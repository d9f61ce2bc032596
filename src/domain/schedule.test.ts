import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './metrics.ts';
import { slotStart } from './schedule.ts';

const HOUR = 3_600_000;

describe('slotStart', () => {
  it('gives every instant of a slot the same start, and the next slot one interval later', () => {
    const t0 = Date.parse('2026-11-22T10:00:00Z');
    const s = slotStart('con_a', new Date(t0), 60);
    expect(s.getTime()).toBeLessThanOrEqual(t0);
    expect(t0 - s.getTime()).toBeLessThan(HOUR);
    expect(slotStart('con_a', new Date(s.getTime() + HOUR - 1), 60)).toEqual(s);
    expect(slotStart('con_a', new Date(s.getTime() + HOUR), 60).getTime()).toBe(s.getTime() + HOUR);
    expect(slotStart('con_a', new Date(s.getTime() - 1), 60).getTime()).toBe(s.getTime() - HOUR);
  });

  it('spreads connections over the hour instead of starting them all at :00', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const minutes = new Set(
      Array.from({ length: 200 }, (_, i) => new Date(slotStart(`con_${i}`, now, 60)).getUTCMinutes()),
    );
    expect(minutes.size).toBeGreaterThan(40);
  });
});

describe('retryDelayMs (retry policy by error code)', () => {
  const policy = { baseMs: 1000, maxMs: 10_000, maxAttempts: 5 };

  it('waits for the reset the helpdesk announced on rate_limited, plus at most 10 % jitter', () => {
    expect(retryDelayMs({ code: 'rate_limited', retryAfterMs: 60_000 }, 1, policy, () => 0)).toBe(60_000);
    expect(retryDelayMs({ code: 'rate_limited', retryAfterMs: 60_000 }, 1, policy, () => 1)).toBe(66_000);
  });

  it('backs off exponentially with jitter on upstream_unavailable, capped', () => {
    const lo = (a: number) => retryDelayMs({ code: 'upstream_unavailable' }, a, policy, () => 0);
    const hi = (a: number) => retryDelayMs({ code: 'upstream_unavailable' }, a, policy, () => 1);
    expect([lo(1), hi(1)]).toEqual([500, 1000]);
    expect([lo(2), hi(2)]).toEqual([1000, 2000]);
    expect([lo(3), hi(3)]).toEqual([2000, 4000]);
    const capped = { ...policy, maxAttempts: 10 };
    expect(retryDelayMs({ code: 'upstream_unavailable' }, 8, capped, () => 1)).toBe(10_000);
  });

  it('never retries unauthorized or unexpected_response, nor past the last attempt', () => {
    expect(retryDelayMs({ code: 'unauthorized' }, 1, policy)).toBeNull();
    expect(retryDelayMs({ code: 'unexpected_response' }, 1, policy)).toBeNull();
    expect(retryDelayMs({ code: 'not_found' }, 1, policy)).toBeNull();
    expect(retryDelayMs({ code: 'upstream_unavailable' }, 5, policy)).toBeNull();
  });
});
