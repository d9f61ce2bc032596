import { parseTimestamp } from '../lib/local-time.ts';
import { ImportFileError, type Header, type RowProblem } from './imports.ts';

/*
 * Reading one export row's values, the same way for every format: a bad value rejects the row with where and
 * why (never the value); a value only a spreadsheet re-save produces rejects the whole file, because every row
 * of it is damaged the same way.
 */

/** Thrown by a value reader; the import pipeline turns it into the row's RowProblem. */
export class RowRejected extends Error {
  constructor(readonly problem: Omit<RowProblem, 'line'>) {
    super(problem.reason);
  }
}

const RESAVED =
  'was opened and saved again by a spreadsheet, which rewrites ids like 1.03006E+13 and dates in its own form ' +
  '(30/11/2026, 2026/11/30): ' +
  'export the file again from the helpdesk and upload it without opening it';

/** A column by its normalised header name: its index, or an ImportFileError naming the missing column. */
export function column(header: Header, name: string, format: string): number {
  const i = header.index(name);
  if (i < 0) {
    throw new ImportFileError(
      'unknown_format',
      `this ${format} export has no "${name}" column; export it again with that column included`,
    );
  }
  return i;
}

const classOf = (v: string): RowProblem['valueClass'] =>
  v === ''
    ? 'empty'
    : /^[-+]?\d+([.,]\d+)?$/.test(v)
      ? 'number'
      : /\d{1,4}[-/.:]\d/.test(v)
        ? 'date'
        : 'text';

/** Whether `v[from, to)` is 1–`max` ASCII digits: what `/^\d{1,max}$/` tests, without a regex call per value. */
function digits(v: string, from: number, to: number, max: number): boolean {
  if (to <= from || to - from > max) return false;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export class RowValues {
  fields: readonly string[] = [];
  /** oneOf's answers by value as written, per word list: a column of statuses has a handful of spellings. */
  private readonly known = new Map<object, Map<string, unknown>>();
  constructor(
    private readonly header: Header,
    private readonly format: string,
  ) {}

  private name(i: number): string {
    return this.header.names[i]?.trim() ?? `column ${i + 1}`;
  }

  private reject(i: number, reason: string): never {
    throw new RowRejected({ column: this.name(i), valueClass: classOf(this.raw(i)), reason });
  }

  raw(i: number): string {
    return (this.fields[i] ?? '').trim();
  }

  /** A value that must not be empty. */
  required(i: number): string {
    const v = this.raw(i);
    if (v === '') this.reject(i, 'is empty');
    return v;
  }

  /** A ticket id: digits, or any text; never a spreadsheet's scientific notation. */
  id(i: number): string {
    const v = this.required(i);
    // 1.03006E+13, or 1,03006E+13 where the spreadsheet writes a decimal comma.
    if (v.includes('+') && /^\d+([.,]\d+)?e\+\d+$/i.test(v)) {
      throw new ImportFileError('spreadsheet_resave', `the ${this.format} export ${RESAVED}`);
    }
    if (v.length > 200) this.reject(i, 'is longer than 200 characters');
    return v;
  }

  /** Epoch ms; null when empty and allowed. `timezone` reads values without an offset. */
  timestamp(i: number, timezone: string | null, optional = false): number | null {
    const v = this.raw(i);
    if (v === '') {
      if (optional) return null;
      this.reject(i, 'is empty');
    }
    const t = parseTimestamp(v, timezone);
    if (typeof t === 'number') return t;
    if (t === 'day_first')
      throw new ImportFileError('spreadsheet_resave', `the ${this.format} export ${RESAVED}`);
    if (t === 'no_offset') {
      throw new ImportFileError(
        'missing_timezone',
        `"${this.name(i)}" has times without a UTC offset and the file does not say its timezone: ` +
          'give the timezone the export was made in (timezone=Europe/London in the API, --timezone in the CLI, ' +
          '"Timezone of the file" in the dashboard)',
      );
    }
    return this.reject(i, 'is not a date and time like 2026-11-18 15:30');
  }

  /** A whole number ≥ 0; null when empty and allowed. */
  count(i: number, optional = false): number | null {
    const v = this.raw(i);
    if (v === '') {
      if (optional) return null;
      this.reject(i, 'is empty');
    }
    if (!digits(v, 0, v.length, 15)) this.reject(i, 'is not a whole number');
    return Number(v);
  }

  /** A number ≥ 0 (seconds, minutes); null when empty. */
  duration(i: number): number | null {
    const v = this.raw(i);
    if (v === '') return null;
    // Up to 15 digits, then a point and up to 6 more.
    const point = v.indexOf('.');
    const whole = point < 0 ? v.length : point;
    if (!digits(v, 0, whole, 15) || (point >= 0 && !digits(v, point + 1, v.length, 6))) {
      this.reject(i, 'is not a number of seconds or minutes');
    }
    return Number(v);
  }

  /** `true`/`false` (also `1`/`0`, `yes`/`no`); null when empty. */
  flag(i: number): boolean | null {
    const v = this.raw(i).toLowerCase();
    if (v === '') return null;
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    return this.reject(i, 'is not true or false');
  }

  /** One of the given words (lower-cased), or a rejection listing them. */
  oneOf<T>(i: number, words: Readonly<Record<string, T>>, what: string): T {
    const written = this.raw(i);
    let known = this.known.get(words);
    if (known === undefined) this.known.set(words, (known = new Map<string, unknown>()));
    if (known.has(written)) return known.get(written) as T;
    const v = written.toLowerCase();
    if (!Object.hasOwn(words, v)) this.reject(i, `is not ${what}`);
    if (known.size < 64) known.set(written, words[v]);
    return words[v] as T;
  }
}
