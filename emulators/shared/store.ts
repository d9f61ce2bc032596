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
  token: string;
  principal: Principal;
  issuedAt: number;
  expiresAt: number | null;
  /** The refresh token issued in the same response, so a rotating refresh can kill the pair. */
  refreshToken: string | null;
  lastUsedAt: number | null;
}

export interface RefreshRecord {
  token: string;
  principal: Principal;
  issuedAt: number;
  expiresAt: number | null;
}

export type Lookup<T> =
  { ok: true; record: T } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' };

/** In-memory OAuth state shared by the four emulators; provider quirks decide how to use it. */
export class OAuthStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly revokedGrants = new Set<number>();
  private readonly issued = { access: [] as string[], refresh: [] as string[] };
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  newGrantId(): number {
    return this.nextId++;
  }

  saveCode(code: string, record: CodeRecord): void {
    this.codes.set(code, record);
  }

  findCode(code: string): Lookup<CodeRecord> {
    const record = this.codes.get(code);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.isUsed) return { ok: false, reason: 'used' };
    if (this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  consumeCode(code: string): void {
    const record = this.codes.get(code);
    if (record) record.isUsed = true;
  }

  addApiToken(token: string, principal: Principal): void {
    this.access.set(token, {
      id: this.nextId++,
      token,
      principal,
      issuedAt: this.now(),
      expiresAt: null,
      refreshToken: null,
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
      token,
      principal,
      issuedAt: this.now(),
      expiresAt,
      refreshToken,
      lastUsedAt: null,
    };
    this.access.set(token, record);
    this.issued.access.push(token);
    return record;
  }

  addRefresh(token: string, principal: Principal, expiresAt: number | null): RefreshRecord {
    const record: RefreshRecord = { token, principal, issuedAt: this.now(), expiresAt };
    this.refresh.set(token, record);
    this.issued.refresh.push(token);
    return record;
  }

  /** `realm` is the subdomain of the request; a credential bound to another realm is unknown there. */
  findAccess(token: string, realm: string | null): Lookup<AccessRecord> {
    const record = this.access.get(token);
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
    const record = this.refresh.get(token);
    if (!record || !isSameRealm(record.principal, realm)) return { ok: false, reason: 'unknown' };
    if (this.revokedGrants.has(record.principal.grantId)) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  deleteAccess(token: string): void {
    this.access.delete(token);
  }

  deleteRefresh(token: string): void {
    this.refresh.delete(token);
  }

  /** Deletes the access tokens issued together with `refreshToken` (rotation that kills the old pair). */
  deleteAccessPairedWith(refreshToken: string): void {
    for (const [token, record] of this.access) {
      if (record.refreshToken === refreshToken) this.access.delete(token);
    }
  }

  /** Kills every access and refresh token of the grant: what "remove the app" does at the helpdesk. */
  revokeGrant(grantId: number): void {
    this.revokedGrants.add(grantId);
  }

  grantOfToken(token: string): number | undefined {
    return (this.access.get(token) ?? this.refresh.get(token))?.principal.grantId;
  }

  issuedTokens(): { access: string[]; refresh: string[] } {
    return { access: [...this.issued.access], refresh: [...this.issued.refresh] };
  }
}

function isSameRealm(principal: Principal, realm: string | null): boolean {
  return principal.realm === null || principal.realm === realm;
}
