import { tzOffset } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './local-time.ts';

describe('parseTimestamp', () => {
  it('reads the forms exports write, with or without seconds, fractions and offsets', () => {
    expect(parseTimestamp('2026-11-18 15:30', 'UTC')).toBe(Date.parse('2026-11-18T15:30:00Z'));
    expect(parseTimestamp('2026-11-18 15:30:07', 'UTC')).toBe(Date.parse('2026-11-18T15:30:07Z'));
    expect(parseTimestamp('2026-11-18T15:30:07.250Z', null)).toBe(Date.parse('2026-11-18T15:30:07.250Z'));
    expect(parseTimestamp('2026-11-18T15:30:07+01:00', null)).toBe(Date.parse('2026-11-18T14:30:07Z'));
    expect(parseTimestamp('2026-11-18T15:30:07-0500', null)).toBe(Date.parse('2026-11-18T20:30:07Z'));
    expect(parseTimestamp('2026-11-18', 'UTC')).toBe(Date.parse('2026-11-18T00:00:00Z'));
    expect(parseTimestamp('  2026-11-18 15:30  ', 'UTC')).toBe(Date.parse('2026-11-18T15:30:00Z'));
  });

  it('reads local times in their timezone, the earlier instant in a DST fall-back hour', () => {
    expect(parseTimestamp('2026-07-01 12:00', 'Europe/London')).toBe(Date.parse('2026-07-01T11:00:00Z'));
    expect(parseTimestamp('2026-01-01 12:00', 'Europe/London')).toBe(Date.parse('2026-01-01T12:00:00Z'));
    // New York falls back on 1 November 2026: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(parseTimestamp('2026-11-01 01:30', 'America/New_York')).toBe(Date.parse('2026-11-01T05:30:00Z'));
    expect(parseTimestamp('2026-11-01 02:30', 'America/New_York')).toBe(Date.parse('2026-11-01T07:30:00Z'));
  });

  it('refuses to guess: no offset and no timezone, day-first dates, impossible dates', () => {
    expect(parseTimestamp('2026-11-18 15:30', null)).toBe('no_offset');
    expect(parseTimestamp('30-11-2026 15:30', 'UTC')).toBe('day_first');
    expect(parseTimestamp('11/30/2026', 'UTC')).toBe('day_first');
    expect(parseTimestamp('2026-11-31 09:15', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-13-01 09:15', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-11-18 25:00', 'UTC')).toBe('invalid');
    expect(parseTimestamp('yesterday', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-11-18T15:30:07+01', null)).toBe('invalid');
  });

  it('converts every local hour as a lookup per hour would, in zones with odd transitions', () => {
    // The per-hour conversion the day cache stands in for: the offset found at the hour's start, for all of it.
    const perHour = (timezone: string, local: number) => {
      const at = (t: number) => tzOffset(timezone, new Date(t)) * 60_000;
      const hour = local - (local % 3_600_000);
      let offset = at(hour - at(hour));
      const again = at(hour - offset);
      if (again !== offset) offset = Math.max(offset, again);
      return local - offset;
    };
    const text = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Havana',
      'Asia/Kolkata',
    ];
    for (const timezone of zones) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
        for (const local of [t, t + 59 * 60_000]) {
          expect([timezone, text(local), parseTimestamp(text(local), timezone)]).toEqual([
            timezone,
            text(local),
            perHour(timezone, local),
          ]);
        }
      }
    }
  });
});
