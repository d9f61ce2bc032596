import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError } from '../lib/app-error.ts';
import { ImportFileError } from '../metrics/imports.ts';

/*
 * The files of an upload as they arrive: a raw body (`text/csv`, `application/zip`, `application/gzip`, …) is one
 * file; a multipart body is each of its file parts in turn (busboy, streaming). Nothing is buffered whole and
 * nothing is written to disk. A client that goes away mid-upload ends the stream with an error.
 */

export interface UploadedFile {
  name: string;
  body: AsyncIterable<Uint8Array>;
}

const RAW_TYPES =
  /^(text\/csv|text\/plain|application\/(zip|x-zip-compressed|gzip|x-gzip|octet-stream|csv))\b/i;

const interrupted = () =>
  new ImportFileError(
    'upload_interrupted',
    'the upload stopped before the end of the file; nothing was imported',
  );

/** A body stream that breaks off (the client disconnected) fails the import as interrupted. */
async function* guarded(stream: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch {
    throw interrupted();
  }
}

function fileNameOf(disposition: string | undefined): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  return m?.[1] ? decodeURIComponent(m[1]).replace(/[\\/]/g, '_').slice(0, 200) : 'upload';
}

async function* multipart(req: Request, contentType: string): AsyncIterable<UploadedFile> {
  const bb = busboy({ headers: { 'content-type': contentType }, limits: { files: 20, fields: 50 } });
  const queue: ({ file: UploadedFile } | { end: true } | { error: unknown })[] = [];
  let wake: (() => void) | undefined;
  const push = (item: (typeof queue)[number]) => {
    queue.push(item);
    wake?.();
  };
  bb.on('file', (_field, stream, info) =>
    push({
      file: {
        name: info.filename ? fileNameOf(`filename="${info.filename}"`) : 'upload',
        body: guarded(stream),
      },
    }),
  );
  bb.on('close', () => push({ end: true }));
  bb.on('error', () => push({ error: interrupted() }));
  const source = Readable.fromWeb(req.body as WebReadableStream<Uint8Array>);
  source.on('error', (e) => bb.destroy(e));
  source.pipe(bb);
  for (;;) {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const item = queue.shift() as (typeof queue)[number];
    if ('end' in item) return;
    if ('error' in item) throw item.error;
    yield item.file;
  }
}

/** The upload's files, or a 415 for a body that is not one. */
export function uploadedFiles(req: Request): AsyncIterable<UploadedFile> {
  const contentType = req.headers.get('content-type') ?? '';
  if (req.body === null) throw new AppError('invalid_file', 'the request has no body: upload a file');
  if (/^multipart\/form-data/i.test(contentType)) return multipart(req, contentType);
  if (!RAW_TYPES.test(contentType)) {
    throw new AppError(
      'unsupported_media_type',
      'upload the file as text/csv, application/zip, application/gzip or multipart/form-data',
    );
  }
  const body = req.body as unknown as AsyncIterable<Uint8Array>;
  const name = fileNameOf(req.headers.get('content-disposition') ?? undefined);
  return (async function* () {
    yield { name, body: guarded(body) };
  })();
}
