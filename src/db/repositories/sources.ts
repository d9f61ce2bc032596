import type { ImportFormat, SnapshotSource, SourceEndReason, SourceKind } from '../../metrics/types.ts';
import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';

export const SOURCE_COLUMNS = [
  'metric_sources.id',
  'metric_sources.kind',
  'metric_sources.provider',
  'metric_sources.account_id',
  'metric_sources.account_name',
  'metric_sources.is_sandbox',
  'metric_sources.created_at',
  'metric_sources.ended_at',
  'metric_sources.end_reason',
  'metric_sources.format',
  'metric_sources.import_id',
] as const;

export interface SourceRow {
  id: string;
  kind: SourceKind;
  provider: ProviderId | null;
  account_id: string | null;
  account_name: string | null;
  is_sandbox: boolean;
  created_at: Date;
  ended_at: Date | null;
  end_reason: SourceEndReason | null;
  format: ImportFormat | null;
  import_id: string | null;
}

export const toSource = (r: SourceRow): SnapshotSource => ({
  id: r.id,
  kind: r.kind,
  provider: r.provider,
  account: r.account_id ? { id: r.account_id, name: r.account_name ?? r.account_id } : null,
  import: r.import_id && r.format ? { id: r.import_id, format: r.format } : null,
  sandbox: r.is_sandbox,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

export async function insertSource(
  db: Db,
  s: {
    id: string;
    workspaceId: string;
    kind: SourceKind;
    provider: ProviderId | null;
    account: { id: string; name: string } | null;
    connectionId: string | null;
    isSandbox: boolean;
  },
): Promise<SnapshotSource> {
  const row = await db
    .insertInto('metric_sources')
    .values({
      id: s.id,
      workspace_id: s.workspaceId,
      kind: s.kind,
      provider: s.provider,
      account_id: s.account?.id ?? null,
      account_name: s.account?.name ?? null,
      connection_id: s.connectionId,
      is_sandbox: s.isSandbox,
    })
    .returning(SOURCE_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSource(row);
}

/** The source a connection measures through now. */
export async function findLiveSource(db: Db, connectionId: string): Promise<SnapshotSource | undefined> {
  const row = await db
    .selectFrom('metric_sources')
    .select(SOURCE_COLUMNS)
    .where('connection_id', '=', connectionId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && toSource(row);
}

/** The latest ended source of a connection to this helpdesk account, whose history a reconnect resumes. */
export async function findEndedAccountSource(
  db: Db,
  input: { workspaceId: string; provider: ProviderId; accountId: string },
): Promise<SnapshotSource | undefined> {
  const row = await db
    .selectFrom('metric_sources')
    .select(SOURCE_COLUMNS)
    .where('workspace_id', '=', input.workspaceId)
    .where('kind', '=', 'connection')
    .where('provider', '=', input.provider)
    .where('account_id', '=', input.accountId)
    .where('ended_at', 'is not', null)
    .orderBy('ended_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row && toSource(row);
}

export async function resumeSource(
  db: Db,
  id: string,
  input: { connectionId: string; accountName: string; isSandbox: boolean },
): Promise<void> {
  await db
    .updateTable('metric_sources')
    .set({
      connection_id: input.connectionId,
      account_name: input.accountName,
      is_sandbox: input.isSandbox,
      ended_at: null,
      end_reason: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function renameSourceAccount(db: Db, id: string, accountName: string): Promise<void> {
  await db.updateTable('metric_sources').set({ account_name: accountName }).where('id', '=', id).execute();
}

export async function endSource(db: Db, id: string, reason: SourceEndReason, at = new Date()): Promise<void> {
  await db
    .updateTable('metric_sources')
    .set({ ended_at: at, end_reason: reason, connection_id: null })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

/** An import's source, made in the import's transaction once its numbers are known. */
export async function insertImportSource(
  db: Db,
  s: {
    id: string;
    workspaceId: string;
    importId: string;
    format: ImportFormat;
    provider: ProviderId | null;
    agents: { id: string; name: string }[];
    coversFrom: Date | null;
    continuesId: string | null;
  },
): Promise<SnapshotSource> {
  const row = await db
    .insertInto('metric_sources')
    .values({
      id: s.id,
      workspace_id: s.workspaceId,
      kind: 'import',
      provider: s.provider,
      format: s.format,
      import_id: s.importId,
      agents: JSON.stringify(s.agents),
      covers_from: s.coversFrom,
      continues_id: s.continuesId,
    })
    .returning(SOURCE_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSource(row);
}

export interface ImportSourceState {
  id: string;
  agents: { id: string; name: string }[];
  coversFrom: Date | null;
  asOf: Date | null;
}

/** The live import source of a format, whose digest the next import of that format continues (locked). */
export async function findLiveImportSource(
  db: Db,
  workspaceId: string,
  format: ImportFormat,
): Promise<ImportSourceState | undefined> {
  const row = await db
    .selectFrom('metric_sources')
    .leftJoin('metric_snapshots', (j) =>
      j
        .onRef('metric_snapshots.source_id', '=', 'metric_sources.id')
        .on('metric_snapshots.period', '=', 'current'),
    )
    .select([
      'metric_sources.id',
      'metric_sources.agents',
      'metric_sources.covers_from',
      'metric_snapshots.measured_at',
    ])
    .where('metric_sources.workspace_id', '=', workspaceId)
    .where('metric_sources.kind', '=', 'import')
    .where('metric_sources.format', '=', format)
    .where('metric_sources.ended_at', 'is', null)
    .orderBy('metric_sources.created_at', 'desc')
    .limit(1)
    .forUpdate('metric_sources')
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      agents: row.agents ?? [],
      coversFrom: row.covers_from,
      asOf: row.measured_at ?? null,
    }
  );
}

export async function findSource(
  db: Db,
  id: string,
): Promise<(SnapshotSource & { continuesId: string | null }) | undefined> {
  const row = await db
    .selectFrom('metric_sources')
    .select([...SOURCE_COLUMNS, 'metric_sources.continues_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && { ...toSource(row), continuesId: row.continues_id };
}

/** Brings back a superseded source (the import that continued it was deleted). */
export async function reinstateSource(db: Db, id: string): Promise<void> {
  await db
    .updateTable('metric_sources')
    .set({ ended_at: null, end_reason: null })
    .where('id', '=', id)
    .where('end_reason', '=', 'superseded')
    .execute();
}

/** Deletes a source with its snapshots and digest (cascade). */
export async function deleteSource(db: Db, id: string): Promise<void> {
  await db.deleteFrom('metric_sources').where('id', '=', id).execute();
}
