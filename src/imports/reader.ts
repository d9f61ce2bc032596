import { isAscii } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Unzip, UnzipInflate } from 'fflate';
import Papa from 'papaparse';
import { isValidTimezone } from '../metrics/weeks.ts';
import { scanRecords } from './csv-scan.ts';
import { RowRejected } from '../metrics/import-values.ts';
import {
  ImportFileError,
  type CsvFormat,
  type FormatRun,
  type Header,
  type PartReader,
  type RowProblem,
  type TicketSink,
} from '../metrics/imports.ts';
import type { ImportFormat } from '../metrics/types.ts';

/*
 * An upload, read once as it arrives: bytes → (gzip | zip | plain) → UTF-8 text → CSV rows → the format's
 * rows → tickets. Nothing is buffered beyond the row being read, nothing touches the disk. Every problem with the
 * file as a whole is an ImportFileError; a bad row is a RowProblem and the rows around it are kept.
 */

/** A line longer than this (without a newline even inside quotes) is not a helpdesk export. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;
export const MAX_COLUMNS = 1000;
const MAX_HEADER_CHARS = 1024 * 1024;
/** The longest unfinished record joined to the next chunk as bytes (a longer one is joined as text). */
const JOIN_MAX = 64 * 1024;
const LF = 10;
/** Whether a string is ASCII: UTF-8 then writes one byte a character (two or more for any other). */
const ascii = (s: string) => Buffer.byteLength(s, 'utf8') === s.length;
/** Row errors listed in full; the rest are counted. */
export const MAX_ROW_ERRORS = 100;

export interface RowError extends RowProblem {
  /** The part of a zip the row is in. */
  file: string;
}

export interface ReadOptions {
  formats: readonly CsvFormat[];
  format: ImportFormat | 'auto';
  timezone: string | null;
  maxBytes: number;
  onProgress?: (p: { bytes: number; rows: number }) => void;
  /** Awaited after each chunk read: lets the digest's writes keep up (backpressure on the upload). */
  drain?: () => Promise<void>;
}

export interface ReadResult {
  format: CsvFormat;
  fileNames: string[];
  run: FormatRun;
  bytes: number;
  parts: number;
  rowsRead: number;
  rowsRejected: number;
  rowErrors: RowError[];
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const GZIP = [0x1f, 0x8b];
const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);

/** Where the record starting at `from` ends: its first LF outside quotes; -1 when the text does not say yet. */
function firstRecordEnd(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) return i;
  }
  return -1;
}

/** UTF-16 (https://www.rfc-editor.org/rfc/rfc2781): its byte order mark, or ASCII with a 0 byte every other byte. */
function utf16(b: Uint8Array): boolean {
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return true;
  const n = Math.min(b.length, 64) & ~1;
  if (n < 4) return false;
  let even = true;
  let odd = true;
  for (let i = 0; i < n; i += 2) {
    if (b[i] !== 0) even = false;
    if (b[i + 1] !== 0) odd = false;
  }
  return even || odd;
}

/** Normalised header names: trimmed, lower-cased, a ` (<IANA timezone>)` suffix split off. */
export function headerOf(names: readonly string[]): Header {
  const normal: string[] = [];
  const zones: (string | null)[] = [];
  for (const raw of names) {
    let name = raw.trim().toLowerCase();
    let zone: string | null = null;
    const m = /^(.*?)\s*\(([^()]+)\)$/.exec(raw.trim());
    if (m?.[1] && m[2] && isValidTimezone(m[2].trim())) {
      name = m[1].trim().toLowerCase();
      zone = m[2].trim();
    }
    normal.push(name);
    zones.push(zone);
  }
  const index = new Map<string, number>();
  normal.forEach((n, i) => {
    if (!index.has(n)) index.set(n, i);
  });
  return { names, index: (n) => index.get(n) ?? -1, timezoneOf: (i) => zones[i] ?? null };
}

/** The delimiter a header row uses: the most frequent of `,` `;` tab outside quotes (a spreadsheet re-save). */
function delimiterOf(line: string): string {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t']
    ? ';'
    : counts['\t'] > counts[','] && counts['\t'] > counts[';']
      ? '\t'
      : ',';
}

/**
 * The header names a required entry accepts: `conversation api id (or conversation id)`, `type (or direction, in
 * a messages export)`, `conversation created at (<timezone>) or conversation started at (<timezone>)`.
 */
const namesOf = (entry: string) =>
  entry
    .replace(/\s*\(<timezone>\)/g, '')
    .split(/\s+\(or\s+|\s+or\s+/)
    .map((n) => n.replace(/[,)].*$/, '').trim());

/** What each format needs, the closest first (most required columns present); what a format lacks is named. */
function unknownFormat(formats: readonly CsvFormat[], header: Header): ImportFileError {
  const lines = formats
    .map((f) => ({ f, missing: f.required.filter((h) => namesOf(h).every((n) => header.index(n) < 0)) }))
    .sort((a, b) => b.f.required.length - b.missing.length - (a.f.required.length - a.missing.length))
    .map(({ f, missing }) => {
      const partly = missing.length < f.required.length ? ` (missing: ${missing.join(', ')})` : '';
      return `${f.id} (${f.label}) needs ${f.required.join(', ')}${partly}`;
    });
  return new ImportFileError(
    'unknown_format',
    `the headers match no export Deskpulse reads (names are matched trimmed, in any case). ${lines.join('; ')}`,
  );
}

/**
 * Whether `bytes` may end inside a UTF-8 character (https://www.rfc-editor.org/rfc/rfc3629#section-3): false only
 * when its last character is seen whole, true when it is cut off or cannot be told from these bytes alone.
 */
export function endsMidCharacter(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1, seen = 1; i >= 0 && seen <= 4; i--, seen++) {
    const b = bytes[i] as number;
    if (b < 0x80) return seen > 1;
    if (b >= 0xc0) return seen < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2);
  }
  return true;
}

/** One CSV part (a file, or a zip entry): text in, rows out to the format. */
class CsvPart {
  /** Made at the first chunk that is not ASCII. */
  private decoder: TextDecoder | undefined;
  /** Whether the decoder may hold the first bytes of a character the last chunk cut off. */
  private midCharacter = false;
  /** Whether text came before: the decoder then must not take a U+FEFF for the file's byte order mark. */
  private begun = false;
  private head = '';
  private partial = '';
  private sinceNewline = 0;
  private parser: Papa.Parser | undefined;
  private reader: PartReader | undefined;
  private columns = 0;
  private line = 1;
  private delimiter = 44;
  private crlf = false;
  /** One array for every record the fast path reads (the format's row reader keeps no reference to it). */
  private fields: string[] = [];
  /** The columns the format looked up by name: the only ones the fast path copies out of the text. */
  private wanted = new Uint8Array(0);
  private readonly onRecord = () => this.row(this.fields, false, true);

  constructor(
    private readonly name: string,
    private readonly read: ExportReading,
  ) {}

  push(bytes: Uint8Array, final: boolean): void {
    // UTF-8 writes a 0 byte for U+0000 only, so the bytes tell before any decoding.
    if (bytes.indexOf(0) >= 0) {
      throw new ImportFileError(
        'unsupported_file',
        !this.begun && utf16(bytes)
          ? `${this.name} is UTF-16 text: export it again, or save it, as CSV in UTF-8`
          : `${this.name} holds binary data, not CSV text`,
      );
    }
    this.read.textBytes += bytes.length;
    if (this.read.textBytes > this.read.options.maxBytes) {
      // A compressed upload under the limit can hold far more text (a zip or gzip bomb): the limit is the text's.
      throw new ImportFileError(
        'file_too_large',
        `the text of the upload, uncompressed, is over ${this.read.options.maxBytes} bytes`,
      );
    }
    let text: string;
    // The new text's length and its last line break: a line is bounded across chunks.
    let fresh: number;
    let nl: number;
    if (!this.midCharacter && isAscii(bytes)) {
      // Most exports are ASCII chunk after chunk: the bytes are the text (latin1 maps each byte to its char, as
      // UTF-8 does below 0x80), without the UTF-8 decoder's per-byte work. Only between characters: a chunk
      // that continues one the last chunk cut off goes to the decoder holding its first bytes.
      fresh = bytes.length;
      nl = bytes.lastIndexOf(LF);
      const partial = this.partial;
      if (this.parser !== undefined && partial.length > 0 && partial.length <= JOIN_MAX && ascii(partial)) {
        // The record the last text ended in, joined to this text as bytes: one flat string. The scan reads it
        // faster than the two-part string `partial + text` (scanning bench/csv's 1M-row file in 64 KiB chunks:
        // 1.01–1.06 s against 1.20–1.37 s).
        text = Buffer.concat([Buffer.from(partial, 'latin1'), bytes]).toString('latin1');
        this.partial = '';
      } else {
        text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      }
    } else {
      this.decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: this.begun });
      try {
        text = this.decoder.decode(bytes, { stream: !final });
      } catch {
        throw new ImportFileError(
          'unsupported_file',
          `${this.name} is not UTF-8 text: export it again as CSV in UTF-8 (a spreadsheet re-save may have changed the encoding)`,
        );
      }
      this.midCharacter = endsMidCharacter(bytes);
      fresh = text.length;
      nl = text.lastIndexOf('\n');
    }
    if (bytes.length > 0) this.begun = true;
    this.sinceNewline = nl < 0 ? this.sinceNewline + fresh : fresh - nl - 1;
    if (this.sinceNewline > MAX_LINE_CHARS) {
      throw new ImportFileError(
        'malformed_csv',
        `${this.name} has a line over 4 MiB: it is not a helpdesk export`,
      );
    }
    if (this.parser === undefined) this.startWith(text, final);
    else this.parse(text, final);
  }

  private startWith(text: string, final: boolean): void {
    this.head += text;
    const nl = this.head.indexOf('\n');
    if (nl < 0 && /\r[^\n]/.test(this.head)) {
      throw new ImportFileError(
        'malformed_csv',
        `${this.name} ends its lines with CR alone (an old Mac format): save it again with LF or CR LF line ends`,
      );
    }
    if (nl < 0 && !final) {
      if (this.head.length > MAX_HEADER_CHARS) {
        throw new ImportFileError('malformed_csv', `${this.name} has no header row in its first MiB`);
      }
      return;
    }
    const first = nl < 0 ? this.head : this.head.slice(0, nl);
    if (first.trim() === '' && nl < 0) {
      throw new ImportFileError('empty_file', `${this.name} is empty: there is no header row`);
    }
    let newline: '\r\n' | '\n' = first.endsWith('\r') ? '\r\n' : '\n';
    if (newline === '\r\n' && nl >= 0) {
      // A CR LF header over LF rows (a file two tools wrote): the first row's own end decides — not a line break
      // inside its quotes, where a spreadsheet's CR LF file writes LF. Waited for, within 64 KiB.
      const end = firstRecordEnd(this.head, nl + 1);
      if (end < 0 && !final && this.head.length - nl <= 65_536) return;
      if (end >= 0 && this.head.charCodeAt(end - 1) !== 13) newline = '\n';
    }
    const delimiter = delimiterOf(first);
    this.delimiter = delimiter.charCodeAt(0);
    this.crlf = newline === '\r\n';
    this.parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    const head = this.head;
    this.head = '';
    this.parse(head, final);
  }

  private parse(text: string, final: boolean): void {
    const parser = this.parser as Papa.Parser;
    // The record the text before ended in, still open: read again with each new text, so it is bounded as a line
    // is. Past 4 MiB it is no helpdesk's record but a quote left open, and the rest of the file would be one field.
    if (this.partial.length > MAX_LINE_CHARS) {
      throw new ImportFileError(
        'malformed_csv',
        `${this.name} has a record over 4 MiB: a quote in it is probably never closed (a stray " in a field); export the file again`,
      );
    }
    let input = this.partial + text;
    // Once the header is known, well-formed records take the fast path (csv-scan.ts); from the first record it
    // does not read on, papaparse reads the rest of this text, as it reads every record of a malformed file.
    if (this.reader !== undefined && this.columns >= 2) {
      const { delimiter, crlf, columns, wanted, fields } = this;
      const stop = scanRecords(input, 0, delimiter, crlf, columns, wanted, fields, this.onRecord);
      if (!stop.anomaly && !final) {
        this.partial = input.slice(stop.at);
        return;
      }
      input = input.slice(stop.at);
    }
    // The low-level parser is typed `any`; its result is `{ data, errors, meta: { cursor } }`.
    const results = parser.parse(input, 0, !final) as {
      data: string[][];
      errors: { code: string; row: number }[];
      meta: { cursor: number };
    };
    this.partial = final ? '' : input.slice(results.meta.cursor);
    // A quote that neither ends its field nor is doubled (`"x"oops,`): papaparse reads on to a later quote, so the
    // row's fields are a guess (it may even have swallowed the next line). Such a row is rejected, not read.
    const stray = new Set<number>();
    for (const e of results.errors) if (e.code === 'InvalidQuotes') stray.add(e.row);
    results.data.forEach((row, i) => this.row(row, stray.has(i)));
    if (final) {
      // A quoted field still open at the end (papaparse's MissingQuotes); a stray quote inside a record
      // (InvalidQuotes) is that row's problem, not the file's.
      if (results.errors.some((e) => e.code === 'MissingQuotes')) {
        throw new ImportFileError(
          'malformed_csv',
          `${this.name} ends inside a quoted field: it looks cut short; download or export it again`,
        );
      }
      if (this.reader === undefined) {
        throw new ImportFileError('empty_file', `${this.name} is empty: there is no header row`);
      }
    }
  }

  /** `scanned`: from the fast path, which holds only the wanted fields and never a record of empty ones. */
  private row(fields: string[], strayQuote = false, scanned = false): void {
    if (this.reader === undefined) {
      // Empty lines or a spreadsheet's empty rows above the header.
      if (fields.every((f) => f.trim() === '')) return;
      if (fields.length > MAX_COLUMNS) {
        throw new ImportFileError('malformed_csv', `${this.name} has over ${MAX_COLUMNS} columns`);
      }
      this.columns = fields.length;
      this.fields = fields.map(() => '');
      const header = headerOf(fields);
      const wanted = (this.wanted = new Uint8Array(fields.length));
      // A format finds each column it reads by name (as it binds the part): those are the wanted ones.
      const index = (name: string) => {
        const i = header.index(name);
        if (i >= 0) wanted[i] = 1;
        return i;
      };
      this.reader = this.read.bind({ ...header, index }, this.name);
      return;
    }
    this.line++;
    // An empty line, or a spreadsheet's empty row (delimiters only): nothing to read, nothing wrong.
    if (!scanned && fields.every((f) => f === '')) return;
    this.read.rowsRead++;
    // The row as a whole cannot be read: its fields are a guess, or not the header's.
    const unread = strayQuote
      ? 'has a stray quote: a quote inside a quoted field must be doubled ("")'
      : fields.length !== this.columns
        ? `has ${fields.length} fields where the header has ${this.columns}`
        : null;
    if (unread !== null) {
      this.read.reject(this.name, { line: this.line, column: '(row)', valueClass: 'text', reason: unread });
      return;
    }
    try {
      const problem = this.reader.row(fields, this.line, this.read.sink);
      if (problem) this.read.reject(this.name, problem);
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e;
      this.read.reject(this.name, { line: this.line, ...e.problem });
    }
  }
}

/** The state of one upload being read. */
class ExportReading {
  bytes = 0;
  /** The text read, uncompressed: bounded by maxBytes as the upload is. */
  textBytes = 0;
  parts = 0;
  rowsRead = 0;
  rowsRejected = 0;
  readonly rowErrors: RowError[] = [];
  format: CsvFormat | undefined;
  run: FormatRun | undefined;

  constructor(
    readonly options: ReadOptions,
    readonly sink: TicketSink,
  ) {}

  /** A part's header row: picks the format (first part) and binds the part to it. */
  bind(header: Header, name: string): PartReader {
    if (this.format === undefined) {
      const { formats, format } = this.options;
      const chosen =
        format === 'auto'
          ? formats.find((f) =>
              [f.signature, f.altSignature ?? ['\u0000']].some((sig) =>
                sig.every((h) => header.index(h) >= 0),
              ),
            )
          : formats.find((f) => f.id === format);
      if (chosen === undefined) throw unknownFormat(formats, header);
      this.format = chosen;
      this.run = chosen.begin({ timezone: this.options.timezone });
    }
    return (this.run as FormatRun).part(header, name);
  }

  reject(file: string, problem: RowProblem): void {
    this.rowsRejected++;
    if (this.rowErrors.length < MAX_ROW_ERRORS) this.rowErrors.push({ file, ...problem });
  }
}

/** Keeps the last bytes of a zip, where its end-of-central-directory record must be. */
class ZipTail {
  private tail = new Uint8Array(0);
  push(b: Uint8Array): void {
    const keep = 65_557;
    const joined = new Uint8Array(Math.min(keep, this.tail.length + b.length));
    const fromTail = Math.max(0, joined.length - b.length);
    joined.set(this.tail.subarray(this.tail.length - fromTail), 0);
    joined.set(b.subarray(Math.max(0, b.length - (joined.length - fromTail))), fromTail);
    this.tail = joined;
  }
  hasEnd(): boolean {
    const t = this.tail;
    for (let i = t.length - 22; i >= 0; i--) {
      if (t[i] === 0x50 && t[i + 1] === 0x4b && t[i + 2] === 0x05 && t[i + 3] === 0x06) return true;
    }
    return false;
  }
}

/** Feeds one uploaded file (plain, or zip of CSV parts) into the reading. */
async function readFile(
  reading: ExportReading,
  name: string,
  source: AsyncIterable<Uint8Array>,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length < 4) {
    const more = await iterator.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done || first.value.length === 0) {
    throw new ImportFileError('empty_file', `${name} is empty`);
  }
  const head = first.value;
  const counted = (async function* () {
    for (let next: IteratorResult<Uint8Array> = first; !next.done; next = await iterator.next()) {
      reading.bytes += next.value.length;
      if (reading.bytes > reading.options.maxBytes) {
        throw new ImportFileError('file_too_large', `the upload is over ${reading.options.maxBytes} bytes`);
      }
      reading.options.onProgress?.({ bytes: reading.bytes, rows: reading.rowsRead });
      yield next.value;
    }
  })();
  if (startsWith(head, ZIP)) return readZip(reading, name, counted);

  const gzipped = startsWith(head, GZIP);
  const part = new CsvPart(name.replace(/\.gz$/i, ''), reading);
  reading.parts++;
  // pipeline, not pipe: an upload that fails (cut off, over the limit) fails the gunzip with its error, rather
  // than leaving it unhandled on a stream nobody listens to.
  const text: AsyncIterable<Uint8Array> = gzipped
    ? pipeline(Readable.from(slices(counted)), createGunzip(), () => undefined)
    : counted;
  try {
    for await (const chunk of text) {
      part.push(chunk, false);
      await reading.options.drain?.();
    }
  } catch (e) {
    if (e instanceof ImportFileError || !gzipped) throw e;
    throw new ImportFileError('truncated_file', `${name} is not a complete gzip file: upload it again`);
  }
  part.push(new Uint8Array(0), true);
}

/**
 * What a zip or gzip is fed at a time. Both inflate all they are given at once, and deflate expands up to ~1,032×:
 * 256 KiB of a bomb (the CLI's read) could be 264 MB of text before the limit on the text is checked; 16 KiB at a
 * time holds it to ~16 MB. Measured on a 486 KB zip of 200 MB, with a 10 MB limit and the shipped node flags: the
 * refusal's peak RSS rose 75 MB over the process's idle instead of 192.
 */
const SLICE = 16 * 1024;

function* slicesOf(chunk: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < chunk.length; at += SLICE) yield chunk.subarray(at, at + SLICE);
}

async function* slices(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield* slicesOf(chunk);
}

async function readZip(
  reading: ExportReading,
  name: string,
  source: AsyncIterable<Uint8Array>,
): Promise<void> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const tail = new ZipTail();
  // Set by the entry callbacks below, which cannot throw through fflate.
  const state: { failure: Error | undefined } = { failure: undefined };
  let csvEntries = 0;
  let open: { part: CsvPart; done: boolean } | undefined;
  unzip.onfile = (file) => {
    const base = file.name.split('/').pop() ?? file.name;
    if (!/\.csv$/i.test(base) || file.name.startsWith('__MACOSX/') || base.startsWith('.')) return;
    csvEntries++;
    reading.parts++;
    const entry = { part: new CsvPart(base, reading), done: false };
    open = entry;
    file.ondata = (err, data, final) => {
      if (state.failure !== undefined) return;
      try {
        if (err)
          throw new ImportFileError('truncated_file', `${name} is damaged in ${base}: upload it again`);
        entry.part.push(data, final);
        if (final) entry.done = true;
      } catch (e) {
        state.failure = e instanceof Error ? e : new Error(String(e));
      }
    };
    file.start();
  };
  for await (const chunk of source) {
    tail.push(chunk);
    for (const slice of slicesOf(chunk)) {
      try {
        unzip.push(slice);
      } catch {
        throw new ImportFileError('truncated_file', `${name} is not a complete zip file: upload it again`);
      }
      if (state.failure !== undefined) throw state.failure;
    }
    await reading.options.drain?.();
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch {
    throw new ImportFileError('truncated_file', `${name} is not a complete zip file: upload it again`);
  }
  if (state.failure !== undefined) throw state.failure;
  if (!tail.hasEnd() || (open !== undefined && !open.done)) {
    throw new ImportFileError('truncated_file', `${name} is cut short (no end of the zip): upload it again`);
  }
  if (csvEntries === 0) throw new ImportFileError('unsupported_file', `${name} holds no .csv file`);
}

/**
 * Reads every file of an upload into `sink` and says what was read. Throws an ImportFileError for a file that
 * cannot be imported at all.
 */
export async function readExport(
  files: AsyncIterable<{ name: string; body: AsyncIterable<Uint8Array> }>,
  sink: TicketSink,
  options: ReadOptions,
): Promise<ReadResult> {
  const reading = new ExportReading(options, sink);
  const fileNames: string[] = [];
  for await (const f of files) {
    fileNames.push(f.name);
    await readFile(reading, f.name, f.body);
  }
  if (reading.format === undefined || reading.run === undefined) {
    throw new ImportFileError('empty_file', 'the upload holds no CSV');
  }
  reading.run.finish(sink);
  if (reading.rowsRead === 0) {
    throw new ImportFileError('no_rows', 'the file has a header row but no rows');
  }
  return {
    format: reading.format,
    fileNames,
    run: reading.run,
    bytes: reading.bytes,
    parts: reading.parts,
    rowsRead: reading.rowsRead,
    rowsRejected: reading.rowsRejected,
    rowErrors: reading.rowErrors,
  };
}
