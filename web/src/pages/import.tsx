import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { Link } from 'wouter';
import type { ImportDto } from '../../../src/contracts/imports.ts';
import { api, asApiError, upload, type ApiError } from '../api.ts';
import { Confirm } from '../components/dialog.tsx';
import { Empty, ErrorState, Loading, Notice } from '../components/states.tsx';
import { TableScroll } from '../components/table.tsx';
import { dateTime, formatValue, METRICS, timeZones } from '../format.ts';
import { canWrite, useMe } from '../session.ts';

interface FormatInfo {
  id: string;
  helpdesk: string | null;
  label: string;
  requiredHeaders: string[];
  docUrl: string;
}

const ZONES = timeZones();

/** The rows an import error lists (`file:line:column`), not the parameter it asks for. */
const rowsOf = (e: ApiError) => e.details.filter((d) => d.path !== 'timezone');

const mib = (b: number) =>
  b < 1024 * 1024 ? `${Math.ceil(b / 1024)} KiB` : `${(b / 1024 / 1024).toFixed(1)} MiB`;

function Summary({ r }: { r: ImportDto }) {
  return (
    <div className="card">
      <h2>{r.state === 'dry_run' ? 'Preview (nothing stored yet)' : 'Imported'}</h2>
      <dl className="facts">
        <dt>Detected format</dt>
        <dd>{r.format ?? '—'}</dd>
        <dt>Rows</dt>
        <dd>
          {r.rows.read} read · {r.rows.accepted} accepted · {r.rows.rejected} rejected · {r.rows.duplicate}{' '}
          duplicate
        </dd>
        <dt>Covers</dt>
        <dd>{r.period ? `${dateTime(r.period.from)} – ${dateTime(r.period.to)}` : '—'}</dd>
        <dt>As of</dt>
        <dd>{r.asOf ? dateTime(r.asOf) : '—'}</dd>
      </dl>
      {r.metrics && (
        <ul className="mini-metrics">
          {METRICS.filter((m) => m.key !== 'utilisation').map((m) => {
            const v = r.metrics?.[m.key] ?? null;
            return (
              <li key={m.key}>
                <span className="mini-label">{m.label}</span>
                <span className="mini-value">{v === null ? 'not measured' : formatValue(m.unit, v)}</span>
              </li>
            );
          })}
        </ul>
      )}
      {r.notes && Object.keys(r.notes).length > 0 && (
        <ul className="notes">
          {Object.entries(r.notes).map(([k, v]) => (
            <li key={k}>
              <strong>{METRICS.find((m) => m.key === k)?.label ?? k}:</strong> {v}
            </li>
          ))}
        </ul>
      )}
      {r.rowErrors.length > 0 && <RowErrors errors={r.rowErrors} rejected={r.rows.rejected} />}
    </div>
  );
}

function RowErrors({ errors, rejected }: { errors: ImportDto['rowErrors']; rejected: number }) {
  return (
    <TableScroll label="Rejected rows">
      <table className="table">
        <caption>
          Rejected rows{rejected > errors.length ? ` (the first ${errors.length} of ${rejected})` : ''}: the
          good rows are kept
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr key={`${e.file}:${e.line}:${e.column}`}>
              <td>{e.file}</td>
              <td className="num">{e.line}</td>
              <td>{e.column}</td>
              <td>{e.valueClass}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function History() {
  const list = useQuery({ queryKey: ['imports'], queryFn: () => api<{ imports: ImportDto[] }>('/imports') });
  const queries = useQueryClient();
  const [deleting, setDeleting] = useState<ImportDto | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api(`/imports/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setDeleting(null);
      for (const key of ['imports', 'metrics', 'history', 'agents'])
        void queries.invalidateQueries({ queryKey: [key] });
    },
  });
  if (list.isPending) return <Loading what="past imports" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  if (list.data.imports.length === 0) return <Empty title="No imports yet" />;
  return (
    <>
      <TableScroll label="Past imports">
        <table className="table">
          <caption>Past imports, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">
                Rows accepted
              </th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.imports.map((i) => (
              <tr key={i.id}>
                <td>{dateTime(i.createdAt)}</td>
                <td>{i.fileName ?? '—'}</td>
                <td>{i.format ?? '—'}</td>
                <td>
                  {i.state === 'failed'
                    ? `failed: ${i.error?.message ?? ''}`
                    : i.state === 'dry_run'
                      ? 'dry run'
                      : 'imported'}
                </td>
                <td className="num">{i.rows.accepted}</td>
                <td>
                  <button type="button" className="button button-quiet" onClick={() => setDeleting(i)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete this import?"
        description="Its numbers are removed; if it continued an earlier import of the same export, that one comes back."
        action="Delete import"
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        error={remove.error}
      />
    </>
  );
}

export default function Import() {
  const me = useMe();
  const writable = canWrite(me.data);
  const formats = useQuery({
    queryKey: ['import-formats'],
    queryFn: () => api<{ formats: FormatInfo[]; maxBytes: number }>('/imports/formats'),
  });
  const queries = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('auto');
  const [timezone, setTimezone] = useState('');
  const [needsZone, setNeedsZone] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [result, setResult] = useState<ImportDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [over, setOver] = useState(false);

  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setResult(null);
    setError(null);
  };
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    const q = new URLSearchParams({ format, dryRun: String(dryRun) });
    if (timezone) q.set('timezone', timezone);
    setProgress({ sent: 0, total: file.size });
    try {
      const r = await upload<ImportDto>(`/imports?${q.toString()}`, file, (sent, total) =>
        setProgress({ sent, total }),
      ).done;
      setResult(r);
      setNeedsZone(false);
      if (!dryRun)
        for (const key of ['imports', 'metrics', 'history', 'agents'])
          void queries.invalidateQueries({ queryKey: [key] });
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      setResult(null);
      setNeedsZone(err.details.some((d) => d.path === 'timezone'));
      void queries.invalidateQueries({ queryKey: ['imports'] });
    } finally {
      setProgress(null);
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    choose(e.dataTransfer.files[0]);
  };

  return (
    <>
      <h1>Import</h1>
      <p className="lede">
        Import the export your helpdesk already produces. The file is read as it uploads and never stored:
        only the numbers are kept, as a source of their own beside any connection.{' '}
        <a href="/docs#/Imports">API</a> · <a href="/imports/template.csv">generic template</a>
      </p>
      {!writable ? (
        <Notice tone="info">Owners and admins import files and see past imports.</Notice>
      ) : (
        <div className="card">
          <div
            className={`dropzone${over ? ' dropzone-over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={drop}
          >
            <p>
              {file ? (
                <>
                  <strong>{file.name}</strong> ({mib(file.size)})
                </>
              ) : (
                'Drop a .csv, .csv.gz or .zip here'
              )}
            </p>
            <button type="button" className="button button-quiet" onClick={() => input.current?.click()}>
              {file ? 'Choose another file' : 'Choose a file'}
            </button>
            <input
              ref={input}
              type="file"
              className="visually-hidden"
              aria-label="Export file"
              accept=".csv,.gz,.zip,text/csv,application/zip,application/gzip"
              onChange={(e) => choose(e.target.files?.[0])}
            />
          </div>
          <div className="form-row">
            <label className="field-inline">
              <span>Format</span>
              <select value={format} onChange={(e) => setFormat(e.target.value)}>
                <option value="auto">Recognise from the headers</option>
                {formats.data?.formats.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
            <label className={`field-inline${needsZone ? ' field-attention' : ''}`}>
              <span>Timezone of the file{needsZone ? ' (required for this file)' : ''}</span>
              <select value={timezone} onChange={(e) => setTimezone(e.target.value)} aria-invalid={needsZone}>
                <option value="">From the file</option>
                {ZONES.map((z) => (
                  <option key={z}>{z}</option>
                ))}
              </select>
            </label>
          </div>
          {progress && (
            <div className="progress-line" aria-live="polite">
              <progress max={progress.total} value={progress.sent} aria-label="Upload" />
              <span>
                {mib(progress.sent)} of {mib(progress.total)}
              </span>
            </div>
          )}
          {error && (
            <Notice tone="error">
              {error.message}
              {rowsOf(error).length > 0 && ` (${rowsOf(error).length} rows listed below)`}
            </Notice>
          )}
          {error && rowsOf(error).length > 0 && (
            <ul className="notes">
              {rowsOf(error)
                .slice(0, 20)
                .map((d) => (
                  <li key={d.path}>
                    {d.path}: {d.message}
                  </li>
                ))}
            </ul>
          )}
          <div className="actions">
            <button
              type="button"
              className="button button-quiet"
              disabled={!file || progress !== null}
              onClick={() => void send(true)}
            >
              Preview (dry run)
            </button>
            <button
              type="button"
              className="button"
              disabled={!file || progress !== null}
              onClick={() => void send(false)}
            >
              Import
            </button>
          </div>
        </div>
      )}
      {result && <Summary r={result} />}
      {result?.state === 'succeeded' && (
        <p>
          <Link href={`/?source=${encodeURIComponent(result.sourceId ?? '')}`}>
            See the imported numbers on the overview
          </Link>
        </p>
      )}
      {writable && (
        <>
          <h2>Past imports</h2>
          <History />
        </>
      )}
      {formats.data && (
        <details className="formats">
          <summary>What each export needs</summary>
          <ul>
            {formats.data.formats.map((f) => (
              <li key={f.id}>
                <strong>{f.label}</strong>: {f.requiredHeaders.join(', ')}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
