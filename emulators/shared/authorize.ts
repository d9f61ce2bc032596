import type { Context, Handler } from 'hono';
import { html } from 'hono/html';
import { findClient, type EmulatorContext } from './context.ts';
import { isWellFormedPkceValue } from './pkce.ts';
import type { EmulatorAccount } from './types.ts';

export type ScopeCheck = { ok: true; granted: string } | { ok: false; description: string };

/** What differs between the providers' authorization endpoints. */
export interface AuthorizeRules {
  providerName: string;
  isRedirectUriRequired: boolean;
  isResponseTypeRequired: boolean;
  checkScope(scope: string | undefined): ScopeCheck;
  /** `ignored`: challenge parameters are dropped; `optional`: S256 is stored and enforced at the token endpoint. */
  pkce: 'ignored' | 'optional';
  codeLifetimeSeconds: number;
  mintCode(): string;
  realmOf(c: Context): string | null;
  accountFor(realm: string | null): EmulatorAccount;
}

const CONTROL_PARAMS = new Set(['auto_approve', 'auto_deny', 'decision']);

/**
 * GET renders the consent screen (or decides at once with `auto_approve=1` / `auto_deny=1`);
 * POST is the consent form submitting back to the same path.
 */
export function authorizeHandler(ctx: EmulatorContext, rules: AuthorizeRules): Handler {
  return async (c) => {
    const isPost = c.req.method === 'POST';
    const params = isPost ? await formParams(c) : c.req.query();
    const decision = decisionOf(isPost, params);

    // Errors about the client or redirect URI must not redirect (open-redirect guard):
    // https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
    const client = findClient(ctx, params.client_id);
    if (!client) return errorPage(c, 'invalid_client', 'Unknown client_id.');
    const requestedRedirect = params.redirect_uri;
    let redirectUri: string;
    if (requestedRedirect === undefined) {
      const fallback = client.redirectUris[0];
      if (rules.isRedirectUriRequired || fallback === undefined) {
        return errorPage(c, 'invalid_request', 'Missing redirect_uri.');
      }
      redirectUri = fallback;
    } else if (client.redirectUris.includes(requestedRedirect)) {
      redirectUri = requestedRedirect;
    } else {
      // Exact string matching, no prefix or pattern: https://www.rfc-editor.org/rfc/rfc9700#section-2.1
      return errorPage(c, 'invalid_request', 'redirect_uri does not match a registered redirect URL.');
    }

    const back = (values: Record<string, string>): Response =>
      redirectWith(c, redirectUri, values, params.state);
    const responseType = params.response_type;
    if (responseType === undefined ? rules.isResponseTypeRequired : responseType !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be code.' });
    }
    const scope = rules.checkScope(params.scope);
    if (!scope.ok) return back({ error: 'invalid_scope', error_description: scope.description });

    let codeChallenge: string | null = null;
    if (rules.pkce === 'optional' && params.code_challenge !== undefined) {
      if ((params.code_challenge_method ?? 'plain') !== 'S256') {
        return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256.' });
      }
      if (!isWellFormedPkceValue(params.code_challenge)) {
        return back({ error: 'invalid_request', error_description: 'Malformed code_challenge.' });
      }
      codeChallenge = params.code_challenge;
    }

    const realm = rules.realmOf(c);
    const account = rules.accountFor(realm);
    if (decision === 'ask') return consentPage(c, rules.providerName, client.clientId, account.name, params);
    if (decision === 'deny') {
      return back({ error: 'access_denied', error_description: 'The user denied the request.' });
    }

    const code = rules.mintCode();
    ctx.store.saveCode(code, {
      clientId: client.clientId,
      redirectUri: requestedRedirect ?? null,
      scope: scope.granted,
      realm,
      codeChallenge,
      account,
      expiresAt: ctx.now() + rules.codeLifetimeSeconds * 1000,
      isUsed: false,
    });
    return back({ code });
  };
}

function decisionOf(isPost: boolean, params: Record<string, string>): 'approve' | 'deny' | 'ask' {
  if (isPost) return params.decision === 'approve' ? 'approve' : 'deny';
  if (params.auto_approve === '1') return 'approve';
  return params.auto_deny === '1' ? 'deny' : 'ask';
}

async function formParams(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}

function redirectWith(
  c: Context,
  redirectUri: string,
  values: Record<string, string>,
  state: string | undefined,
): Response {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  if (state !== undefined) url.searchParams.set('state', state);
  return c.redirect(url.toString(), 302);
}

function consentPage(
  c: Context,
  providerName: string,
  clientId: string,
  accountName: string,
  params: Record<string, string>,
): Response | Promise<Response> {
  const hidden = Object.entries(params)
    .filter(([key]) => !CONTROL_PARAMS.has(key))
    .map(([key, value]) => html`<input type="hidden" name="${key}" value="${value}" />`);
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${providerName} (emulator): authorize ${clientId}</title>
        </head>
        <body>
          <h1>${providerName} emulator</h1>
          <p>Allow <strong>${clientId}</strong> to access <strong>${accountName}</strong>?</p>
          <form method="post" action="${c.req.path}">
            ${hidden}
            <button type="submit" name="decision" value="approve">Allow access</button>
          </form>
        </body>
      </html>`,
  );
}

function errorPage(c: Context, error: string, description: string): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Authorization error</title>
        </head>
        <body>
          <h1>${error}</h1>
          <p>${description}</p>
        </body>
      </html>`,
    400,
  );
}
