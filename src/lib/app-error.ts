/**
 * Expected failures that end a request. Each code maps to exactly one HTTP status in http/errors.ts;
 * the CLI prints `message` on one line. Messages must never carry a credential.
 */
export type AppErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_params'
  | 'invalid_json'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invite_expired'
  | 'invite_used'
  | 'provider_not_configured'
  | 'invalid_state'
  | 'credential_rejected'
  | 'upstream_error'
  | 'not_ready'
  | 'payload_too_large'
  | 'invalid_file'
  | 'unsupported_media_type'
  | 'signup_invite_required'
  | 'rate_limited'
  | 'headers_too_large'
  | 'malformed_request'
  | 'request_timeout'
  | 'internal_error';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** When the caller may try again (`rate_limited`): rendered as the `Retry-After` header, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
