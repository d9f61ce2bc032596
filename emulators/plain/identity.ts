import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { EmulatorContext } from '../shared/context.ts';
import { bearerToken } from '../shared/http.ts';
import type { Principal } from '../shared/store.ts';
import { emulatedObject, executeQuery, GraphQLLiteError, type EmulatedObject } from './graphql-lite.ts';

// `POST https://core-api.uk.plain.com/graphql/v1`, "Only POST is allowed" (team-plain/docs graphql/introduction.mdx).
export const PLAIN_GRAPHQL_PATH = '/graphql/v1';

// Permissions a read-only Deskpulse key carries: https://www.plain.com/docs/graphql/reporting
const API_KEY_PERMISSIONS = [
  'customer:read',
  'labelType:read',
  'metrics:read',
  'metricsAgent:read',
  'thread:read',
  'tier:read',
  'user:read',
];
// The workspace predates any test; a fixed instant keeps bodies comparable.
const CREATED_AT_MS = 1_700_000_000_000;

const GraphQLRequestSchema = z.object({
  query: z.string(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

/** `{ errors: [{ message, extensions: { code } }] }`: https://www.plain.com/docs/graphql/error-handling */
export function plainError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
): Response {
  return c.json({ errors: [{ message, extensions: { code } }] }, status);
}

export function mountPlainIdentity(app: Hono, ctx: EmulatorContext): void {
  app.post(PLAIN_GRAPHQL_PATH, async (c) => {
    ctx.stats.identityRequests += 1;
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    // UNAUTHENTICATED = "The API key is invalid. The request should not be retried."
    if (!found?.ok) return plainError(c, 401, 'UNAUTHENTICATED', 'Unauthenticated');
    const body = GraphQLRequestSchema.safeParse(await c.req.json().catch(() => null));
    if (!body.success)
      return plainError(c, 400, 'BAD_REQUEST', 'POST body must be JSON with a "query" string.');
    try {
      const data = executeQuery(
        body.data.query,
        body.data.variables ?? {},
        body.data.operationName ?? null,
        queryRoot(found.record.principal),
      );
      return c.json({ data });
    } catch (error) {
      if (error instanceof GraphQLLiteError) return plainError(c, 400, error.code, error.message);
      throw error;
    }
  });
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], PLAIN_GRAPHQL_PATH, (c) =>
    plainError(c, 405, 'METHOD_NOT_ALLOWED', 'Only POST is allowed.'),
  );
}

function dateTime(ms: number): EmulatedObject {
  // unixTimestamp is a String in the SDL; milliseconds assumed (unit undocumented).
  return emulatedObject('DateTime', { iso8601: new Date(ms).toISOString(), unixTimestamp: String(ms) });
}

/** Fields from plain-schema.graphql (`Query`, `Workspace`, `Permissions`, `MachineUser`, `User`). */
function queryRoot(principal: Principal): EmulatedObject {
  const { account } = principal;
  const workspace = emulatedObject('Workspace', {
    id: account.id,
    name: account.name,
    publicName: account.name,
    isDemoWorkspace: false,
    domainName: null,
    domainNames: [],
    createdAt: dateTime(CREATED_AT_MS),
    updatedAt: dateTime(CREATED_AT_MS),
    logo: null,
    workOSOrganizationId: null,
    workOSHubOrganizationId: null,
  });
  const isApiKey = principal.kind === 'api_token';
  return emulatedObject('Query', {
    myWorkspace: workspace,
    workspace: (args) => (args.workspaceId === account.id ? workspace : null),
    // OAuth calls run "with the permissions their role already has": https://www.plain.com/docs/graphql/oauth
    myPermissions: emulatedObject('Permissions', {
      permissions: isApiKey ? API_KEY_PERMISSIONS : [...API_KEY_PERMISSIONS, 'thread:edit'],
    }),
    // API keys belong to machine users; OAuth tokens act as the signed-in user.
    myMachineUser: isApiKey
      ? emulatedObject('MachineUser', {
          id: 'mu_01EMULATORMACHINEUSER00000',
          fullName: 'Deskpulse',
          publicName: 'Deskpulse',
          description: null,
          type: 'API_USER',
          isDeleted: false,
          deletedAt: null,
          createdAt: dateTime(CREATED_AT_MS),
          updatedAt: dateTime(CREATED_AT_MS),
        })
      : null,
    myUser: isApiKey
      ? null
      : emulatedObject('User', {
          id: 'u_01EMULATORUSER000000000000',
          fullName: 'Sandbox Admin',
          publicName: 'Sandbox',
          email: 'admin@example.com',
          avatarUrl: null,
          avatar: null,
          isDeleted: false,
          createdAt: dateTime(CREATED_AT_MS),
          updatedAt: dateTime(CREATED_AT_MS),
        }),
  });
}
