import { createHash } from 'node:crypto';

// Both the challenge (base64url SHA-256) and the verifier use the unreserved alphabet, 43-128 chars:
// https://www.rfc-editor.org/rfc/rfc7636#section-4.1
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isWellFormedPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function verifiesChallenge(challenge: string, verifier: string): boolean {
  return isWellFormedPkceValue(verifier) && s256Challenge(verifier) === challenge;
}
