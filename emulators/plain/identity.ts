import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { EmulatorContext } from '../shared/context.ts';
import { bearerToken } from '../shared/http.ts';
import type { Principal } from '../shared/store.ts';
import { prepareQuery, PlainQueryError, runQuery, type PreparedQuery } from './graphql.ts';
import { takeRequest } from '../shared/rate-limit.ts';
import { dataRoot } from './threads.ts';

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

// Root fields that identify the caller; everything else reads workspace data and counts against the rate limit.
const IDENTITY_FIELDS = new Set([
  '__schema',
  '__type',
  '__typename',
  'myWorkspace',
  'workspace',
  'myPermissions',
  'myMachineUser',
  'myUser',
]);

export function mountPlainGraphQL(app: Hono, ctx: EmulatorContext): void {
  app.post(PLAIN_GRAPHQL_PATH, async (c) => {
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    const body = GraphQLRequestSchema.safeParse(await c.req.json().catch(() => null));
    let prepared: PreparedQuery | null = null;
    let failure: PlainQueryError | null = null;
    if (body.success) {
      try {
        prepared = prepareQuery(body.data.query, body.data.operationName ?? null);
      } catch (error) {
        if (!(error instanceof PlainQueryError)) throw error;
        failure = error;
      }
    }
    const isData = prepared !== null && [...prepared.rootFields].some((f) => !IDENTITY_FIELDS.has(f));
    if (!isData) ctx.stats.identityRequests += 1;
    // UNAUTHENTICATED = "The API key is invalid. The request should not be retried."
    if (!found?.ok) return plainError(c, 401, 'UNAUTHENTICATED', 'Unauthenticated');
    if (!body.success)
      return plainError(c, 400, 'BAD_REQUEST', 'POST body must be JSON with a "query" string.');
    if (failure || !prepared)
      return plainError(c, 400, failure?.code ?? 'BAD_REQUEST', failure?.message ?? '');
    if (isData) {
      const limited = applyRateLimit(c, ctx);
      if (limited) return limited;
      if (ctx.knobs.failDataNext > 0) {
        ctx.knobs.failDataNext -= 1;
        return plainError(c, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      }
    }
    const root = { ...identityRoot(found.record.principal), ...(isData ? dataRoot(ctx.dataset) : {}) };
    const outcome = runQuery(prepared, body.data.variables ?? {}, root);
    if (!outcome.ok) {
      const status = outcome.code === 'INTERNAL_SERVER_ERROR' ? 500 : 400;
      return plainError(c, status, outcome.code, outcome.message);
    }
    return c.json({ data: outcome.data });
  });
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], PLAIN_GRAPHQL_PATH, (c) =>
    plainError(c, 405, 'METHOD_NOT_ALLOWED', 'Only POST is allowed.'),
  );
}

/**
 * Plain's headers on API-key traffic, `x-ratelimit-reset` as an ISO-8601 instant, and its 429 body:
 * https://plain.support.site/article/understanding-rate-limits-and-their-impact-on-api-usage-jwz2h8psnkd6tgbyo8acorre
 * `Retry-After` "may be present" (team-plain/sdk .changeset/rate-limit-retry.md); the emulator always sends it.
 */
function applyRateLimit(c: Context, ctx: EmulatorContext): Response | null {
  const decision = takeRequest(ctx);
  if (!Number.isFinite(decision.limit)) return null;
  c.header('x-ratelimit-limit', String(decision.limit));
  c.header('x-ratelimit-remaining', String(decision.remaining));
  c.header('x-ratelimit-reset', new Date(decision.resetAt).toISOString());
  if (decision.allowed) return null;
  c.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
  return plainError(c, 429, 'RATE_LIMITED', 'Too Many Requests - Rate limit exceeded');
}

function dateTime(ms: number): { iso8601: string; unixTimestamp: string } {
  // unixTimestamp is a String in the SDL; milliseconds assumed (unit undocumented).
  return { iso8601: new Date(ms).toISOString(), unixTimestamp: String(ms) };
}

/** Fields from plain-schema.graphql (`Query`, `Workspace`, `Permissions`, `MachineUser`, `User`). */
function identityRoot(principal: Principal): Record<string, unknown> {
  const { account } = principal;
  const workspace = {
    __typename: 'Workspace',
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
  };
  const isApiKey = principal.kind === 'api_token';
  return {
    __typename: 'Query',
    myWorkspace: workspace,
    workspace: (args: { workspaceId?: string }) => (args.workspaceId === account.id ? workspace : null),
    // OAuth calls run "with the permissions their role already has": https://www.plain.com/docs/graphql/oauth
    myPermissions: {
      __typename: 'Permissions',
      permissions: isApiKey ? API_KEY_PERMISSIONS : [...API_KEY_PERMISSIONS, 'thread:edit'],
    },
    // API keys belong to machine users; OAuth tokens act as the signed-in user.
    myMachineUser: isApiKey
      ? {
          __typename: 'MachineUser',
          id: 'mu_01EMULATORMACHINEUSER00000',
          fullName: 'Deskpulse',
          publicName: 'Deskpulse',
          description: null,
          type: 'API_USER',
          isDeleted: false,
          deletedAt: null,
          createdAt: dateTime(CREATED_AT_MS),
          updatedAt: dateTime(CREATED_AT_MS),
        }
      : null,
    myUser: isApiKey
      ? null
      : {
          __typename: 'User',
          id: 'u_01EMULATORUSER000000000000',
          fullName: 'Sandbox Admin',
          publicName: 'Sandbox',
          email: 'admin@example.com',
          avatarUrl: null,
          avatar: null,
          isDeleted: false,
          createdAt: dateTime(CREATED_AT_MS),
          updatedAt: dateTime(CREATED_AT_MS),
        },
  };
}
