import { z } from 'zod';
import type { EmulatorContext } from './context.ts';
import { verifiesChallenge } from './pkce.ts';
import type { CodeRecord, Principal, RefreshRecord } from './store.ts';

export type Redeemed<T> = { ok: true; record: T } | { ok: false; description: string };

export interface CodeRedemption {
  code: string | undefined;
  clientId: string;
  realm: string | null;
  /** `undefined` = the provider's token endpoint takes no redirect_uri (Intercom). */
  redirectUri: string | undefined;
  isRedirectUriChecked: boolean;
  codeVerifier: string | undefined;
  isPkceChecked: boolean;
}

/** Single use, unexpired, same client, same realm, same redirect URI, PKCE verifier: RFC 6749 §4.1.3, RFC 7636 §4.6. */
export function redeemCode(ctx: EmulatorContext, input: CodeRedemption): Redeemed<CodeRecord> {
  if (input.code === undefined || input.code === '') return { ok: false, description: 'Missing code.' };
  const found = ctx.store.findCode(input.code);
  if (!found.ok) {
    const why = {
      unknown: 'is invalid',
      used: 'was already used',
      expired: 'has expired',
      revoked: 'was revoked',
    };
    return { ok: false, description: `The authorization code ${why[found.reason]}.` };
  }
  const record = found.record;
  if (record.clientId !== input.clientId || record.realm !== input.realm) {
    return { ok: false, description: 'The authorization code was issued to another client.' };
  }
  if (input.isRedirectUriChecked && record.redirectUri !== null && record.redirectUri !== input.redirectUri) {
    return { ok: false, description: 'redirect_uri does not match the authorization request.' };
  }
  if (input.isPkceChecked) {
    if (record.codeChallenge !== null) {
      if (input.codeVerifier === undefined || !verifiesChallenge(record.codeChallenge, input.codeVerifier)) {
        return { ok: false, description: 'code_verifier does not match the code_challenge.' };
      }
    } else if (input.codeVerifier !== undefined) {
      // A verifier for a code issued without a challenge is a PKCE downgrade attempt:
      // https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
      return { ok: false, description: 'code_verifier sent for a code issued without code_challenge.' };
    }
  }
  ctx.store.consumeCode(input.code);
  return { ok: true, record };
}

export function redeemRefreshToken(
  ctx: EmulatorContext,
  token: string | undefined,
  clientId: string,
  realm: string | null,
): Redeemed<RefreshRecord> {
  if (token === undefined || token === '') return { ok: false, description: 'Missing refresh_token.' };
  const found = ctx.store.findRefresh(token, realm);
  if (!found.ok) return { ok: false, description: `The refresh token is ${found.reason}.` };
  if (found.record.principal.clientId !== clientId) {
    return { ok: false, description: 'The refresh token was issued to another client.' };
  }
  return found;
}

export function oauthPrincipal(ctx: EmulatorContext, code: CodeRecord): Principal {
  return {
    grantId: ctx.store.newGrantId(),
    kind: 'oauth',
    clientId: code.clientId,
    realm: code.realm,
    scope: code.scope,
    account: code.account,
    email: null,
  };
}

export function apiTokenPrincipal(
  ctx: EmulatorContext,
  account: Principal['account'],
  realm: string | null = null,
  email: string | null = null,
): Principal {
  return {
    grantId: ctx.store.newGrantId(),
    kind: 'api_token',
    clientId: null,
    realm,
    scope: '',
    account,
    email,
  };
}

/** The authorization_code grant of RFC 6749 §4.1.3 (+ PKCE's code_verifier, RFC 7636 §4.5). */
export const CodeGrantSchema = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
  code_verifier: z.string().optional(),
});

/** The refresh_token grant of RFC 6749 §6. */
export const RefreshGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
});

/** Redeems a standard authorization_code grant: redirect URI and PKCE verifier both checked (RFC 6749, RFC 7636). */
export function redeemCodeGrant(
  ctx: EmulatorContext,
  grant: z.infer<typeof CodeGrantSchema>,
  clientId: string,
  realm: string | null = null,
): Redeemed<CodeRecord> {
  return redeemCode(ctx, {
    code: grant.code,
    clientId,
    realm,
    redirectUri: grant.redirect_uri,
    isRedirectUriChecked: true,
    codeVerifier: grant.code_verifier,
    isPkceChecked: true,
  });
}
