import { describe, expect, it } from 'vitest';
import { ImportFileError, type Header } from './imports.ts';
import { RowRejected, RowValues } from './import-values.ts';

const header: Header = { names: ['Id'], index: () => 0, timezoneOf: () => null };
const idOf = (value: string) => {
  const v = new RowValues(header, 'Intercom');
  v.fields = [value];
  return v.id(0);
};

describe('row values', () => {
  it("refuses a spreadsheet's scientific notation for an id, with a decimal point or a decimal comma", () => {
    for (const mangled of ['1.03006E+13', '2,15469E+14', '3E+12']) {
      expect(() => idOf(mangled), mangled).toThrow(ImportFileError);
      try {
        idOf(mangled);
      } catch (e) {
        expect((e as ImportFileError).code).toBe('spreadsheet_resave');
      }
    }
    expect(idOf('215469000000000')).toBe('215469000000000');
    expect(idOf('th_1,2E+3x')).toBe('th_1,2E+3x');
  });

  it('reads counts and durations as written, and rejects anything else', () => {
    const read = (value: string, as: 'count' | 'duration') => {
      const v = new RowValues(header, 'Zendesk');
      v.fields = [value];
      try {
        return as === 'count' ? v.count(0) : v.duration(0);
      } catch (e) {
        if (e instanceof RowRejected) return 'rejected';
        throw e;
      }
    };
    for (const [value, count] of [
      ['0', 0],
      ['7', 7],
      [' 42 ', 42],
      ['999999999999999', 999999999999999],
      ['1000000000000000', 'rejected'],
      ['1.5', 'rejected'],
      ['-1', 'rejected'],
      ['+1', 'rejected'],
      ['1e3', 'rejected'],
      ['١٢', 'rejected'],
      ['1 2', 'rejected'],
    ] as const) {
      expect(read(value, 'count'), value).toBe(count);
    }
    for (const [value, duration] of [
      ['', null],
      ['0', 0],
      ['90', 90],
      ['1.5', 1.5],
      ['12.123456', 12.123456],
      ['12.1234567', 'rejected'],
      ['1.', 'rejected'],
      ['.5', 'rejected'],
      ['1.2.3', 'rejected'],
      ['1,5', 'rejected'],
      ['-3', 'rejected'],
      ['1234567890123456', 'rejected'],
    ] as const) {
      expect(read(value, 'duration'), value).toBe(duration);
    }
  });
});
