import { describe, expect, it } from 'vitest';
import { isDue, REFRESH_MARGIN_MS } from './connections/index.ts';

const at = (ms: number) => new Date(ms);
const now = 1_800_000_000_000;

describe('isDue', () => {
  it('is due within 15 minutes of expiry for ordinary (hour-long) tokens', () => {
    const issued = at(now - 50 * 60_000);
    expect(
      isDue(
        { accessTokenExpiresAt: at(now + 14 * 60_000), tokenRefreshedAt: issued, connectedAt: issued },
        now,
      ),
    ).toBe(true);
    expect(
      isDue(
        { accessTokenExpiresAt: at(now + 16 * 60_000), tokenRefreshedAt: issued, connectedAt: issued },
        now,
      ),
    ).toBe(false);
  });

  it('uses half the lifetime for tokens shorter than twice the margin, so a fresh one is never due', () => {
    const lifetime = 10 * 60_000;
    expect(lifetime).toBeLessThan(REFRESH_MARGIN_MS);
    const fresh = {
      accessTokenExpiresAt: at(now + lifetime),
      tokenRefreshedAt: at(now),
      connectedAt: at(now - 1),
    };
    expect(isDue(fresh, now)).toBe(false);
    expect(isDue(fresh, now + lifetime / 2 + 1)).toBe(true);
  });

  it('never refreshes tokens without an expiry', () => {
    expect(isDue({ accessTokenExpiresAt: null, tokenRefreshedAt: null, connectedAt: at(now) }, now)).toBe(
      false,
    );
  });
});
