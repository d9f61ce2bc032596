import { z } from '@hono/zod-openapi';
import { orNull } from './common.ts';
import { IMPORT_FORMATS } from '../metrics/types.ts';
import { ProviderIdSchema } from './integrations.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
// The default is the query string's own spelling, so the document's `default` is a valid value of the parameter.
const boolish = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

export const ImportQuerySchema = z.strictObject({
  format: z
    .enum(['auto', ...IMPORT_FORMATS])
    .default('auto')
    .openapi({ description: 'The export format; auto recognises it from the header row' }),
  timezone: z.string().min(1).max(64).optional().openapi({
    description: 'IANA timezone of timestamps without an offset (required when the file does not say)',
  }),
  asOf: z.string().max(40).optional().openapi({
    description:
      'When the export was taken (ISO 8601); default: the second after the latest time in the file',
  }),
  dryRun: boolish.openapi({ description: 'Parse, validate and compute; store nothing' }),
  strict: boolish.openapi({ description: 'Any rejected row rejects the whole file' }),
});

export const ImportParamSchema = z.object({
  id: z.string().regex(/^imp_[0-9a-f]{20}$/, 'must be an import id'),
});

export const ImportsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const RowErrorSchema = z
  .object({
    file: z.string().openapi({ description: 'The file (or zip part) the row is in' }),
    line: z.number().int().openapi({ description: 'Row number in that file; the header is row 1' }),
    column: z.string(),
    valueClass: z.enum(['empty', 'number', 'date', 'text']),
    reason: z.string(),
  })
  .openapi('ImportRowError', { description: 'Never the value itself' });

export const ImportSchema = z
  .object({
    id: z.string(),
    state: z.enum(['succeeded', 'failed', 'dry_run']),
    format: z.enum(IMPORT_FORMATS).nullable(),
    sourceId: z.string().nullable(),
    fileName: z.string().nullable(),
    bytes: z.number().int(),
    parts: z.number().int(),
    rows: z.object({
      read: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
      duplicate: z.number().int(),
    }),
    timezone: z.string().nullable(),
    asOf: z.iso.datetime().nullable(),
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).nullable(),
    metrics: z.record(z.string(), z.number().nullable()).nullable(),
    notMeasured: z.record(z.string(), z.string()).nullable(),
    notes: z.record(z.string(), z.string()).nullable(),
    rowErrors: z.array(RowErrorSchema).openapi({ description: 'The first 100 rejected rows' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    requestedBy: z.string(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi('Import');
export type ImportDto = z.infer<typeof ImportSchema>;

export interface ImportView {
  id: string;
  state: ImportDto['state'];
  format: ImportDto['format'];
  sourceId: string | null;
  fileName: string | null;
  bytes: number;
  parts: number;
  rows: ImportDto['rows'];
  timezone: string | null;
  asOf: Date | null;
  period: { from: Date; to: Date } | null;
  metrics: Record<string, number | null> | null;
  notMeasured: Record<string, string> | null;
  notes: Record<string, string> | null;
  rowErrors: { file: string; line: number; column: string; valueClass: string; reason: string }[];
  error: { code: string; message: string } | null;
  requestedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

export const toImportDto = (r: ImportView): ImportDto => ({
  id: r.id,
  state: r.state,
  format: r.format,
  sourceId: r.sourceId,
  fileName: r.fileName,
  bytes: r.bytes,
  parts: r.parts,
  rows: r.rows,
  timezone: r.timezone,
  asOf: iso(r.asOf),
  period: r.period && { from: r.period.from.toISOString(), to: r.period.to.toISOString() },
  metrics: r.metrics,
  notMeasured: r.notMeasured,
  notes: r.notes,
  rowErrors: r.rowErrors as ImportDto['rowErrors'],
  error: r.error,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt.toISOString(),
  finishedAt: iso(r.finishedAt),
});

export const ImportsResponseSchema = z.object({ imports: z.array(ImportSchema) }).openapi('Imports');

export const ImportFormatSchema = z
  .object({
    id: z.enum(IMPORT_FORMATS),
    helpdesk: orNull(ProviderIdSchema),
    label: z.string(),
    requiredHeaders: z.array(z.string()),
    docUrl: z.string(),
  })
  .openapi('ImportFormat');
export const ImportFormatsResponseSchema = z
  .object({ formats: z.array(ImportFormatSchema), maxBytes: z.number().int() })
  .openapi('ImportFormats');
