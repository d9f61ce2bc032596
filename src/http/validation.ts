import type { ErrorDetail } from '../lib/app-error.ts';

/**
 * Where a validated value holds a NUL character, in keys or strings at any depth. Postgres refuses NUL in text
 * (https://www.postgresql.org/docs/current/datatype-character.html), so such input must end at validation as a
 * 400, never reach a query as a 500.
 */
export function nulIssues(value: unknown, path: string[] = []): ErrorDetail[] {
  const at = () => path.join('.') || '(root)';
  if (typeof value === 'string') {
    return value.includes('\u0000') ? [{ path: at(), message: 'must not contain a NUL character' }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nulIssues(v, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      k.includes('\u0000')
        ? [
            {
              path: [...path, k.replaceAll('\u0000', '\\0')].join('.'),
              message: 'must not contain a NUL character',
            },
          ]
        : nulIssues(v, [...path, k]),
    );
  }
  return [];
}
