import { describe, expect, it } from 'vitest';
import { canonicalTimezone, completedWeeks, isValidTimezone } from './weeks.ts';

describe('completedWeeks', () => {
  it('returns Monday-to-Monday weeks ending at or before now, oldest first (UTC)', () => {
    const now = new Date('2026-11-22T10:00:00Z'); // a Sunday
    const weeks = completedWeeks(now, 'UTC', 2);
    expect(weeks.map((w) => [w.label, w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-11-02', '2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
      ['2026-11-09', '2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z'],
    ]);
  });

  it('uses local midnights, across a DST change', () => {
    const now = new Date('2026-11-04T12:00:00Z');
    const [week] = completedWeeks(now, 'America/New_York', 1);
    // Mon 26 Oct 00:00 EDT (UTC-4) to Mon 2 Nov 00:00 EST (UTC-5): 169 hours.
    expect(week?.start.toISOString()).toBe('2026-10-26T04:00:00.000Z');
    expect(week?.end.toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(week?.label).toBe('2026-10-26');
  });

  it('knows valid zones', () => {
    expect(isValidTimezone('Europe/London')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });
});

describe('canonicalTimezone', () => {
  it('spells a timezone as the tz database does, keeping a name already spelt so', () => {
    const given = [
      'europe/berlin',
      'est',
      'utc',
      'America/New_York',
      'Asia/Kolkata',
      'america/port-au-prince',
      // Links ICU lists under their target: its name when written in lower case.
      'asia/kolkata',
      'us/eastern',
    ];
    expect(given.map(canonicalTimezone)).toEqual([
      'Europe/Berlin',
      'EST',
      'UTC',
      'America/New_York',
      'Asia/Kolkata',
      'America/Port-au-Prince',
      'Asia/Calcutta',
      'America/New_York',
    ]);
  });
});
