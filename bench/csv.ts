/**
 * CSV import against raw parsing, in one run. Generates Zendesk-format exports (the account "CSV export": 42
 * quoted columns) of 100,000 and 1,000,000 rows, then
 *  - baseline: streams each file from disk through uDSV, papaparse and csv-parse, counting rows and touching three
 *    columns, and keeps the fastest;
 *  - Deskpulse: a fresh `deskpulse serve` per import (embedded Postgres in a temp data dir), one `POST /imports`
 *    streaming the file over HTTP on loopback, timed until the answer (parse, validate, de-duplicate, store the
 *    digest, fold, commit), and the server's peak RSS (VmHWM) for the whole run;
 *  - BENCH_ROUNDS=3 rounds of both, taking turns (this machine's speed drifts from minute to minute): the median of
 *    each rate, and the highest peak.
 * Goals: import throughput ≥ 50 % of the fastest raw parse; peak RSS < 150 MB and flat from 100k to 1M rows.
 * BENCH_ROWS=100000,1000000 sets the sizes; BENCH_CPU_PROF=<dir> runs each server under `node --cpu-prof` and
 * leaves the profiles there.
 * Run: `npm run build && npm run bench:csv` (the server is the compiled dist/).
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { ZENDESK_EXPORT_HEADERS } from '../emulators/zendesk/export.ts';
import { freePort } from '../src/db/embedded.ts';
import { CPU_PROF_FLAGS, DESKPULSE_NODE_ENV, DESKPULSE_NODE_FLAGS, serverCommand } from './node-flags.ts';
import { median, wholeNumber } from './stats.ts';

const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const ROUNDS = wholeNumber('BENCH_ROUNDS', 3, 1);
const BIN = path.resolve('bin/deskpulse.js');
// The columns of a real Zendesk export, as the emulator writes them (emulators/zendesk/export.ts).
const HEADERS = ZENDESK_EXPORT_HEADERS;
const AGENTS = ['Ada Park', 'Ben Ito', 'Cleo Diaz', 'Dev Rao', 'Eli Moss', 'Fay Lund', 'Gus Obi', 'Hana Cho'];
const SUBJECTS = ['Login issue', 'Refund, order', 'Export broken', 'Billing "plan" question', 'Slow app'];
const STATUSES = ['Solved', 'Solved', 'Closed', 'Closed', 'Open', 'Pending', 'New', 'On-hold'];
const SCORES = ['Good', 'Good', 'Bad', 'Not Offered', 'Not Offered', 'Offered'];

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const minuteText = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const q = (v: string) => `"${v.replaceAll('"', '""')}"`;

/** A Zendesk-format export of `rows` tickets over 26 weeks before `now`, ~210 bytes a row. */
async function generate(file: string, rows: number, now: number): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`${HEADERS.map(q).join(',')}\n`);
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const span = 26 * 7 * 86_400_000;
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const created = now - Math.floor(rnd() * span);
    const status = STATUSES[Math.floor(rnd() * STATUSES.length)] as string;
    const solved = status === 'Solved' || status === 'Closed';
    const reply = rnd() < 0.92 ? Math.floor(rnd() * 600) : null;
    const updated = Math.min(now - 60_000, created + Math.floor(rnd() * 5 * 86_400_000));
    const agent = rnd() < 0.9 ? (AGENTS[Math.floor(rnd() * AGENTS.length)] as string) : '';
    const replies = solved ? 1 + Math.floor(rnd() * 3) : 0;
    const row = [
      '1',
      String(100000 + i),
      'Cust',
      String(900000 + i),
      '',
      '',
      '',
      'Cust',
      agent,
      'Support',
      SUBJECTS[i % SUBJECTS.length] as string,
      '',
      status,
      'Normal',
      'Web form',
      '',
      minuteText(created),
      minuteText(updated),
      '',
      '',
      '',
      '',
      solved ? minuteText(updated) : '',
      solved ? '3' : '',
      SCORES[Math.floor(rnd() * SCORES.length)] as string,
      '1',
      agent ? '1' : '0',
      rnd() < 0.05 ? '1' : '0',
      String(replies),
      reply === null ? '' : String(reply),
      reply === null ? '' : String(reply),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '0',
      '0',
      '-',
    ];
    batch += `${row.map(q).join(',')}\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  await new Promise<void>((r) => out.end(() => r()));
}

/** Rows per second of a raw streaming parse (64 KiB reads), touching three columns of each row. */
async function rawParse(name: string, file: string): Promise<number> {
  const start = performance.now();
  let rows = 0;
  let touched = 0;
  const touch = (r: readonly string[]) => {
    rows++;
    touched += (r[1]?.length ?? 0) + (r[16]?.length ?? 0) + (r[24]?.length ?? 0);
  };
  const source = () => createReadStream(file, { highWaterMark: 64 * 1024 });
  if (name === 'uDSV') {
    const dec = new TextDecoder();
    let parser: ReturnType<typeof initParser> | undefined;
    let head = '';
    let carry = '';
    for await (const b of source()) {
      let s = carry + dec.decode(b as Buffer, { stream: true });
      carry = '';
      // uDSV mis-reads a CRLF split across chunks: hold a trailing CR back.
      if (s.endsWith('\r')) {
        carry = '\r';
        s = s.slice(0, -1);
      }
      if (!parser) {
        head += s;
        if (!head.includes('\n')) continue;
        parser = initParser(inferSchema(head, { col: ',', encl: '"' }));
        s = head;
      }
      // uDSV calls back once per row.
      parser.chunk<string[]>(s, parser.stringArrs, (row) => touch(row));
    }
    parser?.chunk<string[]>(carry + dec.decode(), parser.stringArrs, (row) => touch(row));
    parser?.end();
  } else if (name === 'papaparse') {
    const dec = new TextDecoder();
    const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
    let partial = '';
    const take = (input: string, last: boolean) => {
      const r = parser.parse(input, 0, !last) as { data: string[][]; meta: { cursor: number } };
      for (const row of r.data) if (row.length > 1) touch(row);
      partial = last ? '' : input.slice(r.meta.cursor);
    };
    for await (const b of source()) take(partial + dec.decode(b as Buffer, { stream: true }), false);
    take(partial + dec.decode(), true);
  } else {
    for await (const r of source().pipe(csvParse({ bom: true }))) touch(r as string[]);
  }
  if (touched === 0) throw new Error(`${name} read nothing`);
  return (rows - 1) / ((performance.now() - start) / 1000);
}

const run = promisify(execFile);

/** One fresh server, one import of `file` over HTTP: seconds, rows accepted and the server's peak RSS. */
const kb = (v: string | undefined) => Number(v ?? NaN);

async function importOnce(
  file: string,
): Promise<{ seconds: number; rows: number; peakMb: number; idleMb: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-csv-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  // As in production (NODE_ENV=production never runs the sandbox helpdesks, src/config): their demo datasets
  // would sit in the server's memory beside the import.
  const env = {
    ...process.env,
    ...DESKPULSE_NODE_ENV,
    DESKPULSE_DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DESKPULSE_SANDBOX: '0',
  };
  const server = spawn(process.execPath, [...DESKPULSE_NODE_FLAGS, ...CPU_PROF_FLAGS, BIN, 'serve'], {
    env,
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break;
      if (i > 600) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { stdout } = await run(
      process.execPath,
      [BIN, 'workspace', 'create', '--name', 'Bench', '--owner-email', 'bench@example.com'],
      { env },
    );
    const key = stdout.trim();
    const size = (await stat(file)).size;
    const idleMb =
      kb(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;
    const start = performance.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${base}/imports?timezone=UTC`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'text/csv',
            'content-length': String(size),
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () =>
            res.statusCode === 201 ? resolve(body) : reject(new Error(`${res.statusCode} ${body}`)),
          );
        },
      );
      req.on('error', reject);
      createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(req);
    });
    const seconds = (performance.now() - start) / 1000;
    const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
    const peakMb = kb(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
    const imported = JSON.parse(answer) as { rows: { accepted: number } };
    return { seconds, rows: imported.rows.accepted, peakMb, idleMb };
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-files-'));
const results: {
  rows: number;
  mb: number;
  fastest: string;
  rawRate: number;
  rate: number;
  peakMb: number;
  idleMb: number;
}[] = [];
try {
  for (const rows of SIZES) {
    const file = path.join(dir, `zendesk-${rows}.csv`);
    await generate(file, rows, Date.UTC(2026, 10, 18, 15, 30));
    const mb = (await stat(file)).size / 1e6;
    // Rounds of raw parses and an import, taking turns: the medians stand for the size, and the highest peak.
    const raw: Record<string, number[]> = { uDSV: [], papaparse: [], 'csv-parse': [] };
    const rates: number[] = [];
    const peaks: number[] = [];
    const idles: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, got] of Object.entries(raw)) got.push(await rawParse(name, file));
      const imported = await importOnce(file);
      rates.push(imported.rows / imported.seconds);
      peaks.push(imported.peakMb);
      idles.push(imported.idleMb);
      const last = (name: string) => Math.round(raw[name]?.at(-1) ?? 0);
      console.log(
        `${rows} rows (${mb.toFixed(0)} MB), round ${round}: raw uDSV ${last('uDSV')}/s, papaparse ${last('papaparse')}/s, ` +
          `csv-parse ${last('csv-parse')}/s; import ${imported.seconds.toFixed(2)} s, ` +
          `${Math.round(imported.rows / imported.seconds)} rows/s, server RSS idle ${imported.idleMb.toFixed(0)} MB, peak ${imported.peakMb.toFixed(0)} MB`,
      );
    }
    const [fastest, rawRate] = Object.entries(raw)
      .map(([name, got]) => [name, median(got)] as [string, number])
      .sort((a, b) => b[1] - a[1])[0] as [string, number];
    results.push({
      rows,
      mb,
      fastest,
      rawRate,
      rate: median(rates),
      peakMb: Math.max(...peaks),
      idleMb: median(idles),
    });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const f = (n: number, d = 2) => n.toFixed(d);
console.log(`\nbench/csv — ${os.cpus().length} cores, node ${process.version}`);
console.log(`server: ${serverCommand('(DESKPULSE_SANDBOX=0)')}`);
console.log(`${ROUNDS} round(s) a size: median rates, the highest peak (BENCH_ROUNDS sets the count)`);
console.log(
  'rows       MB   fastest raw parse      import rows/s  ratio  goal    server RSS idle → peak (import adds)',
);
for (const r of results) {
  const ratio = r.rate / r.rawRate;
  console.log(
    `${String(r.rows).padEnd(9)}  ${f(r.mb, 0).padStart(3)}  ${r.fastest.padEnd(9)} ${String(Math.round(r.rawRate)).padStart(8)}/s  ` +
      `${String(Math.round(r.rate)).padStart(9)}/s  ${f(ratio)}×  ≥ 0.50 ${ratio >= 0.5 ? 'met' : 'NOT MET'}   ` +
      `${f(r.idleMb, 0)} → ${f(r.peakMb, 0)} MB (+${f(r.peakMb - r.idleMb, 0)})  < 150 MB ${r.peakMb < 150 ? 'met' : 'NOT MET'}`,
  );
}
if (results.length >= 2) {
  const first = results[0] as (typeof results)[number];
  const last = results[results.length - 1] as (typeof results)[number];
  console.log(
    `peak RSS at ${last.rows} / ${first.rows} rows: ${f(last.peakMb / first.peakMb)}× (flat: ≤ 1.20×) ${last.peakMb / first.peakMb <= 1.2 ? 'met' : 'NOT MET'}`,
  );
}
process.exit(0);
