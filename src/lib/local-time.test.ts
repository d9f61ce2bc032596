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
    // A spreadsheet's other forms: a two-digit year (with or without a time), slashes year first.
    expect(parseTimestamp('30/11/26 10:00', 'UTC')).toBe('day_first');
    expect(parseTimestamp('30/11/26', 'UTC')).toBe('day_first');
    expect(parseTimestamp('2026/11/30 10:00', 'UTC')).toBe('day_first');
    // An hour without its zero is a row's bad value, not a re-saved file (a hand-made template file may have it).
    expect(parseTimestamp('2026-11-30 9:05', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026.11.30 10:00', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-11-31 09:15', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-13-01 09:15', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-11-18 25:00', 'UTC')).toBe('invalid');
    expect(parseTimestamp('yesterday', 'UTC')).toBe('invalid');
    expect(parseTimestamp('2026-11-18T15:30:07+01', null)).toBe('invalid');
  });

  it('reads a time a DST change makes twice as its earlier instant, and one it skips as its later', () => {
    // London: 01:30 on 25 October 2026 happens at 00:30Z (BST) and 01:30Z (GMT); on 29 March 01:30 never does,
    // and reads as 01:30Z (02:30 BST: the clock moved on by the hour it skipped). New York: the same rule.
    expect(parseTimestamp('2026-10-25 01:30', 'Europe/London')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(parseTimestamp('2026-03-29 01:30', 'Europe/London')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(parseTimestamp('2026-03-08 02:30', 'America/New_York')).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it('converts every local time of a year as the wall clock reads, in zones with odd transitions', () => {
    // Independent of the parser's offset lookups: Intl's wall clock of candidate instants.
    const formats = new Map<string, Intl.DateTimeFormat>();
    const wall = (timezone: string, t: number) => {
      let f = formats.get(timezone);
      if (!f) {
        f = new Intl.DateTimeFormat('en-US', {
          timeZone: timezone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
        });
        formats.set(timezone, f);
      }
      const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
      return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute);
    };
    const REACH = 15 * 3_600_000;
    const offsetNear = (timezone: string, t: number) => wall(timezone, t) - t;
    // Every instant whose wall clock reads `local` (offsets are whole quarter hours); none in a gap.
    const instants = (timezone: string, local: number) => {
      const found: number[] = [];
      for (let o = -14 * 60; o <= 14 * 60; o += 15) {
        const t = local - o * 60_000;
        if (wall(timezone, t) === local) found.push(t);
      }
      return found;
    };
    const steady = new Map<string, number | null>();
    const expected = (timezone: string, local: number) => {
      const day = local - (local % 86_400_000);
      const key = `${timezone} ${day}`;
      if (!steady.has(key)) {
        const before = offsetNear(timezone, day - REACH);
        steady.set(key, before === offsetNear(timezone, day + 86_400_000 + REACH) ? before : null);
      }
      const before = steady.get(key);
      if (typeof before === 'number') return local - before;
      const found = instants(timezone, local);
      if (found.length > 0) return Math.min(...found);
      return local - Math.min(offsetNear(timezone, local - REACH), offsetNear(timezone, local + REACH));
    };
    const text = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Havana',
      'Asia/Kolkata',
    ];
    const wrong: [string, string, number | string, number][] = [];
    for (const timezone of zones) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 1_800_000) {
        for (const local of [t, t + 29 * 60_000]) {
          const read = parseTimestamp(text(local), timezone);
          const want = expected(timezone, local);
          if (read !== want) wrong.push([timezone, text(local), read, want]);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads every date of the calendar as Date.UTC does, leap days and centuries included', () => {
    const wrong: string[] = [];
    // Every day from 1600 to 2400, at a time of day that walks through the hours, minutes and seconds.
    for (let t = Date.UTC(1600, 0, 1), i = 0; t < Date.UTC(2401, 0, 1); t += 86_400_000 + 1_001, i++) {
      const written = new Date(t).toISOString();
      const spaced = written.slice(0, 23).replace('T', ' ');
      if (parseTimestamp(written, null) !== t) wrong.push(written);
      // Local to a timezone (each new day costs an Intl lookup): every 25th day.
      if (i % 25 === 0 && parseTimestamp(spaced, 'UTC') !== t) wrong.push(spaced);
    }
    // Two-digit years read as Date.UTC reads them (1900–1999).
    expect(parseTimestamp('0026-03-01 00:00', 'UTC')).toBe(Date.UTC(26, 2, 1));
    expect(wrong).toEqual([]);
  });
});
