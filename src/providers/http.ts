import type { z } from 'zod';
import { err, ok, type Result } from '../lib/result.ts';
import { retryAfterMs } from './pacer.ts';
import type { Credential, ProviderContext, ProviderError } from './types.ts';

const TIMEOUT_MS = 15_000;
const MAX_DETAIL = 300;

export function authorizationHeader(credential: Credential): string {
  return credential.kind === 'bearer'
    ? `Bearer ${credential.token}`
    : `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

function secretsOf(credential: Credential | undefined): string[] {
  if (!credential) return [];
  return credential.kind === 'bearer' ? [credential.token] : [credential.password];
}

/** Helpdesk error text is shown to users (lastError, 422 reasons): cap it and strip anything secret. */
export function sanitizeDetail(text: string, secrets: string[] = []): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  out = out.replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** The longest 429 we wait out inside one call; longer ones fail as rate_limited for the job to reschedule. */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;
const MAX_ATTEMPTS = 10;

/** Pulls the most useful message out of the many error body shapes helpdesks use. */
function errorMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const nested = b._error ?? b.error;
    if (nested && typeof nested === 'object') {
      const n = nested as Record<string, unknown>;
      const msg = n.message ?? n.title ?? n.description;
      if (typeof msg === 'string') return msg;
    }
    if (typeof b.error_description === 'string') return b.error_description;
    if (typeof b.description === 'string') return b.description;
    if (typeof b.message === 'string') return b.message;
    if (typeof nested === 'string') return nested;
    if (Array.isArray(b.errors) && b.errors[0] && typeof b.errors[0] === 'object') {
      const first = b.errors[0] as Record<string, unknown>;
      if (typeof first.message === 'string') return first.message;
    }
  }
  return fallback;
}

export interface ProviderRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'DELETE';
  url: string;
  credential?: Credential;
  headers?: Record<string, string>;
  json?: unknown;
  /** `text`: hand the raw body to `schema` (CSV exports); default: parse JSON first. */
  body?: 'json' | 'text';
  accept?: string;
  /** Default 15 s; whole-file downloads (Front's CSV export) need longer. */
  timeoutMs?: number;
  schema: S;
}

/**
 * One helpdesk HTTP call, classified into the ProviderError codes. Never throws for HTTP or network trouble;
 * never lets a credential into an error detail.
 */
export async function callProvider<S extends z.ZodType>(
  ctx: ProviderContext,
  req: ProviderRequest<S>,
): Promise<Result<z.infer<S>, ProviderError>> {
  const secrets = secretsOf(req.credential);
  const headers: Record<string, string> = { accept: req.accept ?? 'application/json', ...req.headers };
  if (req.credential) headers.authorization = authorizationHeader(req.credential);
  if (req.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response | undefined;
  for (let attempt = 1; ; attempt++) {
    await ctx.pacer?.wait(sleep);
    try {
      res = await ctx.fetch(req.url, {
        method: req.method ?? 'GET',
        headers,
        ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : {}),
        signal: AbortSignal.timeout(req.timeoutMs ?? TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (e) {
      ctx.onResponse?.('network');
      const name = e instanceof Error ? e.name : 'Error';
      return err({
        code: 'upstream_unavailable',
        detail:
          name === 'TimeoutError'
            ? `timed out after ${req.timeoutMs ?? TIMEOUT_MS} ms`
            : `network error (${name})`,
      });
    }
    ctx.onResponse?.(res.status);
    ctx.pacer?.note(res.headers);
    if (res.status !== 429 || attempt >= MAX_ATTEMPTS) break;
    // Wait out a 429 the helpdesk tells us how to wait out; never hammer it.
    const wait = retryAfterMs(res.headers);
    if (wait > MAX_RATE_LIMIT_WAIT_MS) break;
    await res.body?.cancel();
    if (ctx.pacer) ctx.pacer.backOff(wait);
    else await sleep(wait);
  }
  const text = await res.text().catch(() => '');
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const detail = () =>
    sanitizeDetail(`${res.status}: ${errorMessage(body, text.slice(0, 200) || res.statusText)}`, secrets);
  if (res.status === 401 || res.status === 403) return err({ code: 'unauthorized', detail: detail() });
  if (res.status === 429)
    return err({ code: 'rate_limited', retryAfterMs: retryAfterMs(res.headers), detail: detail() });
  if (res.status >= 500) return err({ code: 'upstream_unavailable', detail: detail() });
  if (res.status >= 400) return err({ code: 'unexpected_response', detail: detail() });
  if (req.body !== 'text' && text && body === undefined) {
    return err({ code: 'unexpected_response', detail: `${res.status}: body is not JSON` });
  }
  const parsed = req.schema.safeParse(req.body === 'text' ? text : body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({
      code: 'unexpected_response',
      detail: `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return ok(parsed.data);
}
