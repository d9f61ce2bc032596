import type { MetricCaps, PartialDataReasons } from './calculator.ts';
import type { ProviderId } from './helpdesks.ts';
import type { ImportFormat, MetricKey } from './types.ts';

/*
 * The vocabulary of importing a helpdesk's own export (docs/csv-import.md). A format (providers/<p>/csv.ts, or the
 * generic template in src/imports/) turns rows into tickets; src/imports/ streams the file, de-duplicates, keeps
 * the per-ticket digest and folds the tickets with the one calculator.
 */

/** One conversation as an export describes it; times in epoch ms. */
export interface ImportedTicket {
  /** The helpdesk's id of the conversation, as the file writes it. */
  id: string;
  createdAt: number;
  /** The last change; null when the file does not say. */
  updatedAt: number | null;
  firstReplyAt: number | null;
  /** The last close, only if closed at export time. */
  closedNowAt: number | null;
  /** Open (or snoozed, pending) at export time. */
  open: boolean;
  oneTouch: boolean;
  aiResolved: boolean;
  assignee: { id: string; name: string } | null;
  rating: { at: number; positive: boolean; score: number | null } | null;
}

/** Why one row was rejected: where, what kind of value, and why — never the value itself. */
export interface RowProblem {
  /** The row's number in its file, the header being 1 (a quoted field spanning lines is one row). */
  line: number;
  column: string;
  valueClass: 'empty' | 'number' | 'date' | 'text';
  reason: string;
}

/** A problem with a whole file: it imports nothing. `code` is machine-readable, `message` says what to do. */
export class ImportFileError extends Error {
  constructor(
    readonly code:
      | 'unsupported_file'
      | 'unknown_format'
      | 'empty_file'
      | 'no_rows'
      | 'spreadsheet_resave'
      | 'missing_timezone'
      | 'truncated_file'
      | 'malformed_csv'
      | 'file_too_large'
      | 'rejected_rows'
      | 'as_of_before_file'
      | 'future_times'
      | 'upload_interrupted',
    message: string,
    /** Set when the file was read before it was refused: its rows' counts and errors, for the failed record. */
    readonly reading?: {
      rows: { read: number; accepted: number; rejected: number; duplicate: number };
      rowErrors: (RowProblem & { file: string })[];
    },
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** One header row: names as written, and normalised (trimmed, lower-cased, a ` (<timezone>)` suffix removed). */
export interface Header {
  names: readonly string[];
  /**
   * Index of a column by normalised name, or -1. A format looks up every column it reads here, when it binds a
   * part: the reader copies only those out of the text (a row's other fields read as '').
   */
  index(name: string): number;
  /** The IANA timezone a header's ` (<timezone>)` suffix names, if any. */
  timezoneOf(index: number): string | null;
}

/** Where a format's parts send what they read. */
export interface TicketSink {
  ticket(t: ImportedTicket): void;
  /** The source vouches for its data from this instant on (the export's range; see `MetricsFold.cover`). */
  cover(at: number): void;
  /** A row of a ticket the file already gave (counted as a duplicate row, as the de-duplication by key does). */
  duplicate(): void;
}

export interface PartReader {
  /** One data row: its ticket goes to the sink, or the row's problem comes back. `line` is its row number. */
  row(fields: readonly string[], line: number, sink: TicketSink): RowProblem | null;
}

/** One import of a format: the state its parts (a zip's entries) share. */
export interface FormatRun {
  /** Binds one part's header row, or says what is wrong with it (an ImportFileError). */
  part(header: Header, name: string): PartReader;
  /** Every part read: tickets held back to join rows (Front's activities, Intercom's CSAT export) go out now. */
  finish(sink: TicketSink): void;
  /** What this file can measure; decided once every part's header is known. */
  caps(): MetricCaps;
  reasons(): Partial<PartialDataReasons>;
  /** How the file measures a metric where that differs from docs/metrics.md. */
  notes(): Partial<Record<MetricKey, string>>;
}

export interface CsvFormat {
  id: ImportFormat;
  /** The helpdesk whose export it is; null for the generic template. */
  helpdesk: ProviderId | null;
  label: string;
  /** Normalised headers that identify the format in `auto` detection; all must be present. */
  signature: readonly string[];
  /** Another header set of the same format (a second kind of file it reads, like Intercom's CSAT export). */
  altSignature?: readonly string[];
  /** Normalised headers a file of this format needs, for the message when none matches. */
  required: readonly string[];
  /** Where a user finds how to produce the export. */
  docUrl: string;
  /** A fresh import; `timezone` is the parameter, for values without an offset (null when not given). */
  begin(options: { timezone: string | null }): FormatRun;
}

/** The value parsers every format shares, so each reports bad values the same way. */
export interface ValueProblem {
  valueClass: RowProblem['valueClass'];
  reason: string;
}
