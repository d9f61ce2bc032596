import { z } from 'zod';
import { err, ok } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import { defineTokenConnect, type Provider } from '../types.ts';
import {
  ZENDESK_BASE_URL_TEMPLATE,
  ZENDESK_PATHS,
  ZENDESK_SUBDOMAIN,
  zendeskOAuth,
  zendeskParams,
} from './auth.ts';
import { zendeskCsv } from './csv.ts';
import { zendeskMetrics } from './metrics.ts';

// Paths as the official OAS writes them (https://developer.zendesk.com/zendesk/oas.yaml), without the `.json`
// suffix Zendesk also accepts: a mock generated from the spec answers only these.
// GET /api/v2/users/me is allowed for anonymous users: a rejected credential answers 200 with `id: null`,
// so the id, not the status, says whether the credential was accepted (OAS CurrentUserResponse).
const MeSchema = z.object({
  user: z.object({ id: z.number().nullable(), name: z.string().nullable().optional() }),
});
const CurrentTokenSchema = z.object({ token: z.object({ id: z.number() }) });

export const zendesk: Provider = {
  id: 'zendesk',
  displayName: 'Zendesk',
  // OAuth lives on the same per-account host as the API.
  env: { apiBaseUrl: 'ZENDESK_API_BASE_URL', apiBaseUrlPlaceholder: '{subdomain}', oauthBaseUrl: null },
  sandbox: {
    tokenBody: { subdomain: 'sandbox', email: 'admin@sandbox.example', apiToken: 'sandbox-zendesk-token' },
    account: { id: 'sandbox', name: 'sandbox.zendesk.com' },
  },
  params: zendeskParams,
  oauth: zendeskOAuth,
  endpoints: (o, params) => {
    const base = (o.apiBaseUrl ?? ZENDESK_BASE_URL_TEMPLATE).replace('{subdomain}', params.subdomain ?? '');
    return {
      authorizeUrl: `${base}${ZENDESK_PATHS.authorize}`,
      tokenUrl: `${base}${ZENDESK_PATHS.token}`,
      apiBaseUrl: base,
    };
  },
  emulatorOverrides: (base) => ({ oauthBaseUrl: undefined, apiBaseUrl: `${base}/{subdomain}` }),
  tokenConnect: defineTokenConnect(
    z.strictObject({
      subdomain: z.string().regex(ZENDESK_SUBDOMAIN, 'must be a Zendesk subdomain like acme'),
      email: z.email().max(254),
      apiToken: z.string().min(8).max(512),
    }),
    [
      {
        name: 'subdomain',
        label: 'Subdomain',
        kind: 'text',
        required: true,
        help: 'acme for acme.zendesk.com',
      },
      {
        name: 'email',
        label: 'Agent email',
        kind: 'email',
        required: true,
        help: 'The email of the agent the token belongs to',
      },
      {
        name: 'apiToken',
        label: 'API token',
        kind: 'secret',
        required: true,
        help: 'Admin Center → Apps and integrations → Zendesk API → API tokens',
      },
    ],
    (b) => ({
      secret: b.apiToken,
      params: { subdomain: b.subdomain, email: b.email },
    }),
  ),
  // API tokens authenticate as `{email}/token:{api_token}` over Basic:
  // https://developer.zendesk.com/api-reference/introduction/security-and-auth/
  credentialFor: (secret, authType, params) =>
    authType === 'token'
      ? { kind: 'basic', username: `${params.email ?? ''}/token`, password: secret }
      : { kind: 'bearer', token: secret },
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/users/me`,
      credential,
      schema: MeSchema,
    });
    if (!r.ok) return r;
    if (r.value.user.id === null)
      return err({ code: 'unauthorized', detail: 'Zendesk did not accept the credential' });
    // A Zendesk account is its subdomain; the user object names the person, not the account.
    const subdomain = ctx.params.subdomain ?? '';
    return ok({ id: subdomain, name: `${subdomain}.zendesk.com` });
  },
  metrics: zendeskMetrics,
  csv: zendeskCsv,
  // DELETE …/current is reported not to revoke
  // (https://support.zendesk.com/hc/en-us/community/posts/5537132288282); look the token id up, then delete it
  // by id (https://developer.zendesk.com/documentation/api-basics/authentication/revoking-oauth-token).
  async revoke(credential, ctx) {
    if (credential.kind !== 'bearer') return ok(undefined); // API tokens are managed in Admin Center
    const current = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/oauth/tokens/current`,
      credential,
      schema: CurrentTokenSchema,
    });
    if (!current.ok) return current;
    const r = await callProvider(ctx, {
      method: 'DELETE',
      url: `${ctx.endpoints.apiBaseUrl}/api/v2/oauth/tokens/${current.value.token.id}`,
      credential,
      schema: z.unknown(),
    });
    return r.ok ? ok(undefined) : r;
  },
};
