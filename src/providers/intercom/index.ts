import { z } from 'zod';
import { ok } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import { defineTokenConnect, type Provider } from '../types.ts';
import {
  INTERCOM_API_HOSTS,
  INTERCOM_APP_URL,
  INTERCOM_PATHS,
  INTERCOM_VERSION,
  intercomOAuth,
  intercomParams,
} from './auth.ts';
import { intercomCsv } from './csv.ts';
import { intercomMetrics } from './metrics.ts';

// GET /me → admin_with_app; the workspace is `app` (https://github.com/intercom/Intercom-OpenAPI).
const MeSchema = z.object({
  type: z.literal('admin'),
  app: z.object({ id_code: z.string(), name: z.string(), region: z.string().optional() }),
});

const headers = { 'Intercom-Version': INTERCOM_VERSION };

export const intercom: Provider = {
  id: 'intercom',
  displayName: 'Intercom',
  env: { apiBaseUrl: 'INTERCOM_API_BASE_URL', oauthBaseUrl: 'INTERCOM_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { accessToken: 'sandbox-intercom-token' },
    account: { id: 'sandbox01', name: 'Sandbox Intercom workspace' },
  },
  params: intercomParams,
  oauth: intercomOAuth,
  endpoints: (o, params) => {
    const region = (params.region ?? 'us') as keyof typeof INTERCOM_API_HOSTS;
    return {
      authorizeUrl: `${o.oauthBaseUrl ?? INTERCOM_APP_URL}${INTERCOM_PATHS.authorize}`,
      // The token endpoint is on the US API host, which routes to the workspace's region.
      tokenUrl: `${o.apiBaseUrl ?? INTERCOM_API_HOSTS.us}${INTERCOM_PATHS.token}`,
      apiBaseUrl: o.apiBaseUrl ?? INTERCOM_API_HOSTS[region],
    };
  },
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: base }),
  tokenConnect: defineTokenConnect(
    z.strictObject({
      accessToken: z.string().min(8).max(512),
      region: z.enum(['us', 'eu', 'au']).optional(),
    }),
    [
      {
        name: 'accessToken',
        label: 'Access token',
        kind: 'secret',
        required: true,
        help: 'Developer Hub → your app → Authentication → Access token',
      },
      {
        name: 'region',
        label: 'Data region',
        kind: 'choice',
        required: false,
        choices: ['us', 'eu', 'au'],
        help: 'Where your Intercom workspace is hosted (us by default)',
      },
    ],
    (b) => ({
      secret: b.accessToken,
      params: { region: b.region ?? 'us' },
    }),
  ),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  metrics: intercomMetrics,
  csv: intercomCsv,
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      url: `${ctx.endpoints.apiBaseUrl}/me`,
      credential,
      headers,
      schema: MeSchema,
    });
    return r.ok ? ok({ id: r.value.app.id_code, name: r.value.app.name }) : r;
  },
  // Uninstall revokes the token and the install: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/installing-uninstalling-apps#revoking-access
  async revoke(credential, ctx) {
    const r = await callProvider(ctx, {
      method: 'POST',
      url: `${ctx.endpoints.apiBaseUrl}/auth/uninstall`,
      credential,
      headers,
      json: {},
      schema: z.unknown(),
    });
    return r.ok ? ok(undefined) : r;
  },
};
