import { tzOffset } from '@date-fns/tz';

/*
 * Timestamps as helpdesk exports write them: `YYYY-MM-DD HH:MM`, seconds and fractions optional, a `T` or a
 * space between date and time, and an offset (`Z`, `+01:00`, `+0100`) or none — then local to a timezone the
 * caller knows. Parsed by hand: an import reads several per row, a million rows at a time, and
 * `new Date(string)` neither takes a timezone nor rejects day-first dates.
 */

export type TimestampProblem =
  /** No offset, and no timezone to read it in. */
  | 'no_offset'
  /** A spreadsheet's own form, as a re-save writes it: day or month first (`30-11-2026`, `30/11/26`), slashes (`2026/11/30`). */
  | 'day_first'
  | 'invalid';

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

function number(s: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const d = digit(s, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** UTC offsets span −12 h to +14 h: a local day's instants, and every instant its conversion looks at, lie here. */
const REACH = 15 * HOUR;

/**
 * Offsets of a timezone by local day, and by local minute on the days it changes, so a million timestamps cost a
 * few hundred Intl lookups (each is ~10 µs). A day counts as unchanging when the offset is the same 15 h before
 * it starts, at its middle and 15 h after it ends: no zone of the tz database changes its offset twice within
 * those 54 hours, so then every minute of it converts with that one offset, and on a day it changes, one change
 * is all there is within 15 h of any of its times.
 */
class OffsetCache {
  private readonly byMinute = new Map<number, number>();
  /** The offset of a local day that has one; NaN for a day the offset changes on (see byMinute). */
  private readonly byDay = new Map<number, number>();
  constructor(readonly timezone: string) {}

  private offsetAt(instant: number): number {
    return tzOffset(this.timezone, new Date(instant)) * 60_000;
  }

  /**
   * The UTC instant of a local wall-clock time; in a DST overlap (a time that happens twice) the earlier one, in a
   * gap (a time that never happens) the later one: the wall clock moved on by the gap.
   */
  toUtc(localAsUtc: number): number {
    const day = Math.floor(localAsUtc / DAY);
    let offset = this.byDay.get(day);
    if (offset === undefined) {
      const start = day * DAY;
      const before = this.offsetAt(start - REACH);
      const same = before === this.offsetAt(start + DAY / 2) && before === this.offsetAt(start + DAY + REACH);
      this.byDay.set(day, (offset = same ? before : NaN));
    }
    if (!Number.isNaN(offset)) return localAsUtc - offset;
    const minute = Math.floor(localAsUtc / MINUTE);
    offset = this.byMinute.get(minute);
    if (offset === undefined) {
      // The offsets before and after the one change near this time; each reading of the wall clock is an instant
      // when the offset in force there is the one it was read with.
      const early = this.offsetAt(localAsUtc - REACH);
      const late = this.offsetAt(localAsUtc + REACH);
      const withEarly = this.offsetAt(localAsUtc - early) === early;
      const withLate = this.offsetAt(localAsUtc - late) === late;
      offset =
        withEarly && withLate
          ? Math.max(early, late) // twice: the earlier instant
          : withEarly
            ? early
            : withLate
              ? late
              : Math.min(early, late); // never: the later instant
      this.byMinute.set(minute, offset);
    }
    return localAsUtc - offset;
  }
}

const caches = new Map<string, OffsetCache>();
/** The last timezone asked for: an import asks for one a million times over. */
let last: OffsetCache | undefined;
const cacheFor = (timezone: string) => {
  if (last?.timezone === timezone) return last;
  let c = caches.get(timezone);
  if (c === undefined) caches.set(timezone, (c = new OffsetCache(timezone)));
  return (last = c);
};

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar: what `Date.UTC` computes, as arithmetic
 * rather than a call into V8's runtime, three times a row (days_from_civil,
 * http://howardhinnant.github.io/date_algorithms.html).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days in a month of a year. */
function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Epoch ms of a timestamp, or what is wrong with it. `timezone` reads values that carry no offset. */
export function parseTimestamp(text: string, timezone: string | null): number | TimestampProblem {
  const s = text.trim();
  const n = s.length;
  // `30-11-2026…`, `30/11/26…`, `11/30/2026`: the day or month first, the year last; `2026/11/30`: slashes.
  if (n < 10 || s.charCodeAt(4) !== 45) {
    return /^(\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2})|\d{4}\/\d{1,2}\/\d{1,2})(\D|$)/.test(s)
      ? 'day_first'
      : 'invalid';
  }
  const year = number(s, 0, 4);
  const month = s.charCodeAt(4) === 45 ? number(s, 5, 2) : -1;
  const day = s.charCodeAt(7) === 45 ? number(s, 8, 2) : -1;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return 'invalid';
  let i = 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 32 && sep !== 84 && sep !== 116) return 'invalid';
    hour = number(s, i + 1, 2);
    minute = s.charCodeAt(i + 3) === 58 ? number(s, i + 4, 2) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return 'invalid';
    i += 6;
    if (i < n && s.charCodeAt(i) === 58) {
      second = number(s, i + 1, 2);
      if (second < 0 || second > 59) return 'invalid';
      i += 3;
      if (i < n && s.charCodeAt(i) === 46) {
        let j = i + 1;
        let scale = 100;
        while (j < n && digit(s, j) >= 0) {
          ms += digit(s, j) * scale;
          scale /= 10;
          j++;
        }
        if (j === i + 1) return 'invalid';
        ms = Math.floor(ms);
        i = j;
      }
    }
  }
  // As Date.UTC reads a year: 0–99 as 1900–1999.
  const fullYear = year < 100 ? 1900 + year : year;
  if (day > daysIn(fullYear, month)) return 'invalid';
  const local =
    daysFromCivil(fullYear, month, day) * DAY + hour * HOUR + minute * MINUTE + second * 1000 + ms;
  if (i === n) return timezone === null ? 'no_offset' : cacheFor(timezone).toUtc(local);
  const sign = s.charCodeAt(i);
  if ((sign === 90 || sign === 122) && i + 1 === n) return local;
  if (sign !== 43 && sign !== 45) return 'invalid';
  const oh = number(s, i + 1, 2);
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
  const om = number(s, i + 3 + colon, 2);
  if (oh < 0 || om < 0 || i + 5 + colon !== n) return 'invalid';
  const offset = (oh * 60 + om) * 60_000;
  return sign === 43 ? local - offset : local + offset;
}
