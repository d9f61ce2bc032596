import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { toImportDto, type ImportDto } from '../contracts/imports.ts';
import { toMetricsResponse } from '../contracts/metrics.ts';
import { runImport } from '../domain/imports.ts';
import { listCurrent } from '../domain/snapshots.ts';
import { AppError } from '../lib/app-error.ts';
import type { ImportFormat, MetricValues } from '../metrics/types.ts';
import { withConnections } from './connections.ts';
import type { CliContext } from './context.ts';
import { resolveWorkspace } from './identity.ts';
import { formatMetricsTable } from './metrics.ts';

export interface ImportOptions {
  format: ImportFormat | 'auto';
  timezone?: string;
  asOf?: string;
  dryRun?: boolean;
  strict?: boolean;
  workspace?: string;
  json?: boolean;
}

const mib = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Bytes and rows as they stream, on stderr while there is a terminal to draw on. */
function importProgress(total: number) {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: 'importing [{bar}] {percentage}% | {read} of {size} | {rows} rows',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(total, 0, { read: mib(0), size: mib(total), rows: 0 });
  return {
    update: (p: { bytes: number; rows: number }) =>
      bar.update(p.bytes, { read: mib(p.bytes), size: mib(total), rows: p.rows.toLocaleString('en') }),
    stop: () => bar.stop(),
  };
}

function summary(r: ImportDto): string {
  const lines = [
    `${r.state === 'dry_run' ? 'dry run of' : 'imported'} ${r.fileName ?? 'the file'} as ${r.format} (${r.parts} part${r.parts === 1 ? '' : 's'}, ${mib(r.bytes)})`,
    `  rows read ${r.rows.read} · accepted ${r.rows.accepted} · rejected ${r.rows.rejected} · duplicate ${r.rows.duplicate}`,
    `  period ${r.period ? `${r.period.from} … ${r.period.to}` : '—'} · as of ${r.asOf ?? '—'}`,
    ...r.rowErrors
      .slice(0, 10)
      .map((e) => `  ${e.file}:${e.line} ${e.column} (${e.valueClass}): ${e.reason}`),
    ...(r.rows.rejected > 10
      ? [`  … and ${r.rows.rejected - 10} more rejected rows (GET /imports/${r.id})`]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** `deskpulse import FILE`: the same import as POST /imports, in this process, with a progress bar. */
export async function runImportCommand(ctx: CliContext, file: string, opts: ImportOptions): Promise<void> {
  const found = await stat(file).catch(() => {
    throw new AppError('not_found', `no file ${file}`);
  });
  if (!found.isFile())
    throw new AppError('invalid_file', `${file} is not a file: give the export's own file`);
  const size = found.size;
  await withConnections(ctx, async (deps, database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const bar = importProgress(size);
    let record;
    try {
      record = await runImport(
        { db: deps.db, jobs: undefined, logger: ctx.logger, maxBytes: ctx.config.imports.maxBytes },
        {
          workspaceId,
          actor: { kind: 'system', label: 'deskpulse import (cli)' },
          format: opts.format,
          timezone: opts.timezone ?? null,
          asOf: opts.asOf ?? null,
          dryRun: opts.dryRun === true,
          strict: opts.strict === true,
        },
        (async function* () {
          yield { name: path.basename(file), body: createReadStream(file, { highWaterMark: 256 * 1024 }) };
        })(),
        (p) => bar.update(p),
      );
    } finally {
      bar.stop();
    }
    const dto = toImportDto(record);
    // The body of GET /imports/:id.
    if (opts.json) return void process.stdout.write(`${JSON.stringify(dto, null, 2)}\n`);
    process.stdout.write(summary(dto));
    if (dto.state === 'dry_run' && dto.metrics) {
      // What the import would serve; nothing of it was kept.
      const table = formatMetricsTable(
        `dry run — as of ${dto.asOf ?? '—'}, nothing stored`,
        dto.metrics as MetricValues,
        dto.notMeasured ?? {},
      );
      return void process.stdout.write(`\n${table}`);
    }
    if (record.state !== 'succeeded') return;
    const row = toMetricsResponse(await listCurrent(deps.db, workspaceId)).providers.find(
      (p) => p.source.id === record.sourceId,
    );
    if (row) {
      process.stdout.write(
        `\n${formatMetricsTable(`import — measured ${row.measuredAt}`, row.metrics, row.notMeasured)}`,
      );
    }
  });
}
