import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';

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

export async function insertOAuthState(db: Db, stateHash: string, s: OAuthState): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      workspace_id: s.workspaceId,
      provider: s.provider,
      user_id: s.userId,
      api_key_id: s.apiKeyId,
      params: JSON.stringify(s.params),
      code_verifier_ct: s.codeVerifierCt,
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
