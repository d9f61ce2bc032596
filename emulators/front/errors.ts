import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Front's API error envelope: https://dev.frontapp.com/reference/introduction (`{"_error":{status,title,message}}`). */
export function frontError(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  message: string,
): Response {
  return c.json({ _error: { status, title, message } }, status);
}
