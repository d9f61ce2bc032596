import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Intercom's error envelope (`error` schema of https://github.com/intercom/Intercom-OpenAPI, descriptions/2.16):
 * `{ "type": "error.list", "request_id": "...", "errors": [{ "code": "...", "message": "..." }] }`.
 */
export function intercomError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
): Response {
  return c.json({ type: 'error.list', request_id: randomUUID(), errors: [{ code, message }] }, status);
}
