import { randomBytes } from 'node:crypto';

/** Prefixed ids so a pasted id says what it is. Not secrets: secrets come from lib/crypto randomToken. */
export function newId(
  prefix: 'ws' | 'key' | 'inv' | 'con' | 'ref' | 'wh' | 'whd' | 'evt' | 'src' | 'imp',
): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
