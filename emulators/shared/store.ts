import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmulatorAccount } from './types.ts';

/** Who a credential acts for. One grant = one consent (or one pre-provisioned API token). */
export interface Principal {
  grantId: number;
  kind: 'oauth' | 'api_token';
  clientId: string | null;
  /** Zendesk subdomain the credential is bound to; `null` = usable everywhere. */
  realm: string | null;
  scope: string;
  account: EmulatorAccount;
  email: string | null;
}

export interface CodeRecord {
  clientId: string;
  redirectUri: string | null;
  scope: string;
  realm: string | null;
  codeChallenge: string | null;
  account: EmulatorAccount;
  expiresAt: number;
  isUsed: boolean;
}

export interface AccessRecord {
  id: number;
  /** The token's first 10 characters, which Zendesk shows in its token objects. */
  tokenPrefix: string;
  principal: Principal;
  issuedAt: number;
  expiresAt: number | null;
  /** The hash of the refresh token issued in the same response, so a rotating refresh can kill the pair. */
  pairedRefresh: string | null;
  lastUsedAt: number | null;
}

export interface RefreshRecord {
  /** The token as the caller presented it (the store keeps only its hash). */
  token: string;
  principal: Principal;
  issuedAt: number;
  expiresAt: number | null;
}

type StoredRefresh = Omit<RefreshRecord, 'token'>;

export type Lookup<T> =
  { ok: true; record: T } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' };

/** What `file` holds: every OAuth grant issued, keyed by the SHA-256 of its codes and tokens, never the tokens. */
interface Persisted {
  version: 1;
  nextId: number;
  codes: [string, CodeRecord][];
  access: [string, AccessRecord][];
  refresh: [string, StoredRefresh][];
  revokedGrants: number[];
}

/** Codes and tokens expired longer ago than this are dropped when the store is written. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

/**
 * Codes and tokens are looked up by their SHA-256, as a real authorization server stores them, so a persisted
 * store (`file`) holds nothing a caller could present.
 */
const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * OAuth state shared by the four emulators; provider quirks decide how to use it. In memory by default; with
 * `file` (sandbox mode: `<data dir>/sandbox/<provider>-oauth.json`) the OAuth grants it issued — codes, access
 * and refresh tokens, revocations — are written there on every change and read back on start, so connections made
 * through the sandbox survive a restart. Pre-provisioned API tokens are not written: they are seeded on every start.
 */
export class OAuthStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, StoredRefresh>();
  private readonly revokedGrants = new Set<number>();
  private readonly issued = { access: [] as string[], refresh: [] as string[] };
  private nextId = 1;

  constructor(
    private readonly now: () => number,
    private readonly file?: string,
  ) {
    if (file) this.load(file);
  }

  newGrantId(): number {
    return this.nextId++;
  }

  saveCode(code: string, record: CodeRecord): void {
    this.codes.set(digest(code), record);
    this.persist();
  }

  findCode(code: string): Lookup<CodeRecord> {
    const record = this.codes.get(digest(code));
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.isUsed) return { ok: false, reason: 'used' };
    if (this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  consumeCode(code: string): void {
    const record = this.codes.get(digest(code));
    if (record) record.isUsed = true;
    this.persist();
  }

  addApiToken(token: string, principal: Principal): void {
    this.access.set(digest(token), {
      id: this.nextId++,
      tokenPrefix: token.slice(0, 10),
      principal,
      issuedAt: this.now(),
      expiresAt: null,
      pairedRefresh: null,
      lastUsedAt: null,
    });
  }

  addAccess(
    token: string,
    principal: Principal,
    expiresAt: number | null,
    refreshToken: string | null,
  ): AccessRecord {
    const record: AccessRecord = {
      id: this.nextId++,
      tokenPrefix: token.slice(0, 10),
      principal,
      issuedAt: this.now(),
      expiresAt,
      pairedRefresh: refreshToken === null ? null : digest(refreshToken),
      lastUsedAt: null,
    };
    this.access.set(digest(token), record);
    this.issued.access.push(token);
    this.persist();
    return record;
  }

  addRefresh(token: string, principal: Principal, expiresAt: number | null): RefreshRecord {
    const stored: StoredRefresh = { principal, issuedAt: this.now(), expiresAt };
    this.refresh.set(digest(token), stored);
    this.issued.refresh.push(token);
    this.persist();
    return { ...stored, token };
  }

  /** `realm` is the subdomain of the request; a credential bound to another realm is unknown there. */
  findAccess(token: string, realm: string | null): Lookup<AccessRecord> {
    const record = this.access.get(digest(token));
    if (!record || !isSameRealm(record.principal, realm)) return { ok: false, reason: 'unknown' };
    if (this.revokedGrants.has(record.principal.grantId)) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    record.lastUsedAt = this.now();
    return { ok: true, record };
  }

  findAccessById(id: number, realm: string | null): AccessRecord | undefined {
    for (const record of this.access.values()) {
      if (record.id === id && isSameRealm(record.principal, realm)) return record;
    }
    return undefined;
  }

  findRefresh(token: string, realm: string | null): Lookup<RefreshRecord> {
    const record = this.refresh.get(digest(token));
    if (!record || !isSameRealm(record.principal, realm)) return { ok: false, reason: 'unknown' };
    if (this.revokedGrants.has(record.principal.grantId)) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record: { ...record, token } };
  }

  deleteAccess(token: string): void {
    this.access.delete(digest(token));
    this.persist();
  }

  deleteRefresh(token: string): void {
    this.refresh.delete(digest(token));
    this.persist();
  }

  /** Deletes the access tokens issued together with `refreshToken` (rotation that kills the old pair). */
  deleteAccessPairedWith(refreshToken: string): void {
    const paired = digest(refreshToken);
    for (const [key, record] of this.access) {
      if (record.pairedRefresh === paired) this.access.delete(key);
    }
    this.persist();
  }

  /** Kills every access and refresh token of the grant: what "remove the app" does at the helpdesk. */
  revokeGrant(grantId: number): void {
    this.revokedGrants.add(grantId);
    this.persist();
  }

  grantOfToken(token: string): number | undefined {
    const key = digest(token);
    return (this.access.get(key) ?? this.refresh.get(key))?.principal.grantId;
  }

  /** The tokens this instance issued since it started (tests read them; never persisted). */
  issuedTokens(): { access: string[]; refresh: string[] } {
    return { access: [...this.issued.access], refresh: [...this.issued.refresh] };
  }

  private load(file: string): void {
    let persisted: Persisted;
    try {
      persisted = JSON.parse(readFileSync(file, 'utf8')) as Persisted;
    } catch {
      // None yet (first start), or unreadable: the emulator starts empty, as it would without a file.
      return;
    }
    if (persisted.version !== 1) return;
    this.nextId = Math.max(this.nextId, persisted.nextId);
    for (const [k, v] of persisted.codes) this.codes.set(k, v);
    for (const [k, v] of persisted.access) this.access.set(k, v);
    for (const [k, v] of persisted.refresh) this.refresh.set(k, v);
    for (const id of persisted.revokedGrants) this.revokedGrants.add(id);
  }

  private persist(): void {
    if (!this.file) return;
    const cutoff = this.now() - KEEP_EXPIRED_MS;
    const isKept = (expiresAt: number | null) => expiresAt === null || expiresAt > cutoff;
    const persisted: Persisted = {
      version: 1,
      nextId: this.nextId,
      codes: [...this.codes].filter(([, r]) => isKept(r.expiresAt)),
      access: [...this.access].filter(([, r]) => r.principal.kind === 'oauth' && isKept(r.expiresAt)),
      refresh: [...this.refresh].filter(([, r]) => isKept(r.expiresAt)),
      revokedGrants: [...this.revokedGrants],
    };
    // Written whole and renamed into place, so a crash mid-write never leaves half a file.
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(persisted), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

function isSameRealm(principal: Principal, realm: string | null): boolean {
  return principal.realm === null || principal.realm === realm;
}
