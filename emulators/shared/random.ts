import { randomBytes } from 'node:crypto';

// 256 bits per secret: above the 128-bit floor of OWASP ASVS 11.5.1.
export function randomBase64Url(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomHex(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}

export function randomBase64(bytes = 32): string {
  return randomBytes(bytes).toString('base64');
}
