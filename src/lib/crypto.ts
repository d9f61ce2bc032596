import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** base64url of `bytes` CSPRNG bytes; 32 bytes = 256 bits, above ASVS 11.5.1's 128-bit floor. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** One-shot `crypto.hash` (Node ≥ 20.12): a third of createHash's cost, which builds a Hash object per call. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
