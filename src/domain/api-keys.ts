import type { Db } from '../db/client.ts';
import * as apiKeys from '../db/repositories/api-keys.ts';
import type { WorkspaceRole } from '../db/schema.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken, safeEqual, sha256Hex } from '../lib/crypto.ts';
import { type Actor, actorLabel, recordAudit } from './audit.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import { hasRole, type WorkspacePrincipal } from './roles.ts';

export type ApiKey = apiKeys.ApiKey;
export type ListedApiKey = apiKeys.ListedApiKey;

// `dpk_<16 hex id>_<43 base64url secret>`: the id finds the row, the secret is compared by SHA-256 hash.
// A fast hash is right here: the secret is 256 random bits, so there is nothing for a slow hash to stretch.
const KEY_PATTERN = /^dpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const creatorOf = (a: Actor): Omit<apiKeys.ApiKeyCreator, 'isActive'> =>
  a.kind === 'session'
    ? { kind: 'user', id: a.userId, label: a.email }
    : a.kind === 'api_key'
      ? { kind: 'api_key', id: a.apiKeyId, label: actorLabel(a) }
      : { kind: 'system', id: null, label: a.label };

const keyTarget = (k: { id: string; name: string }) => ({ kind: 'api_key', id: k.id, label: k.name });

/** Mints a key and records who did (`createdBy`: the person, key or command), in one transaction. */
export async function createApiKey(
  db: Db,
  input: { workspaceId: string; name: string; role: WorkspaceRole; createdBy: Actor },
): Promise<{ apiKey: ListedApiKey; secret: string }> {
  const keyId = randomToken(8);
  const hexId = Buffer.from(keyId, 'base64url').toString('hex');
  const secretPart = randomToken(32);
  const apiKey = await db.transaction().execute(async (trx) => {
    const key = await apiKeys.insertApiKey(trx, {
      id: `key_${hexId}`,
      workspaceId: input.workspaceId,
      name: input.name,
      role: input.role,
      secretHash: sha256Hex(secretPart),
      createdBy: creatorOf(input.createdBy),
    });
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.createdBy,
      action: 'apikey.create',
      provider: null,
      outcome: 'ok',
      detail: `role ${input.role}`,
      target: keyTarget(key),
    });
    return key;
  });
  return { apiKey, secret: `dpk_${hexId}_${secretPart}` };
}

/** A key hands out a role, so nobody may mint one above their own. */
export async function createApiKeyAs(
  db: Db,
  caller: WorkspacePrincipal,
  input: { name: string; role: 'admin' | 'member' },
): Promise<{ apiKey: ListedApiKey; secret: string }> {
  if (!hasRole(caller.role, input.role)) {
    throw new AppError('forbidden', `a ${caller.role} cannot create a ${input.role} key`);
  }
  return createApiKey(db, {
    workspaceId: caller.workspaceId,
    name: input.name,
    role: input.role,
    createdBy: caller,
  });
}

/**
 * How long a process trusts a key row it read without reading it again: the bound on how long a key revoked by
 * another process keeps working here (ARCHITECTURE.md, "API keys"). The process that revokes forgets at once.
 */
export const API_KEY_CACHE_TTL_MS = 500;
/** `last_used_at` is written at most this often per key, outside the request. */
const TOUCH_EVERY_MS = 60_000;

/** A key's row as this process last read it; `touched` once this process has written its `last_used_at`. */
type KeyRow = { key: ApiKey; secretHash: string; touched?: boolean };
const caches = new WeakMap<Db, TtlCache<string, KeyRow>>();
const cacheOf = (db: Db) => {
  let cache = caches.get(db);
  if (!cache) {
    cache = new TtlCache({ ttlMs: API_KEY_CACHE_TTL_MS, maxEntries: 10_000 });
    caches.set(db, cache);
  }
  return cache;
};

/**
 * The key a bearer token names, or undefined (malformed, unknown, revoked or a wrong secret). Rows are cached by
 * key id for `API_KEY_CACHE_TTL_MS` (the secret is still compared on every call), so a script's burst costs one
 * database read per key and half-second, not one per request.
 */
export async function authenticateApiKey(db: Db, presented: string): Promise<ApiKey | undefined> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return undefined;
  const id = `key_${m[1]}`;
  const cache = cacheOf(db);
  const found = await cache.get(id, () => apiKeys.findApiKeyWithHash(db, id));
  if (!found || found.key.revokedAt || !safeEqual(found.secretHash, sha256Hex(m[2] ?? ''))) return undefined;
  if (!found.touched && Date.now() - (found.key.lastUsedAt?.getTime() ?? 0) >= TOUCH_EVERY_MS) {
    // Bookkeeping, not authorization: the request does not wait for it (concurrent callers share this row, so
    // one of them writes); a failed write is tried again once this process reads the row anew.
    found.touched = true;
    void apiKeys.touchApiKey(db, id).catch(() => undefined);
  }
  return found.key;
}

async function revokeAndRecord(db: Db, key: ApiKey, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Revoking an already revoked key changes nothing and records nothing.
    if (!(await apiKeys.revokeApiKey(trx, key.workspaceId, key.id))) return;
    await recordAudit(trx, {
      workspaceId: key.workspaceId,
      actor,
      action: 'apikey.revoke',
      provider: null,
      outcome: 'ok',
      detail: `role ${key.role}`,
      target: keyTarget(key),
    });
  });
  cacheOf(db).delete(key.id);
}

export async function revokeApiKeyAs(db: Db, caller: WorkspacePrincipal, id: string): Promise<void> {
  const key = await apiKeys.findApiKey(db, caller.workspaceId, id);
  if (!key) throw new AppError('not_found', `no API key ${id} in this workspace`);
  // Mirrors the member rule (https://docs.forepost.ai/help/teammates): admins remove members only, so only the
  // owner revokes above that.
  if (key.role !== 'member' && caller.role !== 'owner' && key.id !== caller.apiKeyId) {
    throw new AppError('forbidden', `only the owner can revoke ${key.role} keys`);
  }
  await revokeAndRecord(db, key, caller);
}

/** `deskpulse apikey revoke`: by id in any workspace, recorded as the command. */
export async function revokeApiKeyById(db: Db, id: string, actor?: Actor): Promise<ApiKey> {
  const found = await apiKeys.findApiKeyWithHash(db, id);
  if (!found) throw new AppError('not_found', `no API key ${id}`);
  await revokeAndRecord(db, found.key, actor ?? { kind: 'system', label: 'deskpulse apikey revoke' });
  return found.key;
}

export const listApiKeys = apiKeys.listApiKeys;
