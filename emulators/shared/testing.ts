import { randomBytes } from 'node:crypto';
import { s256Challenge } from './pkce.ts';

/** Helpers for the emulators' own integration tests and for tests that drive an emulator over HTTP. */

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** GET an authorization URL without following the redirect back to the (unreachable) client. */
export async function authorize(url: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${url}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
}

/** Query parameters of a 302's Location, or throws when the response is not a redirect. */
export function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`expected a 302 with Location, got ${response.status}`);
  }
  return new URL(location).searchParams;
}

export function codeFrom(response: Response): string {
  const code = redirectParams(response).get('code');
  if (code === null) throw new Error('redirect carries no code');
  return code;
}

export function form(params: Record<string, string>): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
}

export function jsonBody(body: unknown): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A clock tests move by hand, so code and token expiry need no waiting. */
export function manualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): {
  now: () => number;
  advance(ms: number): void;
} {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}
