import { describe, expect, it } from 'vitest';
import { parseWallClock, wallClock } from './wall-clock.ts';

const NY = 'America/New_York';

describe('wallClock', () => {
  it('writes local time across the DST changes and truncates what the pattern leaves out', () => {
    const at = (iso: string, pattern = 'yyyy-MM-dd HH:mm:ss') => wallClock(Date.parse(iso), NY, pattern);
    expect(at('2026-03-08T06:59:59Z')).toBe('2026-03-08 01:59:59');
    expect(at('2026-03-08T07:00:00Z')).toBe('2026-03-08 03:00:00');
    expect(at('2026-11-01T05:30:00Z')).toBe('2026-11-01 01:30:00');
    expect(at('2026-11-01T06:30:00Z')).toBe('2026-11-01 01:30:00');
    expect(at('2026-11-18T15:29:59Z', 'yyyy-MM-dd HH:mm')).toBe('2026-11-18 10:29');
  });

  it('reads text back as the earlier instant of a repeated hour', () => {
    expect(parseWallClock('2026-11-01 01:30', NY)).toBe(Date.parse('2026-11-01T05:30:00Z'));
    expect(parseWallClock('2026-11-01 01:30:00', NY)).toBe(Date.parse('2026-11-01T05:30:00Z'));
    expect(parseWallClock('2026-07-01 12:00:05', 'Europe/London')).toBe(Date.parse('2026-07-01T11:00:05Z'));
    expect(parseWallClock('01-07-2026 12:00', NY)).toBeNull();
  });
});
