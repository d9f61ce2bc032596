import { GENERIC_COLUMNS } from './generic.ts';

/** The example file of the generic template (`GET /imports/template.csv`, docs/csv-import.md). */
export const TEMPLATE_CSV =
  [
    GENERIC_COLUMNS.join(','),
    'th_1001,2026-11-16T09:12:00Z,closed,840,2026-11-16T11:40:00Z,Ada Lovelace,1,0,5,2026-11-16T12:05:00Z,false,2026-11-16T12:05:00Z',
    'th_1002,2026-11-16T10:03:00Z,open,,,,0,0,,,false,2026-11-16T10:03:00Z',
    'th_1003,2026-11-17 14:30:00+01:00,closed,,2026-11-17 14:31:00+01:00,,0,0,,,true,2026-11-17 14:31:00+01:00',
  ].join('\r\n') + '\r\n';
