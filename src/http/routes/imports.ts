import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  ImportFormatsResponseSchema,
  ImportParamSchema,
  ImportQuerySchema,
  ImportSchema,
  ImportsQuerySchema,
  ImportsResponseSchema,
  toImportDto,
} from '../../contracts/imports.ts';
import * as imports from '../../domain/imports.ts';
import { AppError } from '../../lib/app-error.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { uploadedFiles } from '../uploads.ts';
import { requestLogger } from '../request-logger.ts';

const binary = { schema: { type: 'string' as const, format: 'binary' } };

const create = defineRoute('admin', {
  method: 'post',
  path: '/imports',
  operationId: 'createImport',
  tags: ['Imports'],
  summary: "Import a helpdesk's CSV export (streamed, never stored; docs/csv-import.md)",
  request: {
    query: ImportQuerySchema,
    body: {
      required: true,
      description:
        'The export: one .csv, a .csv.gz or a .zip of parts; or multipart/form-data with file parts',
      content: {
        'text/csv': binary,
        'application/zip': binary,
        'application/gzip': binary,
        'application/octet-stream': binary,
        'multipart/form-data': binary,
      },
    },
  },
  responses: {
    200: { description: 'Dry run: what the import would do; nothing stored', ...json(ImportSchema) },
    201: { description: 'Imported: its numbers are a source of their own', ...json(ImportSchema) },
    409: { description: 'Another import is running in this workspace' },
    413: { description: 'The upload is over DESKPULSE_IMPORT_MAX_BYTES' },
    415: { description: 'Not a file upload' },
    422: { description: 'The file cannot be imported; nothing was stored (details: the rows)' },
  },
});

const list = defineRoute('admin', {
  method: 'get',
  path: '/imports',
  operationId: 'listImports',
  tags: ['Imports'],
  summary: 'Imports of this workspace, newest first (failed and dry runs included)',
  request: { query: ImportsQuerySchema },
  responses: { 200: { description: 'Imports', ...json(ImportsResponseSchema) } },
});

const get = defineRoute('admin', {
  method: 'get',
  path: '/imports/{id}',
  operationId: 'getImport',
  tags: ['Imports'],
  summary: 'One import: what it read, what it rejected and why, the metrics it produced',
  request: { params: ImportParamSchema },
  responses: { 200: { description: 'The import', ...json(ImportSchema) } },
});

const remove = defineRoute('admin', {
  method: 'delete',
  path: '/imports/{id}',
  operationId: 'deleteImport',
  tags: ['Imports'],
  summary: 'Delete an import and its numbers (the import it continued comes back)',
  request: { params: ImportParamSchema },
  responses: { 204: { description: 'Deleted' } },
});

const template = defineRoute('member', {
  method: 'get',
  path: '/imports/template.csv',
  operationId: 'getImportTemplate',
  tags: ['Imports'],
  summary: 'The generic template: an example file for helpdesks without an export we read (Plain)',
  responses: { 200: { description: 'CSV', content: { 'text/csv': binary } } },
});

const formats = defineRoute('member', {
  method: 'get',
  path: '/imports/formats',
  operationId: 'listImportFormats',
  tags: ['Imports'],
  summary: 'The exports Deskpulse imports, and the headers each needs',
  responses: { 200: { description: 'Formats', ...json(ImportFormatsResponseSchema) } },
});

export function registerImportRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(template, (c) => {
    c.header('content-disposition', 'attachment; filename="deskpulse-template.csv"');
    return c.body(imports.TEMPLATE_CSV, 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  app.openapi(formats, (c) =>
    c.json(
      {
        formats: imports.FORMATS.map((f) => ({
          id: f.id,
          helpdesk: f.helpdesk,
          label: f.label,
          requiredHeaders: [...f.required],
          docUrl: f.docUrl,
        })),
        maxBytes: c.get('deps').config.imports.maxBytes,
      },
      200,
    ),
  );

  app.openapi(create, async (c) => {
    const caller = workspacePrincipalOf(c);
    const q = c.req.valid('query');
    const { maxBytes } = c.get('deps').config.imports;
    const length = Number(c.req.header('content-length') ?? NaN);
    if (length > maxBytes) throw new AppError('payload_too_large', `the upload is over ${maxBytes} bytes`);
    const files = uploadedFiles(c.req.raw);
    const record = await imports.runImport(
      { db: c.get('deps').db, jobs: c.get('deps').jobs, logger: requestLogger(c), maxBytes },
      {
        workspaceId: caller.workspaceId,
        actor: caller,
        format: q.format,
        timezone: q.timezone ?? null,
        asOf: q.asOf ?? null,
        dryRun: q.dryRun,
        strict: q.strict,
      },
      files,
    );
    return c.json(toImportDto(record), record.state === 'dry_run' ? 200 : 201);
  });

  app.openapi(list, async (c) => {
    const rows = await imports.listImports(
      c.get('deps').db,
      workspacePrincipalOf(c).workspaceId,
      c.req.valid('query').limit,
    );
    return c.json({ imports: rows.map(toImportDto) }, 200);
  });

  app.openapi(get, async (c) => {
    const record = await imports.findImport(
      c.get('deps').db,
      workspacePrincipalOf(c).workspaceId,
      c.req.valid('param').id,
    );
    return c.json(toImportDto(record), 200);
  });

  app.openapi(remove, async (c) => {
    const caller = workspacePrincipalOf(c);
    await imports.deleteImport(
      c.get('deps'),
      { workspaceId: caller.workspaceId, actor: caller },
      c.req.valid('param').id,
    );
    return c.body(null, 204);
  });
}
