import { describe, expect, it } from 'vitest';
import { generateKey, Keyring, KeyringError, parseKeyring } from './keyring.ts';

const k1 = generateKey('k1');
const k2 = generateKey('k2');

describe('Keyring', () => {
  it('round-trips with the same associated data and a fresh nonce each time', () => {
    const ring = new Keyring(parseKeyring(k1));
    const a = ring.encrypt('access-token-123', 'ws1:front:conn1:access');
    const b = ring.encrypt('access-token-123', 'ws1:front:conn1:access');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(Buffer.from(a.split('.')[2] ?? '', 'base64url')).toHaveLength(12);
    expect(a).not.toContain('access-token-123');
    expect(ring.decrypt(a, 'ws1:front:conn1:access')).toBe('access-token-123');
    expect(ring.keyIdOf(a)).toBe('k1');
  });

  it('refuses a ciphertext moved to another row, provider, workspace or field', () => {
    const ring = new Keyring(parseKeyring(k1));
    const c = ring.encrypt('secret', 'ws1:front:conn1:access');
    for (const aad of [
      'ws2:front:conn1:access',
      'ws1:zendesk:conn1:access',
      'ws1:front:conn2:access',
      'ws1:front:conn1:refresh',
    ]) {
      expect(() => ring.decrypt(c, aad)).toThrow(KeyringError);
    }
  });

  it('detects tampering', () => {
    const ring = new Keyring(parseKeyring(k1));
    const c = ring.encrypt('secret', 'aad');
    const parts = c.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() =>
      ring.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'aad'),
    ).toThrow(/failed authentication/);
  });

  it('decrypts under old keys and encrypts under the first', () => {
    const old = new Keyring(parseKeyring(k1)).encrypt('x', 'aad');
    const ring = new Keyring(parseKeyring(`${k2},${k1}`));
    expect(ring.decrypt(old, 'aad')).toBe('x');
    expect(ring.keyIdOf(ring.encrypt('x', 'aad'))).toBe('k2');
  });

  it('reloads its source when a ciphertext names an unknown key', () => {
    const newer = new Keyring(parseKeyring(k2)).encrypt('y', 'aad');
    let pending: string | undefined;
    const ring = new Keyring(parseKeyring(k1), {
      changed: () => {
        const spec = pending;
        pending = undefined;
        return spec ? parseKeyring(spec) : undefined;
      },
    });
    expect(ring.currentKeyId).toBe('k1');
    pending = `${k2},${k1}`;
    expect(ring.decrypt(newer, 'aad')).toBe('y');
    expect(ring.keyIdOf(ring.encrypt('z', 'aad'))).toBe('k2');
  });

  it('validates key specs without echoing key material', () => {
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow('key k1: must be 32 bytes');
    expect(() => parseKeyring('nocolon')).toThrow(/expected id:base64/);
    expect(() => parseKeyring(`${k1},${k1}`)).toThrow('duplicate key id');
  });
});
