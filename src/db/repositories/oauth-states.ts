import type { Keyring } from '../../lib/keyring.ts';
import type { Db } from '../client.ts';
import { countSealedByKey, resealBatch, type SealedTable } from '../reseal.ts';
import type { ProviderId } from '../schema.ts';

/**
 * OAuth transactions in flight. The PKCE verifier is sealed here and nowhere else, bound to its state (associated
 * data), so `deskpulse keys rotate` can re-seal it like every other secret (src/db/reseal.ts).
 */
const stateAad = (stateHash: string) => `deskpulse/oauth-state/v1|${stateHash}`;

export interface OAuthState {
  workspaceId: string;
  provider: ProviderId;
  userId: string | null;
  apiKeyId: string | null;
  params: Record<string, string>;
  codeVerifierCt: string | null;
  redirectUri: string;
  expiresAt: Date;
}

export async function insertOAuthState(
  db: Db,
  keyring: Keyring,
  stateHash: string,
  s: Omit<OAuthState, 'codeVerifierCt'> & { codeVerifier: string | undefined },
): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      workspace_id: s.workspaceId,
      provider: s.provider,
      user_id: s.userId,
      api_key_id: s.apiKeyId,
      params: JSON.stringify(s.params),
      code_verifier_ct: s.codeVerifier ? keyring.encrypt(s.codeVerifier, stateAad(stateHash)) : null,
      redirect_uri: s.redirectUri,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function findOAuthState(db: Db, stateHash: string): Promise<OAuthState | undefined> {
  const r = await db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  return (
    r && {
      workspaceId: r.workspace_id,
      provider: r.provider,
      userId: r.user_id,
      apiKeyId: r.api_key_id,
      params: r.params,
      codeVerifierCt: r.code_verifier_ct,
      redirectUri: r.redirect_uri,
      expiresAt: r.expires_at,
    }
  );
}

/** Single use: of two concurrent completions, exactly one deletes the row. */
export async function consumeOAuthState(db: Db, stateHash: string): Promise<boolean> {
  const r = await db.deleteFrom('oauth_states').where('state_hash', '=', stateHash).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function deleteExpiredOAuthStates(db: Db, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('oauth_states').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The PKCE verifier of a state row, opened. */
export const openCodeVerifier = (
  keyring: Keyring,
  stateHash: string,
  state: OAuthState,
): string | undefined =>
  state.codeVerifierCt ? keyring.decrypt(state.codeVerifierCt, stateAad(stateHash)) : undefined;

/** The sealed column of an OAuth state, for `deskpulse keys rotate` (src/db/reseal.ts). */
export const SEALED_OAUTH_STATES: SealedTable = {
  table: 'oauth_states',
  id: 'state_hash',
  context: ['state_hash'],
  fields: [{ column: 'code_verifier_ct', aad: (r) => stateAad(r.state_hash ?? '') }],
};

export const countOAuthStatesByKey = (db: Db) => countSealedByKey(db, SEALED_OAUTH_STATES);

/** Re-seals up to `limit` verifiers not yet under the current key; returns how many. */
export const reencryptOAuthStatesBatch = (db: Db, keyring: Keyring, limit: number) =>
  resealBatch(db, keyring, SEALED_OAUTH_STATES, limit);
