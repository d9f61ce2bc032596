import { createLogger } from './chunk-EN3GNUY5.js';
import {
  AgentsResponseSchema,
  AuditEventSchema,
  AuditQuerySchema,
  BACKFILL_WEEKS,
  CallbackQuerySchema,
  CompleteBodySchema,
  ConnectionSchema,
  DEFAULT_INTERVAL_MINUTES,
  DisconnectQuerySchema,
  HistoryQuerySchema,
  HistoryResponseSchema,
  MetricsResponseSchema,
  ProviderParamSchema,
  RefreshAcceptedSchema,
  RefreshParamSchema,
  RefreshSchema,
  ScheduleBodySchema,
  StartResponseSchema,
  TokenBodySchema,
  UpdateWorkspaceBodySchema,
  deleteFinishedBefore,
  failRefresh,
  findRefresh,
  insertScheduledRefreshes,
  listAbandonedRefreshes,
  listCurrent,
  listHistory,
  requestRefresh,
  runRefresh,
  startQuerySchema,
  toAgentsResponse,
  toAuditEventDto,
  toConnectionDto,
  toHistoryResponse,
  toMetricsResponse,
  toRefreshDto,
} from './chunk-44WSAJAC.js';
import {
  AcceptInviteBodySchema,
  AcceptedInviteSchema,
  ApiKeySchema,
  CreateApiKeyBodySchema,
  CreateInviteBodySchema,
  CreateWorkspaceBodySchema,
  CreatedApiKeySchema,
  CreatedInviteSchema,
  ErrorResponseSchema,
  IdParamSchema,
  InviteSchema,
  MeSchema,
  MemberSchema,
  SessionSchema,
  SignInBodySchema,
  SignUpBodySchema,
  UpdateMemberBodySchema,
  UserIdParamSchema,
  WorkspaceSchema,
  acceptInvite,
  authenticateApiKey,
  changeMemberRole,
  createApiKeyAs,
  createInvite,
  createWorkspace,
  findFirstMembership,
  findMembership,
  findUser,
  findWorkspace2 as findWorkspace,
  hasRole,
  listApiKeys,
  listInvites,
  listMembers,
  removeMember,
  revokeApiKeyAs,
  revokeInvite,
  toApiKeyDto,
  toInviteDto,
  toMemberDto,
  toWorkspaceDto,
  updateWorkspaceAs,
} from './chunk-WD5DCS6Y.js';
import {
  claimDueConnections,
  completeOAuth,
  connectWithToken,
  connectionParams,
  deleteFinishedDeliveriesBefore,
  deleteWebhookAs,
  deliver,
  disconnect,
  findConnection,
  listAudit,
  listConnections,
  listWebhookDeliveries,
  listWebhooks,
  loadSandboxApps,
  recordAudit,
  redriveStaleDeliveries,
  registerWebhook,
  registry,
  resolveProvider,
  sandboxSettings,
  setNextRefreshTimes,
  setRefreshInterval,
  startOAuth,
  sweepExpiringTokens,
  telemetry,
  touchIdleConnections,
  workspaceOfState,
} from './chunk-6W4WS6LQ.js';
import { providers } from './chunk-GBRXWDP4.js';
import { PROVIDER_IDS } from './chunk-YPT27EPG.js';
import { AppError, newId, openDatabase, pendingMigrations, safeEqual, sha256Hex } from './chunk-KYBJ2MGV.js';
import './chunk-JFRFXCQY.js';
import './chunk-MAMGE6RR.js';

// src/http/metrics-server.ts
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// src/http/errors.ts
import { HTTPException } from 'hono/http-exception';
var STATUS = {
  invalid_body: 400,
  invalid_query: 400,
  invalid_params: 400,
  invalid_json: 400,
  invalid_state: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invite_expired: 410,
  invite_used: 410,
  payload_too_large: 413,
  credential_rejected: 422,
  provider_not_configured: 500,
  internal_error: 500,
  upstream_error: 502,
  not_ready: 503,
};
function fromHttpException(e) {
  if (e.status === 400) return new AppError('invalid_json', 'request body is not valid JSON');
  if (e.status === 401) return new AppError('unauthenticated', 'authentication required');
  if (e.status === 404) return new AppError('not_found', 'not found');
  if (e.status === 413) return new AppError('payload_too_large', 'request body too large');
  return new AppError('internal_error', 'internal error');
}
function renderError(err, c) {
  let appError;
  if (err instanceof AppError) appError = err;
  else if (err instanceof HTTPException && err.status < 500) appError = fromHttpException(err);
  else {
    c.var.logger.error({ err }, 'unhandled error');
    appError = new AppError('internal_error', `internal error (request id ${c.var.requestId})`);
  }
  const body = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
    },
  };
  return c.json(body, STATUS[appError.code]);
}

// src/http/routes/prometheus.ts
import { getConnInfo } from '@hono/node-server/conninfo';
import { createRoute, z as z2 } from '@hono/zod-openapi';
import { Gauge, Registry } from 'prom-client';

// src/db/repositories/fleet-stats.ts
import { sql } from 'kysely';
var JOB_STATES = Object.keys({
  created: true,
  retry: true,
  active: true,
  completed: true,
  cancelled: true,
  failed: true,
});
var CONNECTION_STATUSES = Object.keys({
  ok: true,
  needs_reauth: true,
  degraded: true,
});
var REFRESH_STATES = Object.keys({
  queued: true,
  running: true,
  retrying: true,
  succeeded: true,
  failed: true,
});
async function countJobsByQueueAndState(db) {
  const exists = await sql`
    select to_regclass('pgboss.job') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  const { rows } = await sql`
    select name as queue, state::text as state, count(*) as count
    from pgboss.job
    group by name, state`.execute(db);
  return rows.map((r) => ({ queue: r.queue, state: r.state, count: Number(r.count) }));
}
async function countConnectionsByProviderAndStatus(db) {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['provider', 'status', (eb) => eb.fn.countAll().as('count')])
    .groupBy(['provider', 'status'])
    .execute();
  return rows.map((r) => ({ provider: r.provider, status: r.status, count: Number(r.count) }));
}
async function countRefreshesByProviderAndState(db, now = /* @__PURE__ */ new Date()) {
  const rows = await db
    .selectFrom('metric_refreshes')
    .select(['provider', 'state', (eb) => eb.fn.countAll().as('count')])
    .where('queued_at', '>', new Date(now.getTime() - 24 * 36e5))
    .groupBy(['provider', 'state'])
    .execute();
  return rows.map((r) => ({ provider: r.provider, state: r.state, count: Number(r.count) }));
}

// src/jobs/catalog.ts
import { z } from 'zod';
var QUEUES = {
  /** One metrics refresh (manual or scheduled). Retries by error code are ours (src/jobs/refresh-handler.ts). */
  metricsRefresh: {
    name: 'metrics-refresh',
    payload: z.object({ refreshId: z.string().regex(/^ref_[0-9a-f]{20}$/) }),
    // pg-boss retries only a job whose worker died or overran its lease (expireInSeconds comes from config).
    options: { retryLimit: 3, retryDelay: 5, retryBackoff: true },
  },
  /** The minute cron: fans out one refresh per due connection (src/domain/schedule.ts). */
  fleetTick: {
    name: 'fleet-tick',
    payload: z.object({}).loose(),
    options: { retryLimit: 0 },
    cron: '* * * * *',
  },
  /** Every five minutes: tokens expiring within 15 minutes, connections idle for 24 hours. */
  tokenSweep: {
    name: 'token-sweep',
    payload: z.object({}).loose(),
    options: { retryLimit: 0 },
    cron: '*/5 * * * *',
  },
  /** Daily: finished refreshes and webhook deliveries older than the retention period are deleted. */
  retention: {
    name: 'retention',
    payload: z.object({}).loose(),
    options: { retryLimit: 1 },
    cron: '17 3 * * *',
  },
  /** One webhook delivery attempt; retries are rescheduled by the handler with its own backoff. */
  webhookDeliver: {
    name: 'webhook-deliver',
    payload: z.object({ deliveryId: z.string().regex(/^whd_[0-9a-f]{20}$/) }),
    options: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  },
};

// src/http/routes/prometheus.ts
async function fleetRegistry(db, logger) {
  const fleet = new Registry();
  const up = new Gauge({
    name: 'deskpulse_fleet_stats_up',
    help: '1 when the fleet gauges below were read from Postgres in this scrape, 0 when the read failed',
    registers: [fleet],
  });
  let counts;
  try {
    counts = await Promise.all([
      countJobsByQueueAndState(db),
      countConnectionsByProviderAndStatus(db),
      countRefreshesByProviderAndState(db),
    ]);
  } catch (e) {
    logger.warn({ err: e }, 'fleet metrics unavailable');
    up.set(0);
    return fleet;
  }
  up.set(1);
  const [jobs, connections, refreshes] = counts;
  const gauge = (name, help, [xLabel, xs], [yLabel, ys], rows) => {
    const g = new Gauge({ name, help, labelNames: [xLabel, yLabel], registers: [fleet] });
    for (const x of xs) for (const y of ys) g.set({ [xLabel]: x, [yLabel]: y }, 0);
    for (const r of rows) g.set({ [xLabel]: r.x, [yLabel]: r.y }, r.count);
  };
  gauge(
    'deskpulse_jobs',
    'Jobs in pg-boss (pgboss.job, not yet archived), by queue and state',
    ['queue', Object.values(QUEUES).map((q) => q.name)],
    ['state', JOB_STATES],
    jobs.map((j) => ({ x: j.queue, y: j.state, count: j.count })),
  );
  gauge(
    'deskpulse_connections',
    'Helpdesk connections, by provider and status (ok, needs_reauth, degraded)',
    ['provider', PROVIDER_IDS],
    ['status', CONNECTION_STATUSES],
    connections.map((r) => ({ x: r.provider, y: r.status, count: r.count })),
  );
  gauge(
    'deskpulse_refreshes',
    'Metric refreshes requested in the last 24 hours, by provider and state',
    ['provider', PROVIDER_IDS],
    ['state', REFRESH_STATES],
    refreshes.map((r) => ({ x: r.provider, y: r.state, count: r.count })),
  );
  return fleet;
}
async function prometheusText(db, logger) {
  const fleet = await fleetRegistry(db, logger);
  return Registry.merge([registry, fleet]).metrics();
}
var PROMETHEUS_CONTENT_TYPE = registry.contentType;
function isLoopback(address) {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
function remoteAddress(c) {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return void 0;
  }
}
var BEARER = /^Bearer\s+(\S+)\s*$/i;
function checkMetricsAccess(c, token2) {
  if (token2 !== void 0) {
    const given = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === void 0 || !safeEqual(sha256Hex(given), sha256Hex(token2))) {
      throw new AppError('unauthenticated', 'metrics need Authorization: Bearer <DESKPULSE_METRICS_TOKEN>');
    }
    return;
  }
  if (!isLoopback(remoteAddress(c))) {
    throw new AppError(
      'forbidden',
      'metrics are served to loopback callers only while DESKPULSE_METRICS_TOKEN is unset; set it to scrape from another host',
    );
  }
}
var errorResponse = (description) => ({
  description,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});
var prometheus = createRoute({
  method: 'get',
  path: '/metrics/prometheus',
  tags: ['System'],
  summary: 'Prometheus metrics: this process, plus fleet-wide jobs, connections and refreshes',
  description:
    'Prometheus text format (docs/operations.md lists every metric). With DESKPULSE_METRICS_TOKEN set, send it as `Authorization: Bearer <token>`; unset, only loopback callers are answered. Workspace API keys are not accepted.',
  'x-min-role': 'metrics-token',
  security: [{ metricsToken: [] }],
  responses: {
    200: {
      description: 'Prometheus text exposition format',
      content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z2.string() } },
    },
    401: errorResponse('DESKPULSE_METRICS_TOKEN is set and the request does not carry it'),
    403: errorResponse('DESKPULSE_METRICS_TOKEN is unset and the caller is not on loopback'),
  },
});
function registerPrometheusRoutes(app) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'DESKPULSE_METRICS_TOKEN, for `GET /metrics/prometheus` only (not a workspace API key)',
  });
  app.openapi(prometheus, async (c) => {
    checkMetricsAccess(c, c.var.deps.config.metricsToken);
    const body = await prometheusText(c.var.deps.db, c.var.logger);
    return c.text(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
}

// src/http/metrics-server.ts
async function startMetricsServer(options) {
  const { db, logger, token: token2 } = options;
  const app = new Hono();
  app.get('/metrics', async (c) => {
    checkMetricsAccess(c, token2);
    return c.text(await prometheusText(db, logger), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((e, c) => {
    if (e instanceof AppError) {
      return c.json({ error: { code: e.code, message: e.message } }, STATUS[e.code]);
    }
    logger.error({ err: e }, 'metrics server error');
    return c.json({ error: { code: 'internal_error', message: 'internal error' } }, 500);
  });
  const server = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address();
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`;
  logger.info({ url }, 'metrics listening');
  let closing;
  return {
    url,
    close: () =>
      (closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      })),
  };
}

// src/main.ts
import { serve as serve2 } from '@hono/node-server';

// src/http/app.ts
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';

// src/http/routes/api-keys.ts
import { z as z3 } from '@hono/zod-openapi';

// src/http/authorize.ts
var BEARER2 = /^Bearer\s+(\S+)\s*$/i;
var WORKSPACE_HEADER = 'x-workspace-id';
async function identify(c) {
  const { db, auth } = c.var.deps;
  const authorization = c.req.header('authorization');
  if (authorization !== void 0) {
    const token2 = BEARER2.exec(authorization)?.[1];
    const key = token2 ? await authenticateApiKey(db, token2) : void 0;
    if (!key) throw new AppError('unauthenticated', 'invalid or revoked API key');
    return { kind: 'api_key', apiKeyId: key.id, userId: null, workspaceId: key.workspaceId, role: key.role };
  }
  const session = await auth.api.getSession({ headers: c.req.raw.headers });
  if (!session) return null;
  const requested = c.req.header(WORKSPACE_HEADER);
  const membership = requested
    ? await findMembership(db, requested, session.user.id)
    : await findFirstMembership(db, session.user.id);
  if (requested && !membership) throw new AppError('not_found', `workspace ${requested} not found`);
  return {
    kind: 'session',
    apiKeyId: null,
    userId: session.user.id,
    email: session.user.email,
    workspaceId: membership?.workspaceId ?? null,
    role: membership?.role ?? null,
  };
}
function authorize(minRole) {
  return async (c, next) => {
    if (minRole === 'public') return next();
    const principal = await identify(c);
    if (!principal)
      throw new AppError('unauthenticated', 'sign in or send an API key (Authorization: Bearer)');
    if (minRole !== 'authenticated') {
      if (!principal.workspaceId || !principal.role) {
        throw new AppError('not_found', 'you are not a member of any workspace');
      }
      if (!hasRole(principal.role, minRole)) {
        throw new AppError('forbidden', `this action needs the ${minRole} role; you are ${principal.role}`);
      }
    }
    c.set('principal', principal);
    return next();
  };
}
function principalOf(c) {
  const p = c.var.principal;
  if (!p) throw new Error('principalOf used on a public route');
  return p;
}
function workspacePrincipalOf(c) {
  const p = principalOf(c);
  if (!p.workspaceId || !p.role) throw new Error('workspacePrincipalOf used below the member role');
  return p;
}
function sessionUserOf(c) {
  const p = principalOf(c);
  if (p.kind !== 'session')
    throw new AppError('forbidden', 'this action needs a signed-in user, not an API key');
  return { userId: p.userId, email: p.email };
}

// src/http/route.ts
import { createRoute as createRoute2 } from '@hono/zod-openapi';
var errorResponse2 = (description) => ({
  description,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});
function defineRoute(minRole, config) {
  return createRoute2({
    ...config,
    'x-min-role': minRole,
    ...(minRole === 'public' ? {} : { security: [{ apiKey: [] }, { session: [] }] }),
    middleware: [authorize(minRole)],
    responses: {
      ...config.responses,
      400: errorResponse2('Invalid request'),
      ...(minRole === 'public'
        ? {}
        : {
            401: errorResponse2('Not signed in, or API key invalid/revoked'),
            403: errorResponse2('Role too low'),
            404: errorResponse2('Not found, or not a member of any workspace'),
          }),
    },
  });
}
var jsonContent = (schema) => ({
  content: { 'application/json': { schema } },
});

// src/http/routes/api-keys.ts
var create = defineRoute('admin', {
  method: 'post',
  path: '/apikeys',
  tags: ['API keys'],
  summary: 'Create a workspace API key (the secret is shown once)',
  request: { body: { ...jsonContent(CreateApiKeyBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...jsonContent(CreatedApiKeySchema) } },
});
var list = defineRoute('admin', {
  method: 'get',
  path: '/apikeys',
  tags: ['API keys'],
  summary: "The workspace's API keys (never their secrets)",
  responses: { 200: { description: 'Keys', ...jsonContent(z3.object({ apiKeys: z3.array(ApiKeySchema) })) } },
});
var revoke = defineRoute('admin', {
  method: 'delete',
  path: '/apikeys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' } },
});
function registerApiKeyRoutes(app) {
  app.openapi(create, async (c) => {
    const { apiKey, secret } = await createApiKeyAs(
      c.var.deps.db,
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    return c.json({ ...toApiKeyDto(apiKey), key: secret }, 201);
  });
  app.openapi(list, async (c) => {
    const keys = await listApiKeys(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json({ apiKeys: keys.map(toApiKeyDto) }, 200);
  });
  app.openapi(revoke, async (c) => {
    await revokeApiKeyAs(c.var.deps.db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}

// src/http/routes/auth.ts
var signUp = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-up',
  tags: ['Auth'],
  summary: 'Create an account and sign in (sets the session cookie)',
  request: { body: { ...jsonContent(SignUpBodySchema), required: true } },
  responses: {
    201: { description: 'Signed up', ...jsonContent(SessionSchema) },
    409: { description: 'Email taken' },
  },
});
var signIn = defineRoute('public', {
  method: 'post',
  path: '/auth/sign-in',
  tags: ['Auth'],
  summary: 'Sign in with email and password (sets the session cookie)',
  request: { body: { ...jsonContent(SignInBodySchema), required: true } },
  responses: { 200: { description: 'Signed in', ...jsonContent(SessionSchema) } },
});
var signOut = defineRoute('authenticated', {
  method: 'post',
  path: '/auth/sign-out',
  tags: ['Auth'],
  summary: 'End the session',
  responses: { 204: { description: 'Signed out' } },
});
async function relay(c, res, onError) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok || !body.user) throw onError(res.status, body.code ?? '');
  for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
  return { user: { id: body.user.id, email: body.user.email, name: body.user.name } };
}
function registerAuthRoutes(app) {
  app.openapi(signUp, async (c) => {
    const res = await c.var.deps.auth.api.signUpEmail({
      body: c.req.valid('json'),
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const session = await relay(c, res, (status, code) =>
      code.startsWith('USER_ALREADY_EXISTS') || status === 422
        ? new AppError('conflict', 'an account with this email already exists')
        : new AppError('invalid_body', 'could not create the account'),
    );
    return c.json(session, 201);
  });
  app.openapi(signIn, async (c) => {
    const res = await c.var.deps.auth.api.signInEmail({
      body: c.req.valid('json'),
      headers: c.req.raw.headers,
      asResponse: true,
    });
    const session = await relay(c, res, () => new AppError('unauthenticated', 'wrong email or password'));
    return c.json(session, 200);
  });
  app.openapi(signOut, async (c) => {
    const res = await c.var.deps.auth.api.signOut({ headers: c.req.raw.headers, asResponse: true });
    for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    return c.body(null, 204);
  });
}

// src/http/routes/integrations.ts
import { z as z4 } from '@hono/zod-openapi';

// src/domain/schedule.ts
import { createHash } from 'node:crypto';
var DEGRADED_INTERVAL_MINUTES = 24 * 60;
var MAX_INTERVAL_MINUTES = 24 * 60;
var BATCH = 500;
var MINUTE_MS = 6e4;
var intervalOf = (c) =>
  c.status === 'degraded'
    ? DEGRADED_INTERVAL_MINUTES
    : (c.refreshIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES);
function slotStart(connectionId, now, intervalMinutes) {
  const period = intervalMinutes * MINUTE_MS;
  const offset = createHash('sha256').update(connectionId).digest().readUInt32BE(0) % period;
  return new Date(Math.floor((now.getTime() - offset) / period) * period + offset);
}
async function scheduleDue(deps, now) {
  const abandoned = await listAbandonedRefreshes(
    deps.db,
    new Date(Date.now() - 3 * deps.config.jobs.leaseSeconds * 1e3),
    BATCH,
  );
  for (const r of abandoned) {
    await failRefresh(deps, r, {
      code: 'worker_lost',
      detail: 'the refresh did not finish: every worker that ran it stopped before the end',
    });
  }
  let scheduled = 0;
  for (;;) {
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const due = await claimDueConnections(trx, now, BATCH);
      const planned = due.map((c) => {
        const interval = intervalOf(c);
        const slot = slotStart(c.id, now, interval);
        return { c, slot, next: new Date(slot.getTime() + interval * MINUTE_MS) };
      });
      const ids = await insertScheduledRefreshes(
        trx,
        planned.map(({ c, slot }) => ({
          id: newId('ref'),
          connectionId: c.id,
          workspaceId: c.workspaceId,
          provider: c.provider,
          slot,
        })),
        {
          backfillWeeks: BACKFILL_WEEKS,
          staleBefore: new Date(now.getTime() - DEGRADED_INTERVAL_MINUTES * MINUTE_MS),
        },
      );
      await setNextRefreshTimes(
        trx,
        planned.map((p) => ({ id: p.c.id, at: p.next })),
      );
      await deps.jobs.sendMany(
        'metricsRefresh',
        ids.map((refreshId) => ({ refreshId })),
        { trx },
      );
      scheduled += ids.length;
      return due.length;
    });
    if (claimed < BATCH) break;
  }
  if (scheduled > 0 || abandoned.length > 0)
    deps.logger.info({ scheduled, abandoned: abandoned.length }, 'refreshes scheduled');
  return { scheduled };
}
var minIntervalOf = (provider) =>
  providers[provider].metrics?.minRefreshIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
async function setRefreshInterval2(deps, caller, provider, minutes) {
  const connection = await findConnection(deps.db, caller.workspaceId, provider);
  if (!connection) throw new AppError('not_found', `no ${provider} connection in this workspace`);
  const min = minIntervalOf(provider);
  if (minutes !== null && (minutes < min || minutes > MAX_INTERVAL_MINUTES)) {
    throw new AppError(
      'invalid_body',
      `refreshIntervalMinutes for ${provider} must be between ${min} and ${MAX_INTERVAL_MINUTES} (its rate limits allow no more often than every ${min} minutes)`,
      [{ path: 'refreshIntervalMinutes', message: `must be between ${min} and ${MAX_INTERVAL_MINUTES}` }],
    );
  }
  const interval = minutes ?? DEFAULT_INTERVAL_MINUTES;
  const updated = await setRefreshInterval(
    deps.db,
    connection.id,
    minutes,
    new Date(Date.now() + interval * MINUTE_MS),
  );
  await recordAudit(deps.db, {
    workspaceId: caller.workspaceId,
    actor: caller,
    action: 'connection.schedule',
    provider,
    outcome: 'ok',
    detail:
      minutes === null ? 'refresh interval reset to hourly' : `refresh interval set to ${minutes} minutes`,
  });
  return updated;
}
var HISTORY_RETENTION_DAYS = 30;
async function pruneHistory(db, now, retentionDays = HISTORY_RETENTION_DAYS) {
  const before = new Date(now.getTime() - retentionDays * 24 * 60 * MINUTE_MS);
  return {
    refreshes: await deleteFinishedBefore(db, before),
    deliveries: await deleteFinishedDeliveriesBefore(db, before),
  };
}

// src/http/routes/integrations.ts
var connectionDto = (c) =>
  toConnectionDto(c, { effectiveMinutes: intervalOf(c), minMinutes: minIntervalOf(c.provider) });
var connectionsDepsOf = (c) => {
  const d = c.var.deps;
  return {
    db: d.db,
    keyring: d.keyring,
    config: d.config,
    logger: c.var.logger,
    resolve: d.resolveProvider,
    jobs: d.jobs,
  };
};
var list2 = defineRoute('member', {
  method: 'get',
  path: '/integrations/connections',
  tags: ['Integrations'],
  summary: 'One row per connected helpdesk (never a token)',
  responses: {
    200: {
      description: 'Connections',
      ...jsonContent(z4.object({ connections: z4.array(ConnectionSchema) })),
    },
  },
});
var remove = defineRoute('admin', {
  method: 'delete',
  path: '/integrations/connections',
  tags: ['Integrations'],
  summary:
    'Disconnect: revoke at the helpdesk where it offers revocation, then destroy the stored credential',
  request: { query: DisconnectQuerySchema },
  responses: { 204: { description: 'Disconnected' } },
});
var schedule = defineRoute('admin', {
  method: 'patch',
  path: '/integrations/connections',
  tags: ['Integrations'],
  summary: "Set a connection's refresh interval (bounded by the helpdesk's rate limits; null = hourly)",
  request: {
    query: DisconnectQuerySchema,
    body: { required: true, content: { 'application/json': { schema: ScheduleBodySchema } } },
  },
  responses: { 200: { description: 'The connection', ...jsonContent(ConnectionSchema) } },
});
var start = defineRoute('admin', {
  method: 'get',
  path: '/integrations/{provider}/start',
  tags: ['Integrations'],
  summary: 'Begin OAuth: returns the helpdesk authorize URL (state single use, 10 minutes)',
  request: { params: ProviderParamSchema, query: startQuerySchema(connectionParams()) },
  responses: {
    200: { description: 'Authorize URL', ...jsonContent(StartResponseSchema) },
    500: { description: 'provider_not_configured: missing <PROVIDER>_CLIENT_ID' },
  },
});
var complete = defineRoute('admin', {
  method: 'post',
  path: '/integrations/{provider}/complete',
  tags: ['Integrations'],
  summary: 'Finish OAuth: exchange the code, verify the account, store the credential encrypted',
  request: { params: ProviderParamSchema, body: { ...jsonContent(CompleteBodySchema), required: true } },
  responses: {
    200: { description: 'Connected', ...jsonContent(ConnectionSchema) },
    422: { description: 'The helpdesk rejected the code' },
    502: { description: 'The helpdesk is unavailable' },
  },
});
var callback = defineRoute('public', {
  method: 'get',
  path: '/integrations/{provider}/callback',
  tags: ['Integrations'],
  summary:
    'Redirect URI registered at the helpdesk: completes the flow for the signed-in user, then redirects',
  request: { params: ProviderParamSchema, query: CallbackQuerySchema },
  responses: { 302: { description: 'To the dashboard with ?integration=<provider>&status=connected|error' } },
});
var token = defineRoute('admin', {
  method: 'post',
  path: '/integrations/{provider}/token',
  tags: ['Integrations'],
  summary: 'Connect with an API token instead of OAuth (verified against the helpdesk before it is stored)',
  request: { params: ProviderParamSchema, body: { ...jsonContent(TokenBodySchema), required: true } },
  responses: {
    200: { description: 'Connected', ...jsonContent(ConnectionSchema) },
    422: { description: 'The helpdesk rejected the credential; nothing stored' },
  },
});
var audit = defineRoute('admin', {
  method: 'get',
  path: '/audit',
  tags: ['Integrations'],
  summary:
    'Connect, reconnect, disconnect, refresh failure and recovery, key rotation: who, when, what, outcome',
  request: { query: AuditQuerySchema },
  responses: {
    200: { description: 'Newest first', ...jsonContent(z4.object({ events: z4.array(AuditEventSchema) })) },
  },
});
function dashboardRedirect(c, provider, outcome) {
  const url = new URL(c.var.deps.config.publicUrl);
  url.pathname = '/';
  url.searchParams.set('integration', provider);
  url.searchParams.set('status', outcome.error ? 'error' : 'connected');
  if (outcome.error)
    url.searchParams.set('error', outcome.error.replace(/[^a-z_]/g, '').slice(0, 40) || 'unknown');
  return c.redirect(url.toString(), 302);
}
function registerIntegrationRoutes(app) {
  app.openapi(list2, async (c) => {
    const rows = await listConnections(c.var.deps, workspacePrincipalOf(c).workspaceId);
    return c.json({ connections: rows.map(connectionDto) }, 200);
  });
  app.openapi(remove, async (c) => {
    await disconnect(connectionsDepsOf(c), workspacePrincipalOf(c), c.req.valid('query').provider);
    return c.body(null, 204);
  });
  app.openapi(schedule, async (c) => {
    const updated = await setRefreshInterval2(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      c.req.valid('query').provider,
      c.req.valid('json').refreshIntervalMinutes,
    );
    return c.json(connectionDto(updated), 200);
  });
  app.openapi(start, async (c) => {
    const { provider } = c.req.valid('param');
    const { authorizeUrl, expiresAt } = await startOAuth(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      provider,
      c.req.valid('query'),
    );
    return c.json({ authorizeUrl, expiresAt: expiresAt.toISOString() }, 200);
  });
  app.openapi(complete, async (c) => {
    const { provider } = c.req.valid('param');
    const conn = await completeOAuth(
      connectionsDepsOf(c),
      workspacePrincipalOf(c),
      provider,
      c.req.valid('json'),
    );
    return c.json(connectionDto(conn), 200);
  });
  app.openapi(token, async (c) => {
    const { provider } = c.req.valid('param');
    const conn = await connectWithToken(
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
    const { db, auth } = c.var.deps;
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) return dashboardRedirect(c, provider, { error: 'not_signed_in' });
    const workspaceId = await workspaceOfState(c.var.deps, q.state);
    const membership = workspaceId ? await findMembership(db, workspaceId, session.user.id) : void 0;
    if (!workspaceId || !membership) return dashboardRedirect(c, provider, { error: 'invalid_state' });
    if (!hasRole(membership.role, 'admin')) return dashboardRedirect(c, provider, { error: 'forbidden' });
    try {
      await completeOAuth(
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
      c.var.logger.info({ provider, code: e.code }, 'oauth callback failed');
      return dashboardRedirect(c, provider, { error: e.code });
    }
  });
  app.openapi(audit, async (c) => {
    const q = c.req.valid('query');
    const events = await listAudit(c.var.deps.db, workspacePrincipalOf(c).workspaceId, {
      limit: q.limit,
      ...(q.before ? { before: q.before } : {}),
    });
    return c.json({ events: events.map(toAuditEventDto) }, 200);
  });
}

// src/http/routes/metrics.ts
var refresh = defineRoute('admin', {
  method: 'post',
  path: '/integrations/{provider}/refresh',
  tags: ['Metrics'],
  summary: 'Refresh now: queue a metrics refresh of this connection (the first one backfills 12 weeks)',
  request: { params: ProviderParamSchema },
  responses: { 202: { description: 'Queued', ...jsonContent(RefreshAcceptedSchema) } },
});
var getRefresh = defineRoute('member', {
  method: 'get',
  path: '/refreshes/{id}',
  tags: ['Metrics'],
  summary: 'State, progress, timings and error of a refresh',
  request: { params: RefreshParamSchema },
  responses: { 200: { description: 'The refresh', ...jsonContent(RefreshSchema) } },
});
var current = defineRoute('member', {
  method: 'get',
  path: '/metrics',
  tags: ['Metrics'],
  summary: 'Current metrics per connected helpdesk (rolling windows ending at measuredAt)',
  responses: {
    200: { description: 'Metrics', ...jsonContent(MetricsResponseSchema) },
  },
});
var history = defineRoute('member', {
  method: 'get',
  path: '/metrics/history',
  tags: ['Metrics'],
  summary: 'Completed weeks (Monday\u2013Sunday in the workspace timezone), oldest first',
  request: { query: HistoryQuerySchema },
  responses: {
    200: { description: 'Weeks', ...jsonContent(HistoryResponseSchema) },
  },
});
var agents = defineRoute('member', {
  method: 'get',
  path: '/metrics/agents',
  tags: ['Metrics'],
  summary: 'Per-agent tickets (7 days), CSAT (30 days) and median first response',
  responses: { 200: { description: 'Agents', ...jsonContent(AgentsResponseSchema) } },
});
var patchWorkspace = defineRoute('admin', {
  method: 'patch',
  path: '/workspace',
  tags: ['Identity'],
  summary: 'Rename the workspace or set its timezone (weekly history follows it)',
  request: { body: { ...jsonContent(UpdateWorkspaceBodySchema), required: true } },
  responses: { 200: { description: 'Updated', ...jsonContent(WorkspaceSchema) } },
});
function registerMetricsRoutes(app) {
  app.openapi(refresh, async (c) => {
    const caller = workspacePrincipalOf(c);
    const { provider } = c.req.valid('param');
    const r = await requestRefresh(
      connectionsDepsOf(c),
      { workspaceId: caller.workspaceId, provider, actor: caller },
      { queue: c.var.deps.jobs },
    );
    return c.json({ refreshId: r.id }, 202);
  });
  app.openapi(getRefresh, async (c) => {
    const r = await findRefresh(c.var.deps.db, c.req.valid('param').id, workspacePrincipalOf(c).workspaceId);
    if (!r) throw new AppError('not_found', 'refresh not found');
    return c.json(toRefreshDto(r), 200);
  });
  app.openapi(current, async (c) => {
    const rows = await listCurrent(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json(toMetricsResponse(rows), 200);
  });
  app.openapi(history, async (c) => {
    const { timezone, rows } = await listHistory(
      c.var.deps.db,
      workspacePrincipalOf(c).workspaceId,
      c.req.valid('query').weeks,
    );
    return c.json(toHistoryResponse(timezone, rows), 200);
  });
  app.openapi(agents, async (c) => {
    const rows = await listCurrent(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json(toAgentsResponse(rows), 200);
  });
  app.openapi(patchWorkspace, async (c) => {
    const ws = await updateWorkspaceAs(c.var.deps.db, workspacePrincipalOf(c), c.req.valid('json'));
    return c.json(toWorkspaceDto(ws), 200);
  });
}

// src/http/routes/system.ts
import { z as z5 } from '@hono/zod-openapi';
import { sql as sql2 } from 'kysely';
var healthz = defineRoute('public', {
  method: 'get',
  path: '/healthz',
  tags: ['System'],
  summary: 'The process is alive',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z5.object({ status: z5.literal('ok') }) } },
    },
  },
});
var readyz = defineRoute('public', {
  method: 'get',
  path: '/readyz',
  tags: ['System'],
  summary: 'The database is reachable and every migration is applied',
  responses: {
    200: {
      description: 'Ready',
      content: { 'application/json': { schema: z5.object({ status: z5.literal('ready') }) } },
    },
    503: { description: 'Not ready' },
  },
});
function registerSystemRoutes(app) {
  app.openapi(healthz, (c) => c.json({ status: 'ok' }, 200));
  app.openapi(readyz, async (c) => {
    const { db } = c.var.deps;
    try {
      await sql2`select 1`.execute(db);
    } catch {
      throw new AppError('not_ready', 'database unreachable');
    }
    const pending = await pendingMigrations(db);
    if (pending.length > 0) throw new AppError('not_ready', `migrations pending: ${pending.join(', ')}`);
    return c.json({ status: 'ready' }, 200);
  });
}

// src/http/routes/webhooks.ts
import { z as z7 } from '@hono/zod-openapi';

// src/contracts/webhooks.ts
import { z as z6 } from '@hono/zod-openapi';
var WebhookEventSchema = z6
  .enum([
    'connection.needs_reauth',
    'connection.recovered',
    'refresh.failed',
    'refresh.succeeded',
    'metrics.updated',
  ])
  .openapi('WebhookEvent');
var CreateWebhookBodySchema = z6
  .strictObject({
    url: z6.string().min(1).max(2048).openapi({
      description:
        'http(s) URL that must resolve to public addresses only (docs/webhooks.md: DESKPULSE_WEBHOOK_ALLOWED_NETWORKS)',
      example: 'https://hooks.example.com/deskpulse',
    }),
    events: z6
      .array(WebhookEventSchema)
      .min(1, 'subscribe to at least one event')
      .refine((events) => new Set(events).size === events.length, 'events must be unique'),
  })
  .openapi('CreateWebhook');
var WebhookSchema = z6
  .object({
    id: z6.string(),
    url: z6.string(),
    events: z6.array(WebhookEventSchema),
    createdAt: z6.iso.datetime(),
  })
  .openapi('Webhook');
var CreatedWebhookSchema = WebhookSchema.extend({
  secret: z6.string().openapi({
    description:
      'Signing secret (`whsec_\u2026`). Shown once; store it now. See docs/webhooks.md to verify deliveries.',
  }),
}).openapi('CreatedWebhook');
var WebhookParamSchema = z6.object({
  id: z6.string().regex(/^wh_[0-9a-f]{20}$/, 'must be a webhook id'),
});
var DeliveriesQuerySchema = z6.strictObject({
  limit: z6.coerce.number().int().min(1).max(100).default(20),
});
var WebhookAttemptSchema = z6
  .object({
    at: z6.iso.datetime(),
    statusCode: z6.number().int().nullable(),
    error: z6.string().nullable(),
    durationMs: z6.number().int(),
  })
  .openapi('WebhookAttempt');
var WebhookDeliverySchema = z6
  .object({
    id: z6.string(),
    eventId: z6.string(),
    eventType: z6.string(),
    state: z6.enum(['pending', 'succeeded', 'failed']),
    attempts: z6.array(WebhookAttemptSchema),
    nextAttemptAt: z6.iso.datetime().nullable(),
    createdAt: z6.iso.datetime(),
    deliveredAt: z6.iso.datetime().nullable(),
  })
  .openapi('WebhookDelivery');
var toWebhookDto = (w) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  createdAt: w.createdAt.toISOString(),
});
var toDeliveryDto = (d) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

// src/http/routes/webhooks.ts
var create2 = defineRoute('admin', {
  method: 'post',
  path: '/webhooks',
  tags: ['Webhooks'],
  summary: 'Register a webhook endpoint (the signing secret is shown once)',
  request: { body: { ...jsonContent(CreateWebhookBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...jsonContent(CreatedWebhookSchema) } },
});
var list3 = defineRoute('admin', {
  method: 'get',
  path: '/webhooks',
  tags: ['Webhooks'],
  summary: "The workspace's webhook endpoints (never their secrets)",
  responses: {
    200: { description: 'Endpoints', ...jsonContent(z7.object({ webhooks: z7.array(WebhookSchema) })) },
  },
});
var remove2 = defineRoute('admin', {
  method: 'delete',
  path: '/webhooks/{id}',
  tags: ['Webhooks'],
  summary: 'Delete a webhook endpoint and its delivery log',
  request: { params: WebhookParamSchema },
  responses: { 204: { description: 'Deleted' } },
});
var deliveries = defineRoute('admin', {
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  tags: ['Webhooks'],
  summary: "An endpoint's deliveries, newest first, each with its attempts",
  request: { params: WebhookParamSchema, query: DeliveriesQuerySchema },
  responses: {
    200: {
      description: 'Deliveries',
      ...jsonContent(z7.object({ deliveries: z7.array(WebhookDeliverySchema) })),
    },
  },
});
function registerWebhookRoutes(app) {
  app.openapi(create2, async (c) => {
    const { endpoint, secret } = await registerWebhook(
      c.var.deps,
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    return c.json({ ...toWebhookDto(endpoint), secret }, 201);
  });
  app.openapi(list3, async (c) => {
    const all = await listWebhooks(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json({ webhooks: all.map(toWebhookDto) }, 200);
  });
  app.openapi(remove2, async (c) => {
    await deleteWebhookAs(c.var.deps.db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(deliveries, async (c) => {
    const list4 = await listWebhookDeliveries(
      c.var.deps.db,
      workspacePrincipalOf(c).workspaceId,
      c.req.valid('param').id,
      c.req.valid('query').limit,
    );
    return c.json({ deliveries: list4.map(toDeliveryDto) }, 200);
  });
}

// src/http/routes/workspaces.ts
import { z as z8 } from '@hono/zod-openapi';
var me = defineRoute('authenticated', {
  method: 'get',
  path: '/me',
  tags: ['Identity'],
  summary: "The caller's user, workspace and role",
  responses: { 200: { description: 'Who you are', ...jsonContent(MeSchema) } },
});
var createWorkspace2 = defineRoute('authenticated', {
  method: 'post',
  path: '/workspaces',
  tags: ['Identity'],
  summary: 'Create a workspace; the signed-in caller becomes its Owner',
  request: { body: { ...jsonContent(CreateWorkspaceBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...jsonContent(WorkspaceSchema) } },
});
var listMembers2 = defineRoute('member', {
  method: 'get',
  path: '/members',
  tags: ['Members'],
  summary: "The workspace's teammates",
  responses: {
    200: { description: 'Members', ...jsonContent(z8.object({ members: z8.array(MemberSchema) })) },
  },
});
var updateMember = defineRoute('owner', {
  method: 'patch',
  path: '/members/{userId}',
  tags: ['Members'],
  summary: "Change a teammate's role (Owner only)",
  request: { params: UserIdParamSchema, body: { ...jsonContent(UpdateMemberBodySchema), required: true } },
  responses: { 204: { description: 'Changed' } },
});
var removeMember2 = defineRoute('admin', {
  method: 'delete',
  path: '/members/{userId}',
  tags: ['Members'],
  summary: 'Remove a teammate (Owner: anyone but themselves; Admin: members only)',
  request: { params: UserIdParamSchema },
  responses: { 204: { description: 'Removed' } },
});
var createInvite2 = defineRoute('admin', {
  method: 'post',
  path: '/invites',
  tags: ['Members'],
  summary: 'Create a single-use invite link carrying a role (expires in 7 days)',
  request: { body: { ...jsonContent(CreateInviteBodySchema), required: true } },
  responses: { 201: { description: 'Created; the link is shown once', ...jsonContent(CreatedInviteSchema) } },
});
var listInvites2 = defineRoute('admin', {
  method: 'get',
  path: '/invites',
  tags: ['Members'],
  summary: 'Invites of this workspace',
  responses: {
    200: { description: 'Invites', ...jsonContent(z8.object({ invites: z8.array(InviteSchema) })) },
  },
});
var revokeInvite2 = defineRoute('admin', {
  method: 'delete',
  path: '/invites/{id}',
  tags: ['Members'],
  summary: 'Revoke a pending invite',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' } },
});
var acceptInvite2 = defineRoute('authenticated', {
  method: 'post',
  path: '/invites/accept',
  tags: ['Members'],
  summary: 'Join the workspace of an invite (signed-in user)',
  request: { body: { ...jsonContent(AcceptInviteBodySchema), required: true } },
  responses: {
    200: { description: 'Joined', ...jsonContent(AcceptedInviteSchema) },
    410: { description: 'Expired or already used' },
  },
});
function registerWorkspaceRoutes(app) {
  app.openapi(me, async (c) => {
    const p = principalOf(c);
    const { db } = c.var.deps;
    const user = p.userId ? await findUser(db, p.userId) : void 0;
    const ws = p.workspaceId ? await findWorkspace(db, p.workspaceId) : void 0;
    return c.json(
      {
        user: user ? { id: user.id, email: user.email, name: user.name } : null,
        workspace: ws ? { id: ws.id, name: ws.name } : null,
        role: p.role,
        via: p.kind,
      },
      200,
    );
  });
  app.openapi(createWorkspace2, async (c) => {
    const { userId } = sessionUserOf(c);
    const ws = await createWorkspace(c.var.deps.db, {
      name: c.req.valid('json').name,
      ownerUserId: userId,
    });
    return c.json(toWorkspaceDto(ws), 201);
  });
  app.openapi(listMembers2, async (c) => {
    const members = await listMembers(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json({ members: members.map(toMemberDto) }, 200);
  });
  app.openapi(updateMember, async (c) => {
    const { userId } = c.req.valid('param');
    await changeMemberRole(c.var.deps.db, workspacePrincipalOf(c), userId, c.req.valid('json').role);
    return c.body(null, 204);
  });
  app.openapi(removeMember2, async (c) => {
    await removeMember(c.var.deps.db, workspacePrincipalOf(c), c.req.valid('param').userId);
    return c.body(null, 204);
  });
  app.openapi(createInvite2, async (c) => {
    const { invite, token: token2 } = await createInvite(
      c.var.deps.db,
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    const url = `${c.var.deps.config.publicUrl}/invite#token=${token2}`;
    return c.json({ ...toInviteDto(invite), token: token2, url }, 201);
  });
  app.openapi(listInvites2, async (c) => {
    const invites = await listInvites(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json({ invites: invites.map(toInviteDto) }, 200);
  });
  app.openapi(revokeInvite2, async (c) => {
    await revokeInvite(c.var.deps.db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(acceptInvite2, async (c) => {
    const { userId } = sessionUserOf(c);
    const { workspace, role } = await acceptInvite(c.var.deps.db, {
      token: c.req.valid('json').token,
      userId,
    });
    return c.json({ workspace: { id: workspace.id, name: workspace.name }, role }, 200);
  });
}

// src/http/app.ts
var TARGET_CODE = {
  json: 'invalid_body',
  query: 'invalid_query',
  param: 'invalid_params',
  header: 'invalid_params',
};
var PLACEHOLDER_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deskpulse</title></head>
<body><h1>Deskpulse</h1><p>The service is running. API reference: <a href="/docs">/docs</a>.</p></body></html>`;
function createApp(deps) {
  const app = new OpenAPIHono({
    // Validation failures become the error contract with one detail per offending field.
    defaultHook: (result) => {
      if (result.success) return;
      const details = result.error.issues.flatMap((i) => {
        const at = i.path.map(String);
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'unknown field' }));
        }
        return [{ path: at.join('.') || '(root)', message: i.message }];
      });
      const code = TARGET_CODE[result.target] ?? 'invalid_body';
      throw new AppError(
        code,
        `invalid request ${result.target === 'json' ? 'body' : result.target}`,
        details,
      );
    },
  });
  app.use('*', requestId({ headerName: 'X-Request-Id' }), async (c, next) => {
    const start2 = performance.now();
    c.set('deps', deps);
    c.set('principal', null);
    c.set('logger', deps.logger.child({ reqId: c.var.requestId }));
    await next();
    c.var.logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - start2),
      },
      'request',
    );
  });
  app.use('*', secureHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new AppError('payload_too_large', 'request body over 1 MiB');
      },
    }),
  );
  registerSystemRoutes(app);
  registerAuthRoutes(app);
  registerWorkspaceRoutes(app);
  registerApiKeyRoutes(app);
  registerIntegrationRoutes(app);
  registerMetricsRoutes(app);
  registerWebhookRoutes(app);
  registerPrometheusRoutes(app);
  const sandboxApps = deps.sandboxApps;
  if (sandboxApps) {
    for (const id of PROVIDER_IDS) {
      const prefix = `/_sandbox/${id}`;
      app.all(`${prefix}/*`, async (c) => {
        const emulator = (await sandboxApps())[id];
        const url = new URL(c.req.url);
        url.pathname = url.pathname.slice(prefix.length) || '/';
        const method = c.req.method;
        const body = method === 'GET' || method === 'HEAD' ? null : await c.req.arrayBuffer();
        return emulator.fetch(new Request(url, { method, headers: c.req.raw.headers, body }));
      });
    }
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Workspace API key: `Authorization: Bearer dpk_\u2026`',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'deskpulse.session_token',
    description: 'Browser session from POST /auth/sign-in',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Deskpulse API', version: '0.1.0', description: 'Helpdesk metrics for support leads.' },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'Deskpulse API' }));
  app.get('/', (c) => c.html(PLACEHOLDER_PAGE));
  app.notFound((c) => renderError(new AppError('not_found', `no route ${c.req.method} ${c.req.path}`), c));
  app.onError((err, c) => renderError(err, c));
  return app;
}

// src/jobs/boss.ts
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';

// src/jobs/refresh-handler.ts
async function handleRefresh(deps, job) {
  const refresh2 = await runRefresh(deps, job.refreshId);
  deps.logger.info(
    { refreshId: job.refreshId, state: refresh2.state, provider: refresh2.provider },
    'metrics refresh finished',
  );
}

// src/jobs/schedule-handler.ts
async function handleFleetTick(deps) {
  await scheduleDue(deps, /* @__PURE__ */ new Date());
  await redriveStaleDeliveries(deps);
}
async function handleTokenSweep(deps) {
  const swept = await sweepExpiringTokens(deps);
  const touched = await touchIdleConnections(deps);
  if (swept.checked > 0 || touched.checked > 0) deps.logger.info({ swept, touched }, 'token sweep finished');
}
async function handleRetention(deps) {
  const pruned = await pruneHistory(deps.db, /* @__PURE__ */ new Date());
  deps.logger.info(pruned, 'history pruned');
}

// src/jobs/webhook-handler.ts
async function handleWebhookDelivery(deps, job) {
  const outcome = await deliver(deps, job.deliveryId);
  const log = deps.logger.child({ deliveryId: job.deliveryId });
  switch (outcome.kind) {
    case 'skipped':
      log.debug('webhook delivery not due, finished or held elsewhere; nothing sent');
      return;
    case 'succeeded':
      telemetry.webhookDelivery('succeeded');
      log.info({ attempt: outcome.attempt, statusCode: outcome.statusCode }, 'webhook delivered');
      return;
    case 'retrying':
      telemetry.webhookDelivery('retrying');
      log.warn(
        { attempt: outcome.attempt, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt },
        'webhook delivery failed; retrying',
      );
      await deps.jobs.send(
        'webhookDeliver',
        { deliveryId: job.deliveryId },
        { startAfter: outcome.nextAttemptAt },
      );
      return;
    case 'failed':
      telemetry.webhookDelivery('failed');
      log.warn({ attempt: outcome.attempt, error: outcome.error }, 'webhook delivery failed for good');
      return;
    case 'refused':
      telemetry.webhookDelivery('refused');
      log.warn({ attempt: outcome.attempt, error: outcome.error }, 'webhook target refused; delivery failed');
      return;
  }
}

// src/jobs/handlers.ts
var HANDLERS = {
  metricsRefresh: handleRefresh,
  fleetTick: handleFleetTick,
  tokenSweep: handleTokenSweep,
  retention: handleRetention,
  webhookDeliver: handleWebhookDelivery,
};

// src/jobs/boss.ts
function inTransaction(trx) {
  return {
    executeSql: async (text, values) => {
      const r = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows };
    },
  };
}
var policyOf = (key, leaseSeconds, startAfter) => ({
  ...QUEUES[key].options,
  ...(key === 'metricsRefresh' ? { expireInSeconds: leaseSeconds } : {}),
  ...(startAfter ? { startAfter } : {}),
});
function startJobs(options) {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    max: Math.max(4, options.concurrency + 2),
    schedule: options.scheduler,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
  });
  boss.on('error', (e) => options.logger.error({ err: e }, 'job queue error'));
  const ready = boss.start().then(async () => {
    for (const key of Object.keys(QUEUES)) {
      const q = QUEUES[key];
      await boss.createQueue(q.name, { name: q.name, ...policyOf(key, options.leaseSeconds) });
    }
  });
  ready.catch((e) => options.logger.error({ err: e }, 'job queue failed to start'));
  const queue = {
    send: async (key, payload, o = {}) => {
      await ready;
      const q = QUEUES[key];
      await boss.send(q.name, q.payload.parse(payload), {
        ...policyOf(key, options.leaseSeconds, o.startAfter),
        ...(o.trx ? { db: inTransaction(o.trx) } : {}),
      });
    },
    sendMany: async (key, payloads, o = {}) => {
      if (payloads.length === 0) return;
      await ready;
      const q = QUEUES[key];
      const policy = policyOf(key, options.leaseSeconds, o.startAfter);
      const jobs = payloads.map((p) => ({ ...policy, name: q.name, data: q.payload.parse(p) }));
      await boss.insert(jobs, o.trx ? { db: inTransaction(o.trx) } : {});
    },
  };
  return {
    queue,
    startWorker: async (partial) => {
      await ready;
      const deps = { ...partial, jobs: queue };
      for (const key of Object.keys(HANDLERS)) {
        const q = QUEUES[key];
        const handle = HANDLERS[key];
        const lanes = 'cron' in q ? 1 : options.concurrency;
        for (let i = 0; i < lanes; i++) {
          let lane = '';
          lane = await boss.work(q.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
            if (!job) return;
            await handle(deps, q.payload.parse(job.data));
            boss.notifyWorker(lane);
          });
        }
        if ('cron' in q && options.scheduler) await boss.schedule(q.name, q.cron, {}, { tz: 'UTC' });
      }
    },
    stop: async () => {
      await ready.catch(() => void 0);
      await boss.stop({ graceful: true, timeout: 1e4 });
    },
  };
}

// src/main.ts
async function startService(config, logger = createLogger({ level: config.logLevel }), options = {}) {
  const authModule = import('./better-auth-7EVAAADK.js');
  const database = await openDatabase(config, logger);
  const { createAuth } = await authModule;
  const jobs = startJobs({ databaseUrl: database.url, logger, ...config.jobs });
  const auth = createAuth({
    pool: database.pool,
    secret: database.authSecret,
    publicUrl: config.publicUrl,
    logger,
  });
  const sandbox = config.sandbox ? sandboxSettings(config, database.authSecret) : void 0;
  let sandboxApps;
  const loadSandbox = () =>
    (sandboxApps ??= loadSandboxApps(config, sandbox ?? sandboxSettings(config, database.authSecret)));
  const deps = {
    config,
    db: database.db,
    auth,
    logger,
    keyring: database.keyring,
    resolveProvider: (id) => resolveProvider(config, id, sandbox),
    jobs: jobs.queue,
    ...(sandbox ? { sandboxApps: loadSandbox } : {}),
  };
  if (options.worker !== false) {
    jobs
      .startWorker({ db: deps.db, keyring: deps.keyring, config, logger, resolve: deps.resolveProvider })
      .catch((e) => logger.error({ err: e }, 'worker failed to start'));
  }
  const app = createApp(deps);
  const server = await new Promise((resolve, reject) => {
    const s = serve2({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address();
  const url = `http://${config.host}:${port}`;
  logger.info({ url, embeddedPostgres: database.embedded }, 'deskpulse listening');
  if (sandbox)
    setImmediate(() => void loadSandbox().catch((e) => logger.error({ err: e }, 'sandbox failed')));
  let closing;
  return {
    url,
    deps,
    close: () =>
      (closing ??= (async () => {
        await new Promise((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await jobs.stop();
        await database.close();
      })()),
  };
}
async function startWorkerProcess(config, logger) {
  const database = await openDatabase(config, logger);
  const sandbox = config.sandbox ? sandboxSettings(config, database.authSecret) : void 0;
  const jobs = startJobs({ databaseUrl: database.url, logger, ...config.jobs });
  await jobs.startWorker({
    db: database.db,
    keyring: database.keyring,
    config,
    logger,
    resolve: (id) => resolveProvider(config, id, sandbox),
  });
  logger.info('deskpulse worker started');
  return {
    db: database.db,
    close: async () => {
      await jobs.stop();
      await database.close();
    },
  };
}

// src/cli/serve.ts
function closeOnSignals(service, logger) {
  const stop = (signal) => {
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
async function runServe({ config, logger }, opts) {
  closeOnSignals(await startService(config, logger, { worker: opts.worker }), logger);
}
async function runWorker({ config, logger }, opts = {}) {
  const worker = await startWorkerProcess(config, logger);
  let metrics;
  if (opts.metricsPort !== void 0) {
    try {
      metrics = await startMetricsServer({
        host: config.host,
        port: opts.metricsPort,
        db: worker.db,
        logger,
        token: config.metricsToken,
      });
    } catch (e) {
      await worker.close();
      throw e;
    }
  }
  closeOnSignals(
    {
      close: async () => {
        await metrics?.close();
        await worker.close();
      },
    },
    logger,
  );
}
async function runMigrate({ config, logger }) {
  const database = await openDatabase(config, logger);
  await database.close();
  process.stdout.write('migrations are up to date\n');
}
export { runMigrate, runServe, runWorker };
//# sourceMappingURL=serve-UGSGBIHX.js.map
