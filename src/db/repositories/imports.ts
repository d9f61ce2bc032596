import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { ImportFormat, ImportsTable } from '../schema.ts';

/** One import attempt as stored: counts, outcome and the aggregates it produced; never the file. */
export interface ImportRecord {
  id: string;
  workspaceId: string;
  sourceId: string | null;
  format: ImportFormat | null;
  state: 'succeeded' | 'failed' | 'dry_run';
  fileName: string | null;
  bytes: number;
  parts: number;
  rows: { read: number; accepted: number; rejected: number; duplicate: number };
  timezone: string | null;
  asOf: Date | null;
  period: { from: Date; to: Date } | null;
  metrics: Record<string, number | null> | null;
  notMeasured: Record<string, string> | null;
  notes: Record<string, string> | null;
  rowErrors: ImportRowError[];
  error: { code: string; message: string } | null;
  requestedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ImportRowError {
  file: string;
  line: number;
  column: string;
  valueClass: string;
  reason: string;
}

const toRecord = (r: Selectable<ImportsTable>): ImportRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  sourceId: r.source_id,
  format: r.format,
  state: r.state,
  fileName: r.file_name,
  // bigint comes back as a string from pg.
  bytes: Number(r.bytes),
  parts: r.parts,
  rows: {
    read: r.rows_read,
    accepted: r.rows_accepted,
    rejected: r.rows_rejected,
    duplicate: r.rows_duplicate,
  },
  timezone: r.timezone,
  asOf: r.as_of,
  period: r.period_from && r.period_to ? { from: r.period_from, to: r.period_to } : null,
  metrics: r.metrics,
  notMeasured: r.not_measured,
  notes: r.notes,
  rowErrors: r.row_errors as ImportRowError[],
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? r.error_code } : null,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export async function insertImport(db: Db, r: Omit<ImportRecord, 'createdAt'>): Promise<ImportRecord> {
  const row = await db
    .insertInto('imports')
    .values({
      id: r.id,
      workspace_id: r.workspaceId,
      source_id: r.sourceId,
      format: r.format,
      state: r.state,
      file_name: r.fileName,
      bytes: r.bytes,
      parts: r.parts,
      rows_read: r.rows.read,
      rows_accepted: r.rows.accepted,
      rows_rejected: r.rows.rejected,
      rows_duplicate: r.rows.duplicate,
      timezone: r.timezone,
      as_of: r.asOf,
      period_from: r.period?.from ?? null,
      period_to: r.period?.to ?? null,
      metrics: r.metrics ? JSON.stringify(r.metrics) : null,
      not_measured: r.notMeasured ? JSON.stringify(r.notMeasured) : null,
      notes: r.notes ? JSON.stringify(r.notes) : null,
      row_errors: JSON.stringify(r.rowErrors),
      error_code: r.error?.code ?? null,
      error_message: r.error?.message ?? null,
      requested_by: r.requestedBy,
      finished_at: r.finishedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function listImports(db: Db, workspaceId: string, limit: number): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function findImport(db: Db, workspaceId: string, id: string): Promise<ImportRecord | undefined> {
  const row = await db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function deleteImport(db: Db, id: string): Promise<void> {
  await db.deleteFrom('imports').where('id', '=', id).execute();
}

export async function writeLedgerChunk(
  db: Db,
  sourceId: string,
  seq: number,
  bytes: Uint8Array,
  tickets: number,
): Promise<void> {
  await db
    .insertInto('import_ledger_chunks')
    .values({
      source_id: sourceId,
      seq,
      tickets,
      data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
    })
    .execute();
}

/** A source's digest, one chunk at a time (never all of it in memory). */
export async function* readLedgerChunks(db: Db, sourceId: string): AsyncIterable<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const row = await db
      .selectFrom('import_ledger_chunks')
      .select('data')
      .where('source_id', '=', sourceId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) return;
    yield row.data;
  }
}
