/*
 * The fast path of reading CSV text (ARCHITECTURE.md, "CSV import"): records that are strictly well-formed
 * (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180 §2: a quoted field is `"` … `"` with `""` for a quote
 * inside; an unquoted field holds no quote, delimiter or line break) and have exactly the header's number of
 * fields. On such a record every CSV parser agrees, papaparse included. Anything else — a stray quote, a short
 * or long row, a CR where LF ends lines, spaces after a closing quote, an empty line or one of delimiters only
 * (a spreadsheet's empty row, skipped as an empty line is) — is an anomaly: the scan
 * stops at the start of that record and the caller hands the text from there to papaparse, so a malformed row
 * is read (and rejected, with its row number) exactly as before.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface ScanStop {
  /** Where the scan stopped: the start of the first record it did not read (`text.length` when none). */
  at: number;
  /** True: the record at `at` is not well-formed. False: it is cut off by the end of the text (or there is none). */
  anomaly: boolean;
}

/**
 * Reads the well-formed records of `text` from `from` on, each into `fields` (overwritten, one array for all
 * records) and then `onRecord()`. `delimiter` is a char code; `crlf`: records end with CR LF, else LF.
 * `columns` must be at least 2 (a lone empty field would be an empty line).
 */
export function scanRecords(
  text: string,
  from: number,
  delimiter: number,
  crlf: boolean,
  columns: number,
  wanted: Uint8Array,
  fields: string[],
  onRecord: () => void,
): ScanStop {
  const n = text.length;
  const last = columns - 1;
  let pos = from;
  for (;;) {
    const start = pos;
    if (pos >= n) return { at: start, anomaly: false };
    // Whether a field of the record holds anything: a record of empty fields only is an anomaly.
    let filled = false;
    for (let f = 0; f <= last; f++) {
      if (pos >= n) return { at: start, anomaly: false };
      let c = text.charCodeAt(pos);
      if (c === QUOTE) {
        const open = pos + 1;
        let q = text.indexOf('"', open);
        let escaped = false;
        for (;;) {
          // Unterminated here, or a quote at the very end (`""` or the closing one?): more text decides.
          if (q < 0 || q + 1 >= n) return { at: start, anomaly: false };
          if (text.charCodeAt(q + 1) !== QUOTE) break;
          escaped = true;
          q = text.indexOf('"', q + 2);
        }
        if (wanted[f] === 1)
          fields[f] = escaped ? text.slice(open, q).replaceAll('""', '"') : text.slice(open, q);
        if (q > open) filled = true;
        pos = q + 1;
        c = text.charCodeAt(pos);
      } else {
        let p = pos;
        while (c !== delimiter && c !== LF && c !== CR && c !== QUOTE) {
          if (++p >= n) return { at: start, anomaly: false };
          c = text.charCodeAt(p);
        }
        if (wanted[f] === 1) fields[f] = text.slice(pos, p);
        if (p > pos) filled = true;
        pos = p;
      }
      if (f < last) {
        if (c !== delimiter) return { at: start, anomaly: true };
        pos++;
      } else if (crlf) {
        if (c !== CR) return { at: start, anomaly: true };
        if (pos + 1 >= n) return { at: start, anomaly: false };
        if (text.charCodeAt(pos + 1) !== LF) return { at: start, anomaly: true };
        pos += 2;
      } else {
        if (c !== LF) return { at: start, anomaly: true };
        pos++;
      }
    }
    if (!filled) return { at: start, anomaly: true };
    onRecord();
  }
}
