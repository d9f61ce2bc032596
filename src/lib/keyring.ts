import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh 96-bit random nonce per encryption (NIST SP 800-38D §8.2.2; ASVS 11.3.4) and
 * associated data that binds a ciphertext to the row and field it belongs to, so a ciphertext copied to another
 * workspace, provider, connection or field fails to decrypt (Nango's encryption has no such binding:
 * https://github.com/NangoHQ/nango/blob/master/packages/shared/lib/utils/encryption.manager.ts). Each ciphertext
 * records the id of its key, so keys can be rotated and old rows re-encrypted (ASVS 11.2.2).
 *
 * Stored form: `v1.<keyId>.<nonce b64url>.<ciphertext‖tag b64url>`.
 */
const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** Parses `id:base64,id:base64` (first is current). Names no key material in its errors. */
export function parseKeyring(spec: string): EncryptionKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair, i) => {
      const sep = pair.indexOf(':');
      const id = pair.slice(0, sep);
      if (sep < 1 || !KEY_ID.test(id))
        throw new KeyringError(`key #${i + 1}: expected id:base64 with an id of [A-Za-z0-9_-]`);
      const key = Buffer.from(pair.slice(sep + 1), 'base64');
      if (key.length !== 32)
        throw new KeyringError(`key ${id}: must be 32 bytes (base64 of 32 random bytes)`);
      return { id, key };
    });
  if (keys.length === 0) throw new KeyringError('no keys');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new KeyringError('duplicate key id');
  return keys;
}

export function generateKey(id: string): string {
  if (!KEY_ID.test(id)) throw new KeyringError('key id must match [A-Za-z0-9_-]{1,32}');
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** A key source that can change while the process runs; `changed()` answers the new keys, or undefined. */
export interface KeySource {
  changed(): EncryptionKey[] | undefined;
}

export class Keyring {
  private readonly byId = new Map<string, Buffer>();

  /**
   * @param source consulted before each encryption and on an unknown key id. The embedded setup watches its data
   * dir, so a key added by `deskpulse keys rotate --new-key` is used by a running server at once.
   */
  constructor(
    private keys: EncryptionKey[],
    private readonly source?: KeySource,
  ) {
    this.adopt(keys);
  }

  /** The new keys replace the old ones: a key retired from the source no longer opens anything here. */
  private adopt(keys: EncryptionKey[]): void {
    if (keys.length === 0) throw new KeyringError('no keys');
    this.keys = keys;
    this.byId.clear();
    for (const k of keys) this.byId.set(k.id, k.key);
  }

  /** Every key id, the current one first. */
  get keyIds(): string[] {
    this.sync();
    return this.keys.map((k) => k.id);
  }

  private sync(): void {
    const fresh = this.source?.changed();
    if (fresh) this.adopt(fresh);
  }

  get currentKeyId(): string {
    this.sync();
    return this.current().id;
  }

  private current(): EncryptionKey {
    const k = this.keys[0];
    if (!k) throw new KeyringError('no keys');
    return k;
  }

  private keyFor(id: string): Buffer {
    if (!this.byId.has(id)) this.sync();
    const key = this.byId.get(id);
    if (!key) throw new KeyringError(`no encryption key with id ${id}`);
    return key;
  }

  encrypt(plaintext: string, aad: string): string {
    this.sync();
    const { id, key } = this.current();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${id}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  keyIdOf(stored: string): string {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1' || !parts[1]) throw new KeyringError('not a v1 ciphertext');
    return parts[1];
  }

  decrypt(stored: string, aad: string): string {
    const [version, id, nonceText, bodyText] = stored.split('.');
    if (version !== 'v1' || !id || !nonceText || !bodyText) throw new KeyringError('not a v1 ciphertext');
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv(ALGORITHM, this.keyFor(id), Buffer.from(nonceText, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new KeyringError('ciphertext failed authentication (wrong key, row or tampering)');
    }
  }
}
