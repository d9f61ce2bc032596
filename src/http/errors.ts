import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable } from '../domain/database.ts';
import { AppError, type AppErrorCode } from '../lib/app-error.ts';
import type { AppEnv } from './env.ts';
import { requestLogger } from './request-logger.ts';

/** The one code → status table. Every error response of the API comes through `renderError`. */
export const STATUS: Record<AppErrorCode, ContentfulStatusCode> = {
  invalid_body: 400,
  invalid_query: 400,
  invalid_params: 400,
  invalid_json: 400,
  invalid_state: 400,
  unauthenticated: 401,
  forbidden: 403,
  signup_invite_required: 403,
  not_found: 404,
  conflict: 409,
  invite_expired: 410,
  invite_used: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  malformed_request: 400,
  request_timeout: 408,
  credential_rejected: 422,
  invalid_file: 422,
  rate_limited: 429,
  provider_not_configured: 500,
  internal_error: 500,
  upstream_error: 502,
  not_ready: 503,
};

function fromHttpException(e: HTTPException): AppError {
  if (e.status === 400) return new AppError('invalid_json', 'request body is not valid JSON');
  if (e.status === 401) return new AppError('unauthenticated', 'authentication required');
  if (e.status === 404) return new AppError('not_found', 'not found');
  if (e.status === 413) return new AppError('payload_too_large', 'request body too large');
  // @hono/zod-openapi's media-type gate: a body sent as anything but a type the route declares.
  if (e.status === 415) {
    return new AppError('unsupported_media_type', 'send the request body as application/json');
  }
  return new AppError('internal_error', 'internal error');
}

export function renderError(err: unknown, c: Context<AppEnv>): Response {
  let appError: AppError;
  if (err instanceof AppError) appError = err;
  else if (err instanceof HTTPException && err.status < 500) appError = fromHttpException(err);
  else if (isDatabaseUnavailable(err)) {
    // An outage, not a bug: the database monitor logs it once; the caller may retry (src/db/health.ts).
    requestLogger(c).debug({ err }, 'database unavailable');
    appError = new AppError('not_ready', 'the database is unavailable; try again shortly');
  } else {
    // A bug: log it with the request id, answer generically (no stack, no internals, no secrets).
    requestLogger(c).error({ err }, 'unhandled error');
    appError = new AppError('internal_error', `internal error (request id ${c.get('requestId')})`);
  }
  const body = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
    },
  };
  if (appError.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(Math.max(1, Math.ceil(appError.retryAfterSeconds))));
  }
  return c.json(body, STATUS[appError.code]);
}
