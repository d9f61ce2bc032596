import { describe, expect, it } from 'vitest';
import { Pacer, retryAfterMs, sanitizeDetail } from './http.ts';

const now = 1_800_000_000_000;

describe('retryAfterMs', () => {
  it('reads Retry-After seconds and HTTP dates, then reset headers', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': String((now + 5000) / 1000) }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': new Date(now + 4000).toISOString() }), now)).toBe(
      4000,
    );
    expect(retryAfterMs(new Headers(), now)).toBe(60_000);
  });
});

describe('Pacer', () => {
  it('waits for the reset once the budget is spent, and only then', async () => {
    const pacer = new Pacer();
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    pacer.note(
      new Headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String((now + 9000) / 1000) }),
      now,
    );
    await pacer.wait(sleep, now);
    expect(slept).toEqual([]);
    pacer.note(new Headers({ 'x-rate-limit-remaining': '0', 'ratelimit-reset': '4' }), now);
    await pacer.wait(sleep, now);
    expect(slept).toEqual([4000]);
    expect(pacer.waits).toBe(1);
  });
});

describe('sanitizeDetail', () => {
  it('removes the credential and bearer-looking strings and caps the length', () => {
    expect(sanitizeDetail('token abc123secret rejected', ['abc123secret'])).toBe('token [redacted] rejected');
    expect(sanitizeDetail('Authorization: Bearer eyJhbGciOiJI.payload.sig')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(sanitizeDetail('x'.repeat(500))).toHaveLength(301);
  });
});
