import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ImportFileError, type CsvFormat, type RowProblem } from '../metrics/imports.ts';
import { endsMidCharacter, readExport } from './reader.ts';

/*
 * The reader's fast path (csv-scan.ts) against papaparse alone with the reader's rules, the way the reader read
 * every file before it had a fast path: for any text, cut anywhere, the same rows with the same row numbers, the
 * same rejections and the same refusals. Malformed text is the point: stray quotes, short and long rows, CR and LF in odd places.
 */

const COLUMNS = ['id', 'a', 'b', 'c'];
const STRAY = 'has a stray quote: a quote inside a quoted field must be doubled ("")';
/** The columns the test format reads: `b` is left out, so the reader need not copy it. */
const READ = [0, 1, 3];

interface Read {
  rows: [number, string[]][];
  rejected: RowProblem[];
  error: string | null;
}

/** A format that keeps the columns it reads of every row it is given, with its row number. */
function recorder(into: Read): CsvFormat {
  return {
    id: 'generic',
    helpdesk: null,
    label: 'test',
    signature: ['id', 'a'],
    required: ['id'],
    docUrl: 'https://example.com',
    begin: () => ({
      part: (header) => {
        const columns = ['id', 'a', 'c'].map((name) => header.index(name));
        return {
          row(fields, line) {
            into.rows.push([line, columns.map((i) => fields[i] ?? '')]);
            return null;
          },
        };
      },
      finish() {},
      caps: () => ({ csatMeanScore: false, deflectionRate: false }),
      reasons: () => ({}),
      notes: () => ({}),
    }),
  };
}

async function viaReader(chunks: string[]): Promise<Read> {
  const enc = new TextEncoder();
  return viaReaderBytes(chunks.map((c) => enc.encode(c)));
}

async function viaReaderBytes(chunks: Uint8Array[]): Promise<Read> {
  const read: Read = { rows: [], rejected: [], error: null };
  const body = (async function* () {
    for (const c of chunks) yield c;
  })();
  const files = (async function* () {
    yield { name: 'f.csv', body };
  })();
  const sink = { ticket() {}, cover() {}, duplicate() {} };
  try {
    const result = await readExport(files, sink, {
      formats: [recorder(read)],
      format: 'auto',
      timezone: null,
      maxBytes: 1e9,
    });
    read.rejected = result.rowErrors.map(({ file: _file, ...p }) => p);
  } catch (e) {
    if (!(e instanceof ImportFileError)) throw e;
    read.error = e.code;
    read.rows = [];
    refusals.set(read, e.message);
  }
  return read;
}

/** The message of each refusal viaReader saw (kept out of Read, which is compared with viaPapaparse's). */
const refusals = new WeakMap<Read, string>();

/** The reader's rules on papaparse alone: papaparse over every chunk, the unread rest carried to the next. */
function viaPapaparse(chunks: string[]): Read {
  const read: Read = { rows: [], rejected: [], error: null };
  const whole = chunks.join('');
  const nl = whole.indexOf('\n');
  // The reader's rule: a CR LF header, unless the first row after it ends with LF alone.
  // The first row's end (its own copy here, so a slip in the reader's would show): the first LF outside quotes.
  const end = (() => {
    let quotes = 0;
    for (let i = nl + 1; i < whole.length; i++) {
      if (whole[i] === '"') quotes++;
      else if (whole[i] === '\n' && quotes % 2 === 0) return i;
    }
    return -1;
  })();
  const newline = whole.slice(0, nl).endsWith('\r') && (end < 0 || whole[end - 1] === '\r') ? '\r\n' : '\n';
  const parser = new Papa.Parser({ delimiter: ',', newline, quoteChar: '"' });
  let partial = '';
  let columns = -1;
  let line = 1;
  let rowsRead = 0;
  const all = [...chunks, ''];
  for (let i = 0; i < all.length; i++) {
    const final = i === all.length - 1;
    const input = partial + (all[i] as string);
    const r = parser.parse(input, 0, !final) as {
      data: string[][];
      errors: { code: string; row: number }[];
      meta: { cursor: number };
    };
    partial = final ? '' : input.slice(r.meta.cursor);
    const stray = new Set(r.errors.filter((e) => e.code === 'InvalidQuotes').map((e) => e.row));
    for (const [at, fields] of r.data.entries()) {
      if (columns < 0) {
        if (fields.every((f) => f.trim() === '')) continue;
        columns = fields.length;
        continue;
      }
      line++;
      if (fields.every((f) => f === '')) continue;
      rowsRead++;
      const unread = stray.has(at)
        ? STRAY
        : fields.length !== columns
          ? `has ${fields.length} fields where the header has ${columns}`
          : null;
      if (unread !== null) read.rejected.push({ line, column: '(row)', valueClass: 'text', reason: unread });
      else read.rows.push([line, READ.map((i) => fields[i] ?? '')]);
    }
    if (final && r.errors.some((e) => e.code === 'MissingQuotes')) {
      return { rows: [], rejected: [], error: 'malformed_csv' };
    }
  }
  if (rowsRead === 0) return { rows: [], rejected: [], error: 'no_rows' };
  return read;
}

/** A small seeded generator (mulberry32), so a failure names the seed that shows it. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
}

const ALPHABET = ['a', 'b', 'é', ' ', ',', '"', '\n', '\r\n', '1', '-'];

function csvText(seed: number): string {
  const r = random(seed);
  const eol = r.next() < 0.3 ? '\r\n' : '\n';
  const field = () => {
    let v = '';
    for (let i = r.int(6); i > 0; i--) v += r.pick(ALPHABET);
    const quoted = r.next() < 0.5 || /[",\r\n]/.test(v);
    return quoted ? `"${v.replaceAll('"', '""')}"` : v;
  };
  let text = COLUMNS.join(',') + eol;
  for (let i = r.int(30) + 1; i > 0; i--) text += COLUMNS.map(field).join(',') + eol;
  // The damage: a stray quote, a lost delimiter or line end, an extra one, a lone CR, spaces, an empty line, a
  // row of empty fields (a spreadsheet's empty row, quoted or not).
  const header = text.indexOf(eol) + eol.length;
  for (let m = r.int(4); m > 0; m--) {
    const at = header + r.int(text.length - header);
    const damage = r.pick(['"', '', ',', '\n', '\r', '  ', eol, '""', `,,,${eol}`, `"","","",""${eol}`]);
    const cut = damage === '' ? 1 : r.next() < 0.3 ? 1 : 0;
    text = text.slice(0, at) + damage + text.slice(at + cut);
  }
  if (r.next() < 0.3) text = text.slice(0, text.length - eol.length);
  return text;
}

/** The text in random pieces; the first holds the whole header row, as an upload's first read does. */
function cut(text: string, seed: number): string[] {
  const r = random(seed * 7 + 1);
  const chunks: string[] = [];
  let at = text.indexOf('\n') + 1 + r.int(20);
  chunks.push(text.slice(0, at));
  while (at < text.length) {
    const n = 1 + r.int(r.next() < 0.5 ? 8 : 120);
    chunks.push(text.slice(at, at + n));
    at += n;
  }
  return chunks;
}

/** The text whole, in random pieces and a character at a time: the reader must read it alike every way. */
const everyWay = (text: string, seed: number): string[][] => [[text], cut(text, seed), [...text]];

describe('the CSV reader', () => {
  it('reads any text, cut anywhere, exactly as papaparse alone did (2,000 damaged files)', async () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const text = csvText(seed);
      const chunks = cut(text, seed);
      const [fast, reference] = [await viaReader(chunks), viaPapaparse(chunks)];
      if (JSON.stringify(fast) !== JSON.stringify(reference)) {
        expect({ seed, text, ...fast }).toEqual({ seed, text, ...reference });
      }
    }
  });

  it('rejects a row with a stray quote or a short line by its row number and keeps the rows around it', async () => {
    const text = [
      'id,a,b,c',
      '"1","x","y","z"',
      '"2","x"oops,"y","z"',
      '"3","x","y","z"',
      '"4","x","y"',
      '"5","multi',
      'line","y","z"',
      '"6","x","y","z"',
      '',
    ].join('\n');
    for (const chunks of everyWay(text, 3)) {
      const read = await viaReader(chunks);
      expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([
        [2, '1'],
        [4, '3'],
        [6, '5'],
        [7, '6'],
      ]);
      expect(read.rows[2]?.[1][1]).toBe('multi\nline');
      expect(read.rejected.map((p) => [p.line, p.reason])).toEqual([
        [3, STRAY],
        [5, 'has 3 fields where the header has 4'],
      ]);
    }
  });

  it("skips a spreadsheet's empty rows (delimiters only, or empty quoted fields) as it skips empty lines", async () => {
    const text = ['id,a,b,c', '"1","x","y","z"', ',,,', '"","","",""', '"2","x","y","z"', ',,,', ''].join(
      '\r\n',
    );
    for (const chunks of everyWay(text, 4)) {
      const read = await viaReader(chunks);
      expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([
        [2, '1'],
        [5, '2'],
      ]);
      expect(read.rejected).toEqual([]);
    }
    // Above the header too.
    const above = await viaReader([[',,,', '', 'id,a,b,c', '"1","x","y","z"', ''].join('\n')]);
    expect(above.rows.map(([, f]) => f[0])).toEqual(['1']);
    // A row with something in a column the format does not read is a row, not an empty one.
    const read = await viaReader([['id,a,b,c', '"1","x","y","z"', ',,y,', ''].join('\n')]);
    expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([
      [2, '1'],
      [3, ''],
    ]);
  });

  it('reads LF rows under a CR LF header, and names CR-only line ends', async () => {
    const text = ['id,a,b,c\r', '"1","x","y","z"', '"2","x","y","z"', ''].join('\n');
    for (const chunks of everyWay(text, 6)) {
      const read = await viaReader(chunks);
      expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([
        [2, '1'],
        [3, '2'],
      ]);
      expect(read.rejected).toEqual([]);
    }
    // A CR LF file whose fields break lines with LF inside quotes stays CR LF.
    const excel = ['id,a,b,c', '"1","two\nlines","y","z"', '"2","x","y","z"', ''].join('\r\n');
    expect((await viaReader([excel])).rows.map(([line, f]) => [line, f[1]])).toEqual([
      [2, 'two\nlines'],
      [3, 'x'],
    ]);
    const mac = await viaReader([['id,a,b,c', '1,x,y,z', '2,x,y,z', ''].join('\r')]);
    expect(mac.error).toBe('malformed_csv');
    expect(refusals.get(mac)).toMatch(/CR alone/);
  });

  it('names UTF-16 text as such: a file to save again as UTF-8', async () => {
    const utf16le = (s: string) => new Uint8Array(Buffer.from(`\ufeff${s}`, 'utf16le'));
    const withoutMark = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
    for (const bytes of [utf16le('id,a,b,c\n1,x,y,z\n'), withoutMark('id,a,b,c\n1,x,y,z\n')]) {
      const read = await viaReaderBytes([bytes]);
      expect(read.error).toBe('unsupported_file');
      expect(refusals.get(read)).toMatch(/is UTF-16 text: .* as CSV in UTF-8/);
    }
    const binary = await viaReaderBytes([
      Uint8Array.of(0x69, 0x64, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0a),
    ]);
    expect(refusals.get(binary)).toMatch(/holds binary data/);
  });

  it('rejects a stray quote in the last row, with or without a line break after it; refuses only a quote left open', async () => {
    const rows = ['id,a,b,c', '"1","x","y","z"', '"2","x"oops,"y","z"'];
    for (const text of [rows.join('\n'), `${rows.join('\n')}\n`]) {
      for (const chunks of [[text], cut(text, 5)]) {
        const read = await viaReader(chunks);
        expect(read.error).toBeNull();
        expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([[2, '1']]);
        expect(read.rejected.map((p) => [p.line, p.reason])).toEqual([[3, STRAY]]);
      }
    }
    const open = ['id,a,b,c', '"1","x","y","z"', '"2","x","y","z'].join('\n');
    expect((await viaReader([open])).error).toBe('malformed_csv');
  });

  it('rejects a row whose stray quote made papaparse guess its fields, even when the guess has the right count', async () => {
    // `"x"oops` opens a field that papaparse closes only at a later quote followed by a delimiter: row 3 swallows
    // line 4 and still counts 4 fields. Its values would be made up; it is rejected instead.
    const text = ['id,a,b,c', '1,x,y,z', '2,"x"oops,y', '3,"p",q,r', '4,x,y,z', ''].join('\n');
    for (const chunks of everyWay(text, 9)) {
      const read = await viaReader(chunks);
      expect(read.rows.map(([line, f]) => [line, f[0]])).toEqual([
        [2, '1'],
        [4, '4'],
      ]);
      expect(read.rejected.map((p) => [p.line, p.reason])).toEqual([[3, STRAY]]);
      expect(read).toEqual(viaPapaparse(chunks));
    }
  });

  it('refuses a file whose quote is never closed once the open record passes 4 MiB, not at its end', async () => {
    // Everything after `"x"oops` is one open field: without a bound, each chunk would read it all again.
    const rows = ['id,a,b,c', '1,"x"oops,y,z'];
    for (let i = 2; i < 250_000; i++) rows.push(`${i},plain,text,${i}`);
    const text = rows.join('\n');
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const chunks: string[] = [];
    for (let at = 0; at < text.length; at += 64 * 1024) chunks.push(text.slice(at, at + 64 * 1024));
    const read = await viaReader(chunks);
    expect(read.error).toBe('malformed_csv');
    expect(refusals.get(read)).toMatch(/record over 4 MiB: a quote in it is probably never closed/);
  });

  it('decodes UTF-8 cut anywhere in its bytes, ASCII pieces and multi-byte characters alike', async () => {
    const enc = new TextEncoder();
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      // Long ASCII stretches (the decoder's shortcut) around 2-, 3- and 4-byte characters.
      const word = () => r.pick(['plain', 'ascii', 'José', 'Zoë', '€100', '日本', '🙂ok', 'x']);
      let text = 'id,a,b,c\n';
      const expected: [number, string[]][] = [];
      for (let i = 0; i < 20; i++) {
        const [a, b, c] = [word() + word(), word(), word()];
        text += `"${i}","${a}",${b},"${c}"\n`;
        expected.push([i + 2, [String(i), a, c]]);
      }
      const bytes = enc.encode(text);
      const pieces: Uint8Array[] = [bytes.subarray(0, 9)];
      for (let at = 9; at < bytes.length;) {
        const n = 1 + r.int(r.next() < 0.5 ? 3 : 40);
        pieces.push(bytes.subarray(at, at + n));
        at += n;
      }
      const [cutRead, whole] = [await viaReaderBytes(pieces), await viaReaderBytes([bytes])];
      expect(cutRead.error).toBeNull();
      expect({ seed, ...cutRead }).toEqual({ seed, ...whole });
      expect(whole.rows).toEqual(expected);
    }
  });

  it('refuses bytes that are not UTF-8 or hold NUL, after ASCII pieces and at the very end', async () => {
    const enc = new TextEncoder();
    const head = enc.encode('id,a,b,c\n"1","x","y","z"\n');
    const cases: [string, Uint8Array[]][] = [
      ['a Latin-1 byte', [head, Uint8Array.of(0x22, 0x32, 0x22, 0x2c, 0xe9, 0x2c, 0x2c, 0x0a)]],
      ['a character cut off at the end', [head, enc.encode('"2","'), Uint8Array.of(0xe2, 0x82)]],
      ['a NUL in an ASCII piece', [head, Uint8Array.of(0x22, 0x32, 0x22, 0x00, 0x0a)]],
      ['a NUL after a multi-byte character', [head, enc.encode('"2","é'), Uint8Array.of(0x00, 0x0a)]],
    ];
    for (const [what, pieces] of cases) {
      expect({ what, error: (await viaReaderBytes(pieces)).error }).toEqual({
        what,
        error: 'unsupported_file',
      });
    }
  });

  it('drops a byte order mark at the start of the file only, whichever way the chunks before it were read', async () => {
    const enc = new TextEncoder();
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    const withBom = await viaReaderBytes([bom, enc.encode('id,a,b,c\n"1","x","y","z"\n')]);
    expect(withBom.rows).toEqual([[2, ['1', 'x', 'z']]]);
    // U+FEFF inside a field, at the start of a chunk that follows ASCII ones: part of the value.
    const inside = await viaReaderBytes([
      enc.encode('id,a,b,c\n"1","'),
      Uint8Array.of(...bom, 0x78),
      enc.encode('","y","z"\n'),
    ]);
    expect(inside.rows).toEqual([[2, ['1', '\ufeffx', 'z']]]);
  });

  it('tells whether bytes end inside a UTF-8 character', () => {
    const enc = new TextEncoder();
    const euro = enc.encode('€'); // e2 82 ac
    const smile = enc.encode('🙂'); // f0 9f 99 82
    expect(endsMidCharacter(enc.encode('abc'))).toBe(false);
    expect(endsMidCharacter(enc.encode('ab€'))).toBe(false);
    expect(endsMidCharacter(enc.encode('a🙂'))).toBe(false);
    expect(endsMidCharacter(euro.subarray(0, 1))).toBe(true);
    expect(endsMidCharacter(euro.subarray(0, 2))).toBe(true);
    expect(endsMidCharacter(smile.subarray(0, 3))).toBe(true);
    // Continuation bytes alone: the character began in an earlier chunk, so these bytes cannot tell.
    expect(endsMidCharacter(euro.subarray(1))).toBe(true);
    expect(endsMidCharacter(new Uint8Array(0))).toBe(true);
  });
});
