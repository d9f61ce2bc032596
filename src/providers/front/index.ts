import { z } from 'zod';
import { ok } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import { defineTokenConnect, type Provider } from '../types.ts';
import { FRONT_API_URL, FRONT_APP_URL, FRONT_PATHS, frontOAuth } from './auth.ts';
import { frontCsv } from './csv.ts';
import { frontMetrics } from './metrics.ts';

// GET /me → IdentityResponse { _links, id: "cmp_…", name } (core-api.json).
const IdentitySchema = z.object({ id: z.string(), name: z.string() });

export const front: Provider = {
  id: 'front',
  displayName: 'Front',
  env: { apiBaseUrl: 'FRONT_API_BASE_URL', oauthBaseUrl: 'FRONT_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { apiToken: 'sandbox-front-token' },
    account: { id: 'cmp_sandbox', name: 'Sandbox Front company' },
  },
  params: {},
  oauth: frontOAuth,
  endpoints: (o) => ({
    authorizeUrl: `${o.oauthBaseUrl ?? FRONT_APP_URL}${FRONT_PATHS.authorize}`,
    tokenUrl: `${o.oauthBaseUrl ?? FRONT_APP_URL}${FRONT_PATHS.token}`,
    apiBaseUrl: o.apiBaseUrl ?? FRONT_API_URL,
  }),
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: base }),
  tokenConnect: defineTokenConnect(
    z.strictObject({ apiToken: z.string().min(8).max(4096) }),
    [
      {
        name: 'apiToken',
        label: 'API token',
        kind: 'secret',
        required: true,
        help: 'Settings → Developers → API tokens (https://dev.frontapp.com/docs/create-and-revoke-api-tokens)',
      },
    ],
    (b) => ({ secret: b.apiToken, params: {} }),
  ),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/me`,
      credential,
      schema: IdentitySchema,
    });
    return r.ok ? ok({ id: r.value.id, name: r.value.name }) : r;
  },
  metrics: frontMetrics,
  csv: frontCsv,
  // No `revoke`: Front documents revocation only in its UI (https://help.front.com/t/36dsxd); /oauth/revoke
  // appears only in third-party copies of its MCP server metadata (https://github.com/api-evangelist/frontapp).
};
