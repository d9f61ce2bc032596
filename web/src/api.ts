/*
 * The dashboard's only way to the server: same-origin fetches with the session cookie (never an API key or a
 * helpdesk token), typed by src/contracts — the same definitions the server answers with.
 */

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * An error as a person reads it: the message, then each detail it does not already say (which field, and why).
 * `fallback` when the failure is not the server's answer.
 */
export function errorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const extra = e.details.filter((d) => !e.message.includes(d.message)).map((d) => `${d.path}: ${d.message}`);
  return extra.length > 0 ? `${e.message} (${extra.join('; ')})` : e.message;
}

/** Any failure as an ApiError (a network error or a bug has no status: 0), for the pages to show. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'error', e instanceof Error ? e.message : String(e));

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const retry = res.headers.get('retry-after');
  return new ApiError(
    res.status,
    body?.error.code ?? 'http_error',
    body?.error.message ?? `the server answered ${res.status}`,
    body?.error.details ?? [],
    retry === null ? null : Number(retry),
  );
}

export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** An upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload<T>(
  path: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): { done: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', path);
    xhr.withCredentials = true;
    const type = /\.zip$/i.test(file.name)
      ? 'application/zip'
      : /\.gz$/i.test(file.name)
        ? 'application/gzip'
        : 'text/csv';
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('content-disposition', `attachment; filename="${encodeURIComponent(file.name)}"`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        const e = (body as ErrorBody | null)?.error;
        reject(
          new ApiError(
            xhr.status,
            e?.code ?? 'http_error',
            e?.message ?? `the server answered ${xhr.status}`,
            e?.details ?? [],
          ),
        );
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'the upload could not reach the server'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'the upload was cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
