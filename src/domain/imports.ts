import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import * as imports from '../db/repositories/imports.ts';
import * as sources from '../db/repositories/sources.ts';
import { findWorkspace } from '../db/repositories/workspaces.ts';
import { FORMATS, FUTURE_SLACK_MS, importFiles, type ImportOutcome } from '../imports/import.ts';
import { hashKey } from '../imports/keys.ts';
import { AppError } from '../lib/app-error.ts';
import type { Logger } from '../lib/logger.ts';
import { ImportFileError } from '../metrics/imports.ts';
import type { ImportFormat } from '../metrics/types.ts';
import { canonicalTimezone, isValidTimezone } from '../metrics/weeks.ts';
import { type Actor, recordAudit } from './audit.ts';
import { newId } from './ids.ts';
import type { JobQueue } from './queue.ts';
import { commitSnapshot } from './snapshots.ts';

export type ImportRecord = imports.ImportRecord;
export { FORMATS } from '../imports/import.ts';
export { TEMPLATE_CSV } from '../imports/template.ts';

export interface ImportsDeps {
  db: Db;
  jobs: JobQueue | undefined;
  logger: Logger;
  /** The largest upload accepted, in bytes. */
  maxBytes: number;
}

export interface ImportRequest {
  workspaceId: string;
  actor: Actor;
  format: ImportFormat | 'auto';
  timezone: string | null;
  /** ISO 8601; null: the latest time in the file. */
  asOf: string | null;
  dryRun: boolean;
  strict: boolean;
}

export type UploadedFiles = AsyncIterable<{ name: string; body: AsyncIterable<Uint8Array> }>;

const actorLabel = (a: Actor) =>
  a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label;

/** Thrown inside a dry run's transaction once its numbers are known, so nothing it wrote stays. */
class DryRunDone extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}

function validated(r: ImportRequest): { asOf: number | null; timezone: string | null } {
  const details = [];
  if (r.timezone !== null && !isValidTimezone(r.timezone)) {
    details.push({ path: 'timezone', message: 'must be an IANA timezone like Europe/London' });
  }
  const asOf = r.asOf === null ? null : Date.parse(r.asOf);
  if (asOf !== null && !Number.isFinite(asOf)) {
    details.push({ path: 'asOf', message: 'must be an ISO 8601 instant like 2026-11-30T09:00:00Z' });
  } else if (asOf !== null && asOf > Date.now() + FUTURE_SLACK_MS) {
    details.push({ path: 'asOf', message: 'is in the future: give the instant the export was taken' });
  }
  if (details.length) throw new AppError('invalid_query', 'invalid import parameters', details);
  return { asOf, timezone: r.timezone === null ? null : canonicalTimezone(r.timezone) };
}

const metricsOf = (o: ImportOutcome) => ({
  metrics: o.snapshot.current,
  notMeasured: o.snapshot.notMeasured as Record<string, string>,
  notes: (o.snapshot.notes ?? {}) as Record<string, string>,
});

/**
 * Imports an upload (docs/csv-import.md) as one transaction: the digest streams into Postgres as the file is
 * read, the import it continues is merged, the snapshot is folded and committed with its source and the import's
 * record — or, on any problem with the file, nothing is written but a failed record, and every existing number is
 * as it was. A dry run does all of it and rolls back. One import at a time per workspace.
 */
export async function runImport(
  deps: ImportsDeps,
  request: ImportRequest,
  files: UploadedFiles,
  onProgress?: (p: { bytes: number; rows: number }) => void,
): Promise<ImportRecord> {
  const { asOf, timezone } = validated(request);
  const workspace = await findWorkspace(deps.db, request.workspaceId);
  if (!workspace) throw new AppError('not_found', 'workspace not found');
  const importId = newId('imp');
  const sourceId = newId('src');
  const base = {
    id: importId,
    workspaceId: request.workspaceId,
    timezone,
    requestedBy: actorLabel(request.actor),
  };
  let progress = { bytes: 0, rows: 0 };
  // The uploaded files' names, as they arrive: a failed import's record names what was refused.
  const names: string[] = [];
  const named: UploadedFiles = {
    async *[Symbol.asyncIterator]() {
      for await (const file of files) {
        names.push(file.name);
        yield file;
      }
    },
  };
  try {
    const record = await deps.db.transaction().execute(async (trx) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(
        hashtext('deskpulse import'), hashtext(${request.workspaceId})) as ok`.execute(trx);
      if (!locked.rows[0]?.ok) {
        throw new AppError('conflict', 'another import is running in this workspace: try again when it ends');
      }
      // The import this one continues, once the format is known (the callback below sets it).
      const previous: { id: string | null } = { id: null };
      const outcome = await importFiles(
        named,
        {
          format: request.format,
          timezone,
          workspaceTimezone: workspace.timezone,
          asOf,
          strict: request.strict,
          maxBytes: deps.maxBytes,
          keySeed: hashKey(request.workspaceId, 0)[0],
          onProgress: (p) => {
            progress = p;
            onProgress?.(p);
          },
        },
        {
          write: (seq, bytes, n) => imports.writeLedgerChunk(trx, sourceId, seq, bytes, n),
          read: () => imports.readLedgerChunks(trx, sourceId),
        },
        async (format) => {
          const live = await sources.findLiveImportSource(trx, request.workspaceId, format);
          if (!live) return null;
          previous.id = live.id;
          return {
            chunks: imports.readLedgerChunks(trx, live.id),
            agents: live.agents,
            coversFrom: live.coversFrom?.getTime() ?? null,
            asOf: live.asOf?.getTime() ?? null,
          };
        },
      );
      if (request.dryRun) throw new DryRunDone(outcome);
      const previousId = previous.id;
      if (previousId !== null) await sources.endSource(trx, previousId, 'superseded');
      const source = await sources.insertImportSource(trx, {
        id: sourceId,
        workspaceId: request.workspaceId,
        importId,
        format: outcome.format.id,
        provider: outcome.format.helpdesk,
        agents: outcome.agents,
        coversFrom: outcome.coversFrom === null ? null : new Date(outcome.coversFrom),
        continuesId: previousId,
      });
      await commitSnapshot(trx, deps.jobs, {
        workspaceId: request.workspaceId,
        source,
        snapshot: outcome.snapshot,
        origin: { kind: 'import', importId, format: outcome.format.id },
      });
      const stored = await imports.insertImport(trx, {
        ...base,
        ...recordOf(outcome),
        sourceId,
        state: 'succeeded',
        error: null,
        finishedAt: new Date(),
      });
      await recordAudit(trx, {
        workspaceId: request.workspaceId,
        actor: request.actor,
        action: 'import.create',
        provider: outcome.format.helpdesk,
        outcome: 'ok',
        detail: `${outcome.format.id} · ${outcome.rows.accepted} accepted, ${outcome.rows.rejected} rejected, ${outcome.rows.duplicate} duplicate${previousId ? ` · continues ${previousId}` : ''}`,
      });
      return stored;
    });
    return record;
  } catch (e) {
    if (e instanceof DryRunDone) {
      return imports.insertImport(deps.db, {
        ...base,
        ...recordOf(e.outcome),
        sourceId: null,
        state: 'dry_run',
        error: null,
        finishedAt: new Date(),
      });
    }
    if (!(e instanceof ImportFileError)) throw e;
    const rowErrors = e.reading?.rowErrors ?? [];
    await imports.insertImport(deps.db, {
      ...base,
      fileName: names.join(', ').slice(0, 500) || null,
      sourceId: null,
      format: null,
      state: 'failed',
      bytes: progress.bytes,
      parts: 0,
      // A file read whole: the counts of the reading; one refused on the way, what progress had seen.
      rows: e.reading
        ? { ...e.reading.rows, accepted: 0 }
        : { read: progress.rows, accepted: 0, rejected: rowErrors.length, duplicate: 0 },
      asOf: null,
      period: null,
      metrics: null,
      notMeasured: null,
      notes: null,
      rowErrors,
      error: { code: e.code, message: e.message },
      finishedAt: new Date(),
    });
    deps.logger.info({ importId, code: e.code }, 'import rejected');
    throw new AppError(
      e.code === 'file_too_large' ? 'payload_too_large' : 'invalid_file',
      e.message,
      // The parameter to give (the dashboard marks its field), or the rows that failed.
      e.code === 'missing_timezone'
        ? [{ path: 'timezone', message: 'required: the file does not say which timezone its times are in' }]
        : rowErrors.map((r) => ({ path: `${r.file}:${r.line}:${r.column}`, message: r.reason })),
    );
  }
}

const recordOf = (o: ImportOutcome) => ({
  fileName: o.fileNames.join(', ').slice(0, 500) || null,
  format: o.format.id,
  bytes: o.bytes,
  parts: o.parts,
  rows: o.rows,
  asOf: new Date(o.asOf),
  period: o.period && { from: new Date(o.period.from), to: new Date(o.period.to) },
  ...metricsOf(o),
  rowErrors: o.rowErrors,
});

export const listImports = (db: Db, workspaceId: string, limit = 50) =>
  imports.listImports(db, workspaceId, limit);

export async function findImport(db: Db, workspaceId: string, id: string): Promise<ImportRecord> {
  const found = await imports.findImport(db, workspaceId, id);
  if (!found) throw new AppError('not_found', `no import ${id} in this workspace`);
  return found;
}

/**
 * Deletes an import and its numbers. Deleting the latest import of a format brings back the one it continued;
 * an earlier one's tickets stay in the imports that continued it.
 */
export async function deleteImport(
  deps: Pick<ImportsDeps, 'db'>,
  caller: { workspaceId: string; actor: Actor },
  id: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const record = await imports.findImport(trx, caller.workspaceId, id);
    if (!record) throw new AppError('not_found', `no import ${id} in this workspace`);
    if (record.sourceId) {
      const source = await sources.findSource(trx, record.sourceId);
      if (source && source.endedAt === null && source.continuesId) {
        await sources.reinstateSource(trx, source.continuesId);
      }
      await sources.deleteSource(trx, record.sourceId);
    }
    await imports.deleteImport(trx, id);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller.actor,
      action: 'import.delete',
      provider:
        record.format === null ? null : (FORMATS.find((f) => f.id === record.format)?.helpdesk ?? null),
      outcome: 'ok',
      detail: `${record.format ?? 'unknown format'} import of ${record.createdAt.toISOString()}`,
    });
  });
}
