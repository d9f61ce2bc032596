import { z } from 'zod';
import { err, ok } from '../../lib/result.ts';
import { callProvider } from '../http.ts';
import { defineTokenConnect, type Provider } from '../types.ts';
import { PLAIN_API_URL, PLAIN_PATHS, plainOAuth } from './auth.ts';
import { plainMetrics } from './metrics.ts';

const WorkspaceQuery = 'query DeskpulseWorkspace { myWorkspace { id name } }';
const ResponseSchema = z.object({
  data: z
    .object({ myWorkspace: z.object({ id: z.string(), name: z.string() }).nullable() })
    .nullable()
    .optional(),
  errors: z
    .array(
      z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() }),
    )
    .optional(),
});

export const plain: Provider = {
  id: 'plain',
  displayName: 'Plain',
  // Plain's API is one GraphQL endpoint, so the variable names the endpoint, not a base.
  env: { apiBaseUrl: 'PLAIN_API_URL', oauthBaseUrl: 'PLAIN_OAUTH_BASE_URL' },
  sandbox: {
    tokenBody: { apiKey: 'plainApiKey_sandbox' },
    account: { id: 'w_sandbox', name: 'Sandbox Plain workspace' },
  },
  params: {},
  oauth: plainOAuth,
  oauthRequires: ['oauthBaseUrl'],
  endpoints: (o) => ({
    authorizeUrl: o.oauthBaseUrl && `${o.oauthBaseUrl}${PLAIN_PATHS.authorize}`,
    tokenUrl: o.oauthBaseUrl && `${o.oauthBaseUrl}${PLAIN_PATHS.token}`,
    apiBaseUrl: o.apiBaseUrl ?? PLAIN_API_URL,
  }),
  emulatorOverrides: (base) => ({ oauthBaseUrl: base, apiBaseUrl: `${base}/graphql/v1` }),
  // Machine-user API keys look like `plainApiKey_…` (help.plain.com/article/creating-api-keys).
  tokenConnect: defineTokenConnect(
    z.strictObject({ apiKey: z.string().min(8).max(4096) }),
    [
      {
        name: 'apiKey',
        label: 'API key',
        kind: 'secret',
        required: true,
        help: 'Settings → Machine users → API keys (https://www.plain.com/docs/api-reference/authentication)',
      },
    ],
    (b) => ({ secret: b.apiKey, params: {} }),
  ),
  credentialFor: (secret) => ({ kind: 'bearer', token: secret }),
  async verify(credential, ctx) {
    const r = await callProvider(ctx, {
      method: 'POST',
      url: ctx.endpoints.apiBaseUrl,
      credential,
      json: { query: WorkspaceQuery },
      schema: ResponseSchema,
    });
    if (!r.ok) return r;
    const first = r.value.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      return err(
        code === 'UNAUTHENTICATED' || code === 'FORBIDDEN'
          ? { code: 'unauthorized', detail: first.message }
          : { code: 'unexpected_response', detail: first.message },
      );
    }
    const ws = r.value.data?.myWorkspace;
    if (!ws) return err({ code: 'unexpected_response', detail: 'no workspace in the response' });
    return ok({ id: ws.id, name: ws.name });
  },
  metrics: plainMetrics,
  // No `revoke`: API keys and OAuth apps are deleted in Plain's UI; no revocation endpoint is documented.
};
