import { MetricsFold } from '../metrics/calculator.ts';
import { PROVIDER_IDS } from '../metrics/helpdesks.ts';
import { ImportFileError, type CsvFormat, type ImportedTicket } from '../metrics/imports.ts';
import type { ImportFormat, MetricsSnapshot } from '../metrics/types.ts';
import { providers } from '../providers/index.ts';
import { genericCsv } from './generic.ts';
import { hashKey, KeySet } from './keys.ts';
import { foldChunk, LedgerChunk, LedgerWriter } from './ledger.ts';
import { readExport, type RowError } from './reader.ts';

/** Every export Deskpulse reads: each helpdesk's own (providers/<p>/csv.ts), then the generic template. */
export const FORMATS: readonly CsvFormat[] = [
  ...PROVIDER_IDS.flatMap((id) => {
    const csv = providers[id].csv;
    return csv ? [csv] : [];
  }),
  genericCsv,
];

/** Where an import's ticket digest goes, chunk by chunk, and comes back from (Postgres in the transaction). */
export interface LedgerStore {
  write(seq: number, bytes: Uint8Array, tickets: number): Promise<void>;
  /** The chunks in order; each may be overwritten by the next (read it before asking for the next). */
  read(): AsyncIterable<Uint8Array>;
}

/** The digest of the import this one continues. */
export interface PreviousLedger {
  /** As LedgerStore.read: each chunk is good until the next one is asked for. */
  chunks: AsyncIterable<Uint8Array>;
  agents: readonly { id: string; name: string }[];
  coversFrom: number | null;
  asOf: number | null;
}

export interface ImportPlan {
  format: ImportFormat | 'auto';
  /** For values without an offset; null when not given. */
  timezone: string | null;
  /** The workspace's timezone: weeks are Monday–Sunday there. */
  workspaceTimezone: string;
  /** The export's instant; null: the latest time in the file. */
  asOf: number | null;
  strict: boolean;
  maxBytes: number;
  /** Separates the keys of equal ticket ids in different workspaces. */
  keySeed: number;
  onProgress?: (p: { bytes: number; rows: number }) => void;
}

export interface ImportOutcome {
  format: CsvFormat;
  /** The uploaded files' names (zip parts are in `parts`). */
  fileNames: string[];
  bytes: number;
  parts: number;
  rows: { read: number; accepted: number; rejected: number; duplicate: number };
  rowErrors: RowError[];
  /** Tickets of the continued import that this file did not have, kept. */
  kept: number;
  asOf: number;
  coversFrom: number | null;
  period: { from: number; to: number } | null;
  agents: { id: string; name: string }[];
  snapshot: MetricsSnapshot;
}

/** The latest instant a ticket mentions. */
const latestOf = (t: ImportedTicket) =>
  Math.max(t.createdAt, t.updatedAt ?? -Infinity, t.closedNowAt ?? -Infinity, t.rating?.at ?? -Infinity);

/**
 * The export's instant when the caller does not say: the whole second after the latest time in the file. The file
 * was written after everything in it, and the windows end just before `now` (half-open, docs/metrics.md): as of
 * the latest time itself, what happened last would be left out.
 */
const secondAfter = (t: number) => Math.floor(t / 1000) * 1000 + 1000;

/** How far ahead of this server's clock a file's times may be (the exporting machine's clock may run fast). */
export const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Reads an upload into a ticket digest (de-duplicated by ticket id, first occurrence kept), adds the tickets of
 * the import it continues that this file does not have, and folds the digest into a snapshot with the one
 * calculator. Memory holds the key set and one chunk, not the tickets.
 */
export async function importFiles(
  files: AsyncIterable<{ name: string; body: AsyncIterable<Uint8Array> }>,
  plan: ImportPlan,
  store: LedgerStore,
  previousOf: (format: ImportFormat) => Promise<PreviousLedger | null>,
): Promise<ImportOutcome> {
  // 16–32 bytes a ticket: let go once the file and the import it continues are read (the fold needs it no more).
  let keys: KeySet | null = new KeySet();
  let seq = 0;
  // The chunk being written, and the one before it: reading goes on while Postgres writes the last full chunk
  // (it runs on the other core) and waits only when a second one is full; two chunks in flight at most.
  let writing: Promise<void> = Promise.resolve();
  let behind: Promise<void> = Promise.resolve();
  const writer = new LedgerWriter((bytes, n) => {
    const at = seq++;
    behind = writing;
    writing = writing.then(() => store.write(at, bytes, n));
    // Awaited below; a file error may end the reading first, and the write's failure is then not the news.
    writing.catch(() => undefined);
  });
  const rows = { read: 0, accepted: 0, rejected: 0, duplicate: 0 };
  let latest = -Infinity;
  let coversFrom = Infinity;
  let earliest = Infinity;
  let latestCreated = -Infinity;
  const sink = {
    ticket(t: ImportedTicket) {
      const [hi, lo] = hashKey(t.id, plan.keySeed);
      if (!(keys as KeySet).add(hi, lo)) {
        rows.duplicate++;
        return;
      }
      rows.accepted++;
      writer.add(hi, lo, t);
      const last = latestOf(t);
      if (last > latest) latest = last;
      if (t.createdAt < earliest) earliest = t.createdAt;
      if (t.createdAt > latestCreated) latestCreated = t.createdAt;
    },
    cover(at: number) {
      if (at < coversFrom) coversFrom = at;
    },
    duplicate() {
      rows.duplicate++;
    },
  };
  const read = await readExport(files, sink, {
    formats: FORMATS,
    format: plan.format,
    timezone: plan.timezone,
    maxBytes: plan.maxBytes,
    ...(plan.onProgress ? { onProgress: plan.onProgress } : {}),
    drain: () => behind,
  });
  rows.read = read.rowsRead;
  rows.rejected = read.rowsRejected;
  // A file read whole and then refused: its failed record keeps what the reading counted.
  const refuse = (code: ImportFileError['code'], message: string) =>
    new ImportFileError(code, message, { rows, rowErrors: read.rowErrors });
  if (plan.strict && rows.rejected > 0) {
    throw refuse(
      'rejected_rows',
      `${rows.rejected} row(s) could not be read and strict mode imports nothing then`,
    );
  }
  if (rows.accepted === 0) throw refuse('rejected_rows', 'no row of the file could be read');

  const previous = await previousOf(read.format.id);
  // An export holds nothing from after it was taken, nor from before the import it continues was: open now and
  // backlog age as of an earlier instant would count what had not happened yet (a negative age).
  if (plan.asOf !== null && (latest > plan.asOf || (previous?.asOf ?? -Infinity) > plan.asOf)) {
    throw refuse(
      'as_of_before_file',
      latest > plan.asOf
        ? `asOf ${new Date(plan.asOf).toISOString()} is before the latest time in the file: give the instant ` +
            'the export was taken, or leave asOf out'
        : `asOf ${new Date(plan.asOf).toISOString()} is before the import this one continues ` +
            `(as of ${new Date(previous?.asOf ?? 0).toISOString()}): a later export cannot be older`,
    );
  }
  // Times after this server's clock: the file was read in the wrong timezone (a Zendesk export has none of its
  // own), or its clock is wrong. The windows would end in the future.
  if (plan.asOf === null && secondAfter(latest) > Date.now() + FUTURE_SLACK_MS) {
    throw refuse(
      'future_times',
      'the file has times later than now: if it gave no timezone, check the one given ' +
        `(${plan.timezone ?? 'none'}) is the one the export was made in`,
    );
  }

  let kept = 0;
  if (previous) {
    for await (const bytes of previous.chunks) {
      const chunk = new LedgerChunk(bytes);
      for (let i = 0; i < chunk.size; i++) {
        if (keys.has(chunk.hi(i), chunk.lo(i))) continue;
        writer.copy(chunk, i, previous.agents);
        kept++;
      }
      await writing;
    }
    if (previous.coversFrom !== null) coversFrom = Math.min(coversFrom, previous.coversFrom);
  }
  keys = null;
  writer.flush();
  await writing;

  const asOf = plan.asOf ?? Math.max(secondAfter(latest), previous?.asOf ?? -Infinity);
  const fold = new MetricsFold(
    { now: new Date(asOf), timezone: plan.workspaceTimezone, historyWeeks: 'covered' },
    read.run.caps(),
    read.run.reasons(),
  );
  for (const a of writer.agents) fold.nameAgent(a);
  let open = 0;
  let oldestOpen = Infinity;
  const into = {
    addConversation: (c: Parameters<MetricsFold['addConversation']>[0]) => fold.addConversation(c),
    addRating: (r: Parameters<MetricsFold['addRating']>[0]) => fold.addRating(r),
    open: (createdAt: number) => {
      open++;
      if (createdAt < oldestOpen) oldestOpen = createdAt;
    },
  };
  for await (const bytes of store.read()) foldChunk(new LedgerChunk(bytes), writer.agents, into);
  fold.setOpen({ count: open, oldestCreatedAt: open === 0 ? null : oldestOpen });
  if (Number.isFinite(coversFrom)) fold.cover(coversFrom);
  const snapshot = fold.snapshot();
  const notes = read.run.notes();
  if (Object.keys(notes).length > 0) snapshot.notes = notes;

  return {
    format: read.format,
    fileNames: read.fileNames,
    bytes: read.bytes,
    parts: read.parts,
    rows,
    rowErrors: read.rowErrors,
    kept,
    asOf,
    coversFrom: Number.isFinite(coversFrom) ? coversFrom : null,
    period: Number.isFinite(earliest) ? { from: earliest, to: latestCreated } : null,
    agents: writer.agents,
    snapshot,
  };
}
