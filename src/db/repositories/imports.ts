import { sql, type Selectable } from 'kysely';
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

/**
 * Bytes of a chunk per piece read back. A piece comes as base64 text (a 44 KB string the young generation
 * collects at once; a whole chunk's would be a large object kept until a full GC) and is decoded straight into one
 * buffer: no Buffer per piece or per chunk, which V8 would count as external memory and let pile up to its 64 MB
 * soft limit before collecting. Base64, not hex: Postgres encodes it in less than half the time (bytea's own
 * output is hex), and that encoding was most of the time a digest took to read back (bench/csv); Node's decoder
 * skips the line breaks Postgres puts every 76 characters.
 */
const PIECE = 32 * 1024;

/**
 * A source's digest, one chunk at a time (never all of it in memory). Each chunk is a view of one buffer that
 * the next chunk overwrites: read it before asking for the next.
 */
export async function* readLedgerChunks(db: Db, sourceId: string): AsyncIterable<Uint8Array> {
  let buffer = Buffer.alloc(0);
  for (let seq = 0; ; seq++) {
    // Storage is external (uncompressed), so Postgres reads each piece's TOAST slices only.
    const { rows } = await sql<{ size: number; piece: string }>`
      select octet_length(data) as size, encode(substring(data from g * ${PIECE} + 1 for ${PIECE}), 'base64') as piece
      from import_ledger_chunks, generate_series(0, (octet_length(data) - 1) / ${PIECE}) as g
      where source_id = ${sourceId} and seq = ${seq}
      order by g`.execute(db);
    const first = rows[0];
    if (!first) return;
    if (buffer.length < first.size) buffer = Buffer.alloc(first.size);
    let at = 0;
    for (const r of rows) at += buffer.write(r.piece, at, 'base64');
    // The pieces' text (~1.2 MB) goes now, not when the next chunk is asked for: kept through the chunk's fold,
    // it outlived young collections and was promoted, a full GC every ~150 ms of the read-back (--trace-gc).
    rows.length = 0;
    yield buffer.subarray(0, at);
  }
}
