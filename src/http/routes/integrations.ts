import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CallbackQuerySchema,
  CompleteBodySchema,
  ConnectionSchema,
  DisconnectQuerySchema,
  ProviderParamSchema,
  ScheduleBodySchema,
  StartResponseSchema,
  startQuerySchema,
  ProvidersResponseSchema,
  tokenBodySchema,
  tokenBodyComponentName,
  toConnectionDto,
} from '../../contracts/integrations.ts';
import { intervalOf, minIntervalOf, setRefreshInterval } from '../../domain/schedule.ts';
import * as connections from '../../domain/connections/index.ts';
import { findMembership } from '../../domain/workspaces.ts';
import { hasRole } from '../../domain/roles.ts';
import { connectionParams, providerCatalog, tokenConnectBodies } from '../../domain/provider-settings.ts';
import { AppError } from '../../lib/app-error.ts';
import type { ProviderId } from '../../metrics/helpdesks.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { cachedJson } from '../read-cache.ts';
import { requestLogger } from '../request-logger.ts';

/** The connection as the API shows it: never a token; its schedule as the scheduler sees it. */
export const connectionDto = (c: connections.Connection) =>
  toConnectionDto(c, { effectiveMinutes: intervalOf(c), minMinutes: minIntervalOf(c.provider) });

export const connectionsDepsOf = (c: Context<AppEnv>): connections.ConnectionsDeps => {
  const d = c.get('deps');
  return {
    db: d.db,
    keyring: d.keyring,
    config: d.config,
    logger: requestLogger(c),
    resolve: d.resolveProvider,
    jobs: d.jobs,
  };
};

const TOKEN_BODIES = tokenConnectBodies();

const list = defineRoute('member', {
  method: 'get',
  path: '/integrations/connections',
  operationId: 'listConnections',
  tags: ['Integrations'],
  summary: 'One row per connected helpdesk (never a token)',
  responses: {
    200: { description: 'Connections', ...json(z.object({ connections: z.array(ConnectionSchema) })) },
  },
});

const remove = defineRoute('admin', {
  method: 'delete',
  path: '/integrations/connections',
  operationId: 'disconnect',
  tags: ['Integrations'],
  summary:
    'Disconnect: revoke at the helpdesk where it offers revocation, then destroy the stored credential',
  request: { query: DisconnectQuerySchema },
  responses: { 204: { description: 'Disconnected' } },
});

const schedule = defineRoute('admin', {
  method: 'patch',
  path: '/integrations/connections',
  operationId: 'setRefreshInterval',
  tags: ['Integrations'],
  summary: "Set a connection's refresh interval (bounded by the helpdesk's rate limits; null = hourly)",
  request: {
    query: DisconnectQuerySchema,
    body: { required: true, content: { 'application/json': { schema: ScheduleBodySchema } } },
  },
  responses: { 200: { description: 'The connection', ...json(ConnectionSchema) } },
});

const start = defineRoute(
  'admin',
  {
    method: 'get',
    path: '/integrations/{provider}/start',
    operationId: 'startOAuth',
    tags: ['Integrations'],
    summary: 'Begin OAuth: returns the helpdesk authorize URL (state single use, 10 minutes)',
    request: { params: ProviderParamSchema, query: startQuerySchema(connectionParams()) },
    responses: { 200: { description: 'Authorize URL', ...json(StartResponseSchema) } },
  },
  {
    invalid_query: "a connection parameter is missing or does not match its helpdesk's pattern",
    provider_not_configured: "missing <PROVIDER>_CLIENT_ID (or another variable the helpdesk's OAuth needs)",
  },
);

const complete = defineRoute(
  'admin',
  {
    method: 'post',
    path: '/integrations/{provider}/complete',
    operationId: 'completeOAuth',
    tags: ['Integrations'],
    summary: 'Finish OAuth: exchange the code, verify the account, store the credential encrypted',
    request: { params: ProviderParamSchema, body: { ...json(CompleteBodySchema), required: true } },
    responses: { 200: { description: 'Connected', ...json(ConnectionSchema) } },
  },
  {
    invalid_state: 'the state is unknown, expired, used, or bound to another workspace, caller or helpdesk',
    credential_rejected: 'the helpdesk rejected the code',
    upstream_error: 'the helpdesk is unavailable, rate limiting us, or answered unexpectedly',
    provider_not_configured: "missing <PROVIDER>_CLIENT_ID (or another variable the helpdesk's OAuth needs)",
  },
);

const callback = defineRoute('public', {
  method: 'get',
  path: '/integrations/{provider}/callback',
  operationId: 'oauthCallback',
  tags: ['Integrations'],
  summary:
    'Redirect URI registered at the helpdesk: completes the flow for the signed-in user, then redirects',
  request: { params: ProviderParamSchema, query: CallbackQuerySchema },
  responses: { 302: { description: 'To the dashboard with ?integration=<provider>&status=connected|error' } },
});

const token = defineRoute(
  'admin',
  {
    method: 'post',
    path: '/integrations/{provider}/token',
    operationId: 'connectWithToken',
    tags: ['Integrations'],
    summary: 'Connect with an API token instead of OAuth (verified against the helpdesk before it is stored)',
    description:
      "The body is the helpdesk's own (one of the `TokenConnect<Provider>` schemas, the one of {provider}): " +
      'front `{ apiToken }`; intercom `{ accessToken, region? }`; zendesk `{ subdomain, email, apiToken }`; ' +
      'plain `{ apiKey }`.',
    request: {
      params: ProviderParamSchema,
      body: { ...json(tokenBodySchema(TOKEN_BODIES)), required: true },
    },
    responses: { 200: { description: 'Connected', ...json(ConnectionSchema) } },
  },
  {
    credential_rejected: 'the helpdesk rejected the credential; nothing stored',
    upstream_error: 'the helpdesk is unavailable, rate limiting us, or answered unexpectedly',
  },
);

const catalog = defineRoute('member', {
  method: 'get',
  path: '/integrations/providers',
  operationId: 'listProviders',
  tags: ['Integrations'],
  summary: 'The helpdesks Deskpulse connects: how (OAuth, API token fields), and whether each is configured',
  responses: { 200: { description: 'Helpdesks', ...json(ProvidersResponseSchema) } },
});

/**
 * Where the browser lands after the callback: the dashboard's integrations page, with codes only, never a message
 * that could carry helpdesk text (the page says what each code means).
 */
function dashboardRedirect(c: Context<AppEnv>, provider: ProviderId, outcome: { error?: string }) {
  const url = new URL(c.get('deps').config.publicUrl);
  url.pathname = '/app/integrations';
  url.searchParams.set('integration', provider);
  url.searchParams.set('status', outcome.error ? 'error' : 'connected');
  if (outcome.error)
    url.searchParams.set('error', outcome.error.replace(/[^a-z_]/g, '').slice(0, 40) || 'unknown');
  return c.redirect(url.toString(), 302);
}

export function registerIntegrationRoutes(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  type SchemaComponent = Parameters<typeof registry.registerComponent<'schemas'>>[2];
  // As JSON Schema (zod's own converter): the providers' schemas are plain zod, without `.openapi()`.
  for (const [id, body] of Object.entries(TOKEN_BODIES)) {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(body, { io: 'input' });
    registry.registerComponent('schemas', tokenBodyComponentName(id), schema as SchemaComponent);
  }
  app.openapi(catalog, (c) => c.json({ providers: providerCatalog(c.get('deps').resolveProvider) }, 200));

  app.openapi(list, (c) => {
    const { workspaceId } = workspacePrincipalOf(c);
    return cachedJson(c, `connections\n${workspaceId}`, async () => {
      const rows = await connections.listConnections(c.get('deps'), workspaceId);
      return { connections: rows.map(connectionDto) };
    });
  });

  app.openapi(remove, async (c) => {
    await connections.disconnect(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      c.req.valid('query').provider,
    );
    return c.body(null, 204);
  });

  app.openapi(schedule, async (c) => {
    const updated = await setRefreshInterval(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      c.req.valid('query').provider,
      c.req.valid('json').refreshIntervalMinutes,
    );
    return c.json(connectionDto(updated), 200);
  });

  app.openapi(start, async (c) => {
    const { provider } = c.req.valid('param');
    const { authorizeUrl, expiresAt } = await connections.startOAuth(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      provider,
      c.req.valid('query'),
    );
    return c.json({ authorizeUrl, expiresAt: expiresAt.toISOString() }, 200);
  });

  app.openapi(complete, async (c) => {
    const { provider } = c.req.valid('param');
    const conn = await connections.completeOAuth(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      provider,
      c.req.valid('json'),
    );
    return c.json(connectionDto(conn), 200);
  });

  app.openapi(token, async (c) => {
    const { provider } = c.req.valid('param');
    const conn = await connections.connectWithToken(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      provider,
      c.req.valid('json'),
    );
    return c.json(connectionDto(conn), 200);
  });

  app.openapi(callback, async (c) => {
    const { provider } = c.req.valid('param');
    const q = c.req.valid('query');
    if (q.error) return dashboardRedirect(c, provider, { error: q.error });
    if (!q.code || !q.state) return dashboardRedirect(c, provider, { error: 'invalid_callback' });
    const { db, auth } = c.get('deps');
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) return dashboardRedirect(c, provider, { error: 'not_signed_in' });
    const workspaceId = await connections.workspaceOfState(c.get('deps'), q.state);
    const membership = workspaceId ? await findMembership(db, workspaceId, session.user.id) : undefined;
    if (!workspaceId || !membership) return dashboardRedirect(c, provider, { error: 'invalid_state' });
    if (!hasRole(membership.role, 'admin')) return dashboardRedirect(c, provider, { error: 'forbidden' });
    try {
      await connections.completeOAuth(
        connectionsDepsOf(c),
        {
          kind: 'session',
          apiKeyId: null,
          userId: session.user.id,
          email: session.user.email,
          workspaceId,
          role: membership.role,
        },
        provider,
        { code: q.code, state: q.state },
        { viaCallback: true },
      );
      return dashboardRedirect(c, provider, {});
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      requestLogger(c).info({ provider, code: e.code }, 'oauth callback failed');
      return dashboardRedirect(c, provider, { error: e.code });
    }
  });
}
