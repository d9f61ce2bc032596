import type { Db } from '../db/client.ts';
import * as apiKeys from '../db/repositories/api-keys.ts';
import type { WorkspaceRole } from '../db/schema.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken, safeEqual, sha256Hex } from '../lib/crypto.ts';
import { hasRole, type WorkspacePrincipal } from './roles.ts';

export type ApiKey = apiKeys.ApiKey;

// `dpk_<16 hex id>_<43 base64url secret>`: the id finds the row, the secret is compared by SHA-256 hash.
// A fast hash is right here: the secret is 256 random bits, so there is nothing for a slow hash to stretch.
const KEY_PATTERN = /^dpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export async function createApiKey(
  db: Db,
  input: { workspaceId: string; name: string; role: WorkspaceRole; createdByUserId: string | null },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const keyId = randomToken(8);
  const hexId = Buffer.from(keyId, 'base64url').toString('hex');
  const secretPart = randomToken(32);
  const apiKey = await apiKeys.insertApiKey(db, {
    id: `key_${hexId}`,
    workspaceId: input.workspaceId,
    name: input.name,
    role: input.role,
    secretHash: sha256Hex(secretPart),
    createdByUserId: input.createdByUserId,
  });
  return { apiKey, secret: `dpk_${hexId}_${secretPart}` };
}

/** A key hands out a role, so nobody may mint one above their own. */
export async function createApiKeyAs(
  db: Db,
  caller: WorkspacePrincipal,
  input: { name: string; role: 'admin' | 'member' },
): Promise<{ apiKey: ApiKey; secret: string }> {
  if (!hasRole(caller.role, input.role)) {
    throw new AppError('forbidden', `a ${caller.role} cannot create a ${input.role} key`);
  }
  return createApiKey(db, {
    workspaceId: caller.workspaceId,
    name: input.name,
    role: input.role,
    createdByUserId: caller.userId,
  });
}

export async function authenticateApiKey(db: Db, presented: string): Promise<ApiKey | undefined> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return undefined;
  const found = await apiKeys.findApiKeyWithHash(db, `key_${m[1]}`);
  if (!found || found.key.revokedAt || !safeEqual(found.secretHash, sha256Hex(m[2] ?? ''))) return undefined;
  await apiKeys.touchApiKey(db, found.key.id);
  return found.key;
}

export async function revokeApiKeyAs(db: Db, caller: WorkspacePrincipal, id: string): Promise<void> {
  const key = await apiKeys.findApiKey(db, caller.workspaceId, id);
  if (!key) throw new AppError('not_found', `no API key ${id} in this workspace`);
  // Mirrors the member rule (https://docs.forepost.ai/help/teammates): admins remove members only, so only the
  // owner revokes above that.
  if (key.role !== 'member' && caller.role !== 'owner' && key.id !== caller.apiKeyId) {
    throw new AppError('forbidden', `only the owner can revoke ${key.role} keys`);
  }
  await apiKeys.revokeApiKey(db, caller.workspaceId, id);
}

export async function revokeApiKeyById(db: Db, id: string): Promise<ApiKey> {
  const found = await apiKeys.findApiKeyWithHash(db, id);
  if (!found) throw new AppError('not_found', `no API key ${id}`);
  await apiKeys.revokeApiKey(db, found.key.workspaceId, id);
  return found.key;
}

export const listApiKeys = apiKeys.listApiKeys;
