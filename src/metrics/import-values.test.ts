import { describe, expect, it } from 'vitest';
import { ImportFileError, type Header } from './imports.ts';
import { RowValues } from './import-values.ts';

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
});
