import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { auth as parseBasicAuth } from 'hono/utils/basic-auth';
import { findClient, type EmulatorContext } from './context.ts';
import type { OAuthClient } from './types.ts';

export type BodyFormat = 'json' | 'form';

/**
 * Token endpoints take form bodies (RFC 6749 §4.1.3) and, for some providers, JSON. Values are
 * flattened to strings (Zendesk's documented JSON sends `expires_in` as a number).
 * `null` = a body in a format the provider does not take.
 */
export async function readParams(
  c: Context,
  formats: readonly BodyFormat[],
): Promise<Record<string, string> | null> {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) {
    if (!formats.includes('json')) return null;
    const body: unknown = await c.req.json().catch(() => null);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
    }
    return params;
  }
  if (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '') {
    if (!formats.includes('form')) return null;
    const body = await c.req.parseBody().catch(() => null);
    if (body === null) return null;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params[key] = value;
    }
    return params;
  }
  return null;
}

/** The bearer token, or `null` when the header is absent or not a bearer credential. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}

export function basicCredentials(c: Context): { username: string; password: string } | null {
  return parseBasicAuth(c.req.raw) ?? null;
}

export function isSameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Authenticates a confidential client whose id/secret arrived by whatever method the provider takes. */
export function authenticateClient(
  ctx: EmulatorContext,
  clientId: string | undefined,
  clientSecret: string | undefined,
): OAuthClient | null {
  const client = findClient(ctx, clientId);
  if (!client || clientSecret === undefined || !isSameSecret(client.clientSecret, clientSecret)) return null;
  return client;
}

// Token responses and errors must not be cached: https://www.rfc-editor.org/rfc/rfc6749#section-5.1
export function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
}

/** RFC 6749 §5.2 error body: `{ "error": "...", "error_description": "..." }`. */
export function oauthError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  description: string,
): Response {
  noStore(c);
  if (error === 'invalid_client' && status === 401) c.header('WWW-Authenticate', 'Basic realm="oauth"');
  return c.json({ error, error_description: description }, status);
}
