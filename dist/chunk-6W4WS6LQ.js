import { err, ok, providers, sanitizeDetail } from './chunk-GBRXWDP4.js';
import { PROVIDER_IDS } from './chunk-YPT27EPG.js';
import { AppError, newId, randomToken, sha256Hex } from './chunk-KYBJ2MGV.js';

// src/db/repositories/audit.ts
async function insertAuditEvent(db, e) {
  await db
    .insertInto('audit_events')
    .values({
      workspace_id: e.workspaceId,
      actor_user_id: e.actorUserId,
      actor_api_key_id: e.actorApiKeyId,
      actor_label: e.actorLabel,
      action: e.action,
      provider: e.provider,
      outcome: e.outcome,
      detail: e.detail,
    })
    .execute();
}
async function listAuditEvents(db, workspaceId, options) {
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.before) q = q.where('id', '<', options.before);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorApiKeyId: r.actor_api_key_id,
    actorLabel: r.actor_label,
    action: r.action,
    provider: r.provider,
    outcome: r.outcome,
    detail: r.detail,
  }));
}

// src/domain/audit.ts
async function recordAudit(db, e) {
  const a = e.actor;
  await insertAuditEvent(db, {
    workspaceId: e.workspaceId,
    actorUserId: a.kind === 'session' ? a.userId : null,
    actorApiKeyId: a.kind === 'api_key' ? a.apiKeyId : null,
    actorLabel: a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label,
    action: e.action,
    provider: e.provider,
    outcome: e.outcome,
    detail: e.detail ?? null,
  });
}
var listAudit = listAuditEvents;

// src/db/reseal.ts
import { sql } from 'kysely';
var keyOf = (column) => sql`split_part(${sql.ref(column)}, '.', 2)`;
async function countSealedByKey(db, t) {
  const parts = t.fields.map(
    (f) => sql`select ${sql.ref(t.id)} as id, ${keyOf(f.column)} as k from ${sql.table(t.table)}
        where ${sql.ref(f.column)} is not null`,
  );
  const r = await sql`select k, count(distinct id) as n
    from (${sql.join(parts, sql` union all `)}) as sealed group by k`.execute(db);
  return Object.fromEntries(r.rows.map((row) => [row.k, Number(row.n)]));
}
async function resealBatch(db, keyring, t, limit) {
  const current = keyring.currentKeyId;
  const stale = sql.join(
    t.fields.map((f) => sql`(${sql.ref(f.column)} is not null and ${keyOf(f.column)} <> ${current})`),
    sql` or `,
  );
  const columns = [.../* @__PURE__ */ new Set([...t.context, ...t.fields.map((f) => f.column)])];
  return db.transaction().execute(async (trx) => {
    const rows = await sql`select ${sql.join(columns.map((c) => sql.ref(c)))}
      from ${sql.table(t.table)} where ${stale} limit ${limit} for update skip locked`.execute(trx);
    for (const row of rows.rows) {
      const context = row;
      const sets = t.fields.flatMap((f) => {
        const ct = row[f.column];
        if (ct === null || ct === void 0 || keyring.keyIdOf(ct) === current) return [];
        const aad3 = f.aad(context);
        return [sql`${sql.ref(f.column)} = ${keyring.encrypt(keyring.decrypt(ct, aad3), aad3)}`];
      });
      if (t.keyColumn) sets.push(sql`${sql.ref(t.keyColumn)} = ${current}`);
      await sql`update ${sql.table(t.table)} set ${sql.join(sets)}
        where ${sql.ref(t.id)} = ${context[t.id]}`.execute(trx);
    }
    return rows.rows.length;
  });
}

// src/db/repositories/connections/rows.ts
var COLUMNS = [
  'id',
  'workspace_id',
  'provider',
  'auth_type',
  'status',
  'params',
  'account_id',
  'account_name',
  'is_sandbox',
  'refresh_token_ct',
  'access_token_expires_at',
  'encryption_key_id',
  'connected_at',
  'connected_by_user_id',
  'token_refreshed_at',
  'last_refreshed_at',
  'last_refresh_status',
  'last_error',
  'last_error_kind',
  'refresh_interval_minutes',
  'next_refresh_at',
  'failing_since',
  'consecutive_failures',
];
var toConnection = (r) => ({
  id: r.id,
  workspaceId: r.workspace_id,
  provider: r.provider,
  authType: r.auth_type,
  status: r.status,
  params: r.params,
  accountId: r.account_id,
  accountName: r.account_name,
  isSandbox: r.is_sandbox,
  hasRefreshToken: r.refresh_token_ct !== null,
  accessTokenExpiresAt: r.access_token_expires_at,
  encryptionKeyId: r.encryption_key_id,
  connectedAt: r.connected_at,
  connectedByUserId: r.connected_by_user_id,
  tokenRefreshedAt: r.token_refreshed_at,
  lastRefreshedAt: r.last_refreshed_at,
  lastRefreshStatus: r.last_refresh_status,
  lastError: r.last_error,
  lastErrorKind: r.last_error_kind,
  refreshIntervalMinutes: r.refresh_interval_minutes,
  nextRefreshAt: r.next_refresh_at,
  failingSince: r.failing_since,
  consecutiveFailures: r.consecutive_failures,
});

// src/db/repositories/connections/credentials.ts
var aad = (c, field) => `deskpulse/connection/v1|${c.workspaceId}|${c.provider}|${c.id}|${field}`;
async function upsertConnection(db, keyring, input) {
  const run = async (trx) => {
    const existing = await trx
      .selectFrom('helpdesk_connections')
      .select(['id', 'status', 'failing_since'])
      .where('workspace_id', '=', input.workspaceId)
      .where('provider', '=', input.provider)
      .forUpdate()
      .executeTakeFirst();
    const id = existing?.id ?? input.newId;
    const ref = { workspaceId: input.workspaceId, provider: input.provider, id };
    const sealed = {
      auth_type: input.authType,
      status: 'ok',
      params: JSON.stringify(input.params),
      account_id: input.account.id,
      account_name: input.account.name,
      is_sandbox: input.isSandbox,
      encryption_key_id: keyring.currentKeyId,
      access_token_ct: keyring.encrypt(input.accessToken, aad(ref, 'access')),
      refresh_token_ct: input.refreshToken ? keyring.encrypt(input.refreshToken, aad(ref, 'refresh')) : null,
      access_token_expires_at: input.accessTokenExpiresAt,
      scope: input.scope ?? null,
      connected_at: /* @__PURE__ */ new Date(),
      connected_by_user_id: input.connectedByUserId,
      token_refreshed_at: null,
      last_error: null,
      last_error_kind: null,
      // A reconnect clears the failure run and puts the connection back on its schedule at once.
      last_refresh_status: null,
      failing_since: null,
      consecutive_failures: 0,
      next_refresh_at: /* @__PURE__ */ new Date(),
      updated_at: /* @__PURE__ */ new Date(),
    };
    const row = existing
      ? await trx
          .updateTable('helpdesk_connections')
          .set(sealed)
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('helpdesk_connections')
          .values({ id, workspace_id: input.workspaceId, provider: input.provider, ...sealed })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
    return {
      connection: toConnection(row),
      previousStatus: existing?.status ?? null,
      previouslyFailing: existing?.failing_since != null,
    };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
async function readSecrets(db, keyring, c) {
  const r = await db
    .selectFrom('helpdesk_connections')
    .select(['access_token_ct', 'refresh_token_ct'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  return {
    accessToken: keyring.decrypt(r.access_token_ct, aad(c, 'access')),
    refreshToken: r.refresh_token_ct ? keyring.decrypt(r.refresh_token_ct, aad(c, 'refresh')) : void 0,
  };
}
async function storeRefreshedTokens(db, keyring, c, tokens) {
  await db
    .updateTable('helpdesk_connections')
    .set({
      encryption_key_id: keyring.currentKeyId,
      access_token_ct: keyring.encrypt(tokens.accessToken, aad(c, 'access')),
      ...(tokens.refreshToken
        ? { refresh_token_ct: keyring.encrypt(tokens.refreshToken, aad(c, 'refresh')) }
        : {}),
      access_token_expires_at: tokens.expiresAt,
      token_refreshed_at: /* @__PURE__ */ new Date(),
      updated_at: /* @__PURE__ */ new Date(),
    })
    .where('id', '=', c.id)
    .execute();
}
var SEALED_CONNECTIONS = {
  table: 'helpdesk_connections',
  id: 'id',
  context: ['id', 'workspace_id', 'provider'],
  keyColumn: 'encryption_key_id',
  fields: [
    {
      column: 'access_token_ct',
      aad: (r) => aad({ id: r.id ?? '', workspaceId: r.workspace_id ?? '', provider: r.provider }, 'access'),
    },
    {
      column: 'refresh_token_ct',
      aad: (r) => aad({ id: r.id ?? '', workspaceId: r.workspace_id ?? '', provider: r.provider }, 'refresh'),
    },
  ],
};

// src/db/repositories/connections/health.ts
import { sql as sql2 } from 'kysely';
async function recordRefreshOutcome(db, id, outcome) {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(outcome.status ? { status: outcome.status } : {}),
      last_refresh_status: outcome.lastRefreshStatus,
      last_error: outcome.lastError?.message ?? null,
      last_error_kind: outcome.lastError?.kind ?? null,
      updated_at: /* @__PURE__ */ new Date(),
    })
    .where('id', '=', id)
    .execute();
}
async function recordRefreshSuccess(db, id, at, defaultIntervalMinutes) {
  await db
    .updateTable('helpdesk_connections')
    .set({
      status: sql2`case when status = 'degraded' then 'ok' else status end`,
      next_refresh_at: sql2`case when status = 'degraded'
        then least(next_refresh_at, ${at}::timestamptz + make_interval(mins => coalesce(refresh_interval_minutes, ${defaultIntervalMinutes}::int)))
        else next_refresh_at end`,
      last_refresh_status: 'ok',
      last_error: null,
      last_error_kind: null,
      last_refreshed_at: at,
      failing_since: null,
      consecutive_failures: 0,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}
async function recordRefreshFailure(db, id, f) {
  await db
    .updateTable('helpdesk_connections')
    .set({
      ...(f.status ? { status: f.status } : {}),
      ...(f.nextRefreshAt ? { next_refresh_at: f.nextRefreshAt } : {}),
      last_refresh_status: f.lastRefreshStatus,
      last_error: f.lastError,
      last_error_kind: 'metrics_refresh',
      failing_since: sql2`coalesce(failing_since, ${f.at})`,
      consecutive_failures: sql2`consecutive_failures + 1`,
      updated_at: f.at,
    })
    .where('id', '=', id)
    .execute();
}
async function markTouched(db, id, at) {
  await db.updateTable('helpdesk_connections').set({ touched_at: at }).where('id', '=', id).execute();
}

// src/db/repositories/connections/schedule.ts
import { sql as sql3 } from 'kysely';
async function setRefreshInterval(db, id, minutes, nextRefreshAt) {
  const row = await db
    .updateTable('helpdesk_connections')
    .set({
      refresh_interval_minutes: minutes,
      next_refresh_at: sql3`least(next_refresh_at, ${nextRefreshAt})`,
      updated_at: /* @__PURE__ */ new Date(),
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toConnection(row);
}
async function claimDueConnections(db, now, limit) {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(['id', 'workspace_id', 'provider', 'status', 'refresh_interval_minutes'])
    .where('status', '<>', 'needs_reauth')
    .where('next_refresh_at', '<=', now)
    .orderBy('next_refresh_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    provider: r.provider,
    status: r.status,
    refreshIntervalMinutes: r.refresh_interval_minutes,
  }));
}
async function setNextRefreshTimes(db, next) {
  if (next.length === 0) return;
  await sql3`update helpdesk_connections c set next_refresh_at = v.at::timestamptz
    from (values ${sql3.join(next.map((n) => sql3`(${n.id}, ${n.at.toISOString()})`))}) as v(id, at)
    where c.id = v.id`.execute(db);
}
var lastActivity = sql3`greatest(connected_at, coalesce(last_refreshed_at, connected_at),
  coalesce(token_refreshed_at, connected_at), coalesce(touched_at, connected_at))`;
async function listIdleConnectionIds(db, idleSince, limit) {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('status', '<>', 'needs_reauth')
    .where(lastActivity, '<', idleSince)
    .orderBy(lastActivity)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
async function listExpiringConnectionIds(db, before, limit) {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select('id')
    .where('refresh_token_ct', 'is not', null)
    .where('status', '<>', 'needs_reauth')
    .where('access_token_expires_at', '<', before)
    .orderBy('access_token_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

// src/db/repositories/connections/index.ts
async function findConnection(db, workspaceId, provider, options = {}) {
  let q = db
    .selectFrom('helpdesk_connections')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toConnection(r);
}
async function findConnectionById(db, id, options = {}) {
  let q = db.selectFrom('helpdesk_connections').select(COLUMNS).where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toConnection(r);
}
async function listConnections(db, workspaceId) {
  const rows = await db
    .selectFrom('helpdesk_connections')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('provider')
    .execute();
  return rows.map(toConnection);
}
async function deleteConnection(db, id) {
  await db.deleteFrom('helpdesk_connections').where('id', '=', id).execute();
}
var countByEncryptionKey = (db) => countSealedByKey(db, SEALED_CONNECTIONS);
var reencryptBatch = (db, keyring, limit) => resealBatch(db, keyring, SEALED_CONNECTIONS, limit);

// src/lib/telemetry.ts
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
var registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'deskpulse_' });
var providerCalls = new Counter({
  name: 'deskpulse_provider_calls_total',
  help: 'HTTP calls made to helpdesk APIs, by provider and status class',
  labelNames: ['provider', 'status'],
  registers: [registry],
});
var providerRateLimited = new Counter({
  name: 'deskpulse_provider_rate_limited_total',
  help: 'Helpdesk answers with HTTP 429, by provider',
  labelNames: ['provider'],
  registers: [registry],
});
var refreshDuration = new Histogram({
  name: 'deskpulse_refresh_duration_seconds',
  help: 'Wall time of metrics refresh attempts run by this process, by provider and outcome',
  labelNames: ['provider', 'outcome'],
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  registers: [registry],
});
var tokenRefreshes = new Counter({
  name: 'deskpulse_token_refreshes_total',
  help: 'OAuth access-token refreshes attempted by this process, by provider and outcome',
  labelNames: ['provider', 'outcome'],
  registers: [registry],
});
var webhookDeliveries = new Counter({
  name: 'deskpulse_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts made by this process, by outcome (succeeded, retrying, failed, refused)',
  labelNames: ['outcome'],
  registers: [registry],
});
var statusClass = (status) =>
  status === 'network' ? 'network' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
var telemetry = {
  providerCall(provider, status) {
    providerCalls.inc({ provider, status: statusClass(status) });
    if (status === 429) providerRateLimited.inc({ provider });
  },
  refreshFinished(provider, outcome, seconds) {
    refreshDuration.observe({ provider, outcome }, seconds);
  },
  tokenRefresh(provider, outcome) {
    tokenRefreshes.inc({ provider, outcome });
  },
  webhookDelivery(outcome) {
    webhookDeliveries.inc({ outcome });
  },
};

// src/providers/oauth/engine.ts
import * as oauth from 'oauth4webapi';
var isLoopback = (url) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url);
function endpointsOf(flow) {
  const e = flow.settings.endpoints(flow.params);
  if (!e.authorizeUrl || !e.tokenUrl)
    throw new Error(`${flow.provider.id}: OAuth endpoints are not configured`);
  return { authorizeUrl: e.authorizeUrl, tokenUrl: e.tokenUrl };
}
function basicAuth(clientId, clientSecret) {
  return (_as, _client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
  };
}
function clientOf(flow) {
  const { clientId, clientSecret } = flow.settings;
  if (!clientId || !clientSecret) throw new Error(`${flow.provider.id}: OAuth client is not configured`);
  const e = endpointsOf(flow);
  const as = {
    issuer: new URL(e.tokenUrl).origin,
    authorization_endpoint: e.authorizeUrl,
    token_endpoint: e.tokenUrl,
  };
  const client = { client_id: clientId };
  const auth =
    flow.provider.oauth.clientAuth === 'client_secret_basic'
      ? basicAuth(clientId, clientSecret)
      : oauth.ClientSecretPost(clientSecret);
  return { as, client, auth, tokenUrl: e.tokenUrl };
}
function transport(flow, tokenUrl) {
  const options = {
    [oauth.customFetch]: async (url, init) => {
      let body = init.body;
      const headers = new Headers(init.headers);
      const extras = flow.provider.oauth.tokenRequestExtras ?? {};
      if (init.body instanceof URLSearchParams) {
        const params = new URLSearchParams(init.body);
        for (const [k, v] of Object.entries(extras)) params.set(k, String(v));
        body = params;
        if (flow.provider.oauth.tokenBody === 'json') {
          const json = Object.fromEntries(params);
          for (const [k, v] of Object.entries(extras)) json[k] = v;
          body = JSON.stringify(json);
          headers.set('content-type', 'application/json');
        }
      }
      const res = await fetch(url, { ...init, headers, body, signal: AbortSignal.timeout(15e3) });
      if (res.status !== 201) return res;
      return new Response(await res.arrayBuffer(), { status: 200, headers: res.headers });
    },
  };
  if (isLoopback(tokenUrl)) options[oauth.allowInsecureRequests] = true;
  return options;
}
async function buildAuthorizeUrl(flow, input) {
  const { clientId } = flow.settings;
  if (!clientId) throw new Error(`${flow.provider.id}: OAuth client is not configured`);
  const url = new URL(endpointsOf(flow).authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  if (flow.provider.oauth.scopes) url.searchParams.set('scope', flow.provider.oauth.scopes.join(' '));
  if (input.codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}
var newCodeVerifier = () => oauth.generateRandomCodeVerifier();
function tokenSetOf(flow, r, now = Date.now()) {
  let expiresAt = null;
  if (flow.provider.oauth.expiry === 'expires_in' && typeof r.expires_in === 'number') {
    expiresAt = new Date(now + r.expires_in * 1e3);
  } else if (flow.provider.oauth.expiry === 'expires_at') {
    const raw = Number(r.expires_at);
    if (Number.isFinite(raw) && raw > 0) expiresAt = new Date(raw > 1e12 ? raw : raw * 1e3);
  }
  return {
    accessToken: r.access_token,
    refreshToken: typeof r.refresh_token === 'string' && r.refresh_token ? r.refresh_token : void 0,
    expiresAt,
    scope: typeof r.scope === 'string' ? r.scope : void 0,
  };
}
function classify(e) {
  if (e instanceof oauth.ResponseBodyError) {
    const detail = sanitizeDetail(`${e.error}${e.error_description ? `: ${e.error_description}` : ''}`);
    if (e.status === 429) return { code: 'rate_limited', retryAfterMs: 6e4, detail };
    if (e.status >= 500) return { code: 'upstream_unavailable', detail };
    return { code: 'unauthorized', detail };
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError)
    return { code: 'unauthorized', detail: `${e.status}: rejected` };
  if (e instanceof oauth.OperationProcessingError) {
    const status = e.cause?.status;
    if (typeof status === 'number' && status >= 500)
      return { code: 'upstream_unavailable', detail: `${status}: server error` };
    if (status === 401 || status === 403) return { code: 'unauthorized', detail: `${status}: rejected` };
    if (status === 429) return { code: 'rate_limited', retryAfterMs: 6e4, detail: '429: rate limited' };
    return { code: 'unexpected_response', detail: sanitizeDetail(e.message) };
  }
  if (
    e instanceof Error &&
    (e.name === 'TimeoutError' || (e.name === 'TypeError' && e.message === 'fetch failed'))
  ) {
    return { code: 'upstream_unavailable', detail: `token endpoint unreachable (${e.name})` };
  }
  throw e;
}
async function exchangeCode(flow, input) {
  const { as, client, auth, tokenUrl } = clientOf(flow);
  try {
    const callback = oauth.validateAuthResponse(
      as,
      client,
      new URLSearchParams({ code: input.code }),
      oauth.skipStateCheck,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callback,
      input.redirectUri,
      input.codeVerifier ?? oauth.nopkce,
      transport(flow, tokenUrl),
    );
    return ok(tokenSetOf(flow, await oauth.processAuthorizationCodeResponse(as, client, response)));
  } catch (e) {
    return err(classify(e));
  }
}
async function refreshTokens(flow, refreshToken) {
  const { as, client, auth, tokenUrl } = clientOf(flow);
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      auth,
      refreshToken,
      transport(flow, tokenUrl),
    );
    return ok(tokenSetOf(flow, await oauth.processRefreshTokenResponse(as, client, response)));
  } catch (e) {
    return err(classify(e));
  }
}

// src/domain/webhooks.ts
import { createHmac } from 'node:crypto';

// src/db/repositories/webhooks.ts
import { sql as sql4 } from 'kysely';
var ENDPOINT_COLUMNS = [
  'id',
  'workspace_id',
  'url',
  'events',
  'encryption_key_id',
  'created_by_user_id',
  'created_at',
];
var toEndpoint = (r) => ({
  id: r.id,
  workspaceId: r.workspace_id,
  url: r.url,
  events: r.events,
  encryptionKeyId: r.encryption_key_id,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
});
var DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'workspace_id',
  'event_id',
  'event_type',
  'state',
  'attempts',
  'attempt_count',
  'next_attempt_at',
  'created_at',
  'delivered_at',
];
var toDelivery = (r) => ({
  id: r.id,
  endpointId: r.endpoint_id,
  workspaceId: r.workspace_id,
  eventId: r.event_id,
  eventType: r.event_type,
  state: r.state,
  attempts: r.attempts,
  attemptCount: r.attempt_count,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});
var aad2 = (e) => `deskpulse/webhook/v1|${e.workspaceId}|${e.id}|secret`;
async function insertEndpoint(db, keyring, input) {
  const secretCt = keyring.encrypt(input.secret, aad2(input));
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: input.id,
      workspace_id: input.workspaceId,
      url: input.url,
      events: input.events,
      encryption_key_id: keyring.keyIdOf(secretCt),
      secret_ct: secretCt,
      created_by_user_id: input.createdByUserId,
    })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
  return toEndpoint(row);
}
async function listEndpoints(db, workspaceId) {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}
async function findEndpoint(db, workspaceId, id) {
  const r = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && toEndpoint(r);
}
async function deleteEndpoint(db, workspaceId, id) {
  const r = await db
    .deleteFrom('webhook_endpoints')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
async function findEndpointWithSecret(db, keyring, id) {
  const r = await db
    .selectFrom('webhook_endpoints')
    .select([...ENDPOINT_COLUMNS, 'secret_ct'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return void 0;
  const endpoint = toEndpoint(r);
  return { endpoint, secret: keyring.decrypt(r.secret_ct, aad2(endpoint)) };
}
async function listSubscribedEndpointIds(db, workspaceId, eventType) {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql4`${eventType} = any(events)`)
    .execute();
  return rows.map((r) => r.id);
}
async function insertDeliveries(db, rows) {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      rows.map((r) => ({
        id: r.id,
        endpoint_id: r.endpointId,
        workspace_id: r.workspaceId,
        event_id: r.eventId,
        event_type: r.eventType,
        body: r.body,
        created_at: r.createdAt,
        next_attempt_at: r.createdAt,
      })),
    )
    .execute();
}
async function listDeliveries(db, workspaceId, endpointId, limit) {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}
async function claimDelivery(db, id, options) {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: options.leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', options.dueBy)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', options.now)]))
    .returning([...DELIVERY_COLUMNS, 'body'])
    .executeTakeFirst();
  return r && { ...toDelivery(r), body: r.body, leaseUntil: options.leaseUntil };
}
async function recordAttempt(db, lease, outcome) {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({
      attempts: sql4`attempts || ${JSON.stringify([outcome.attempt])}::jsonb`,
      attempt_count: sql4`attempt_count + 1`,
      state: outcome.state,
      next_attempt_at: outcome.nextAttemptAt,
      delivered_at: outcome.deliveredAt,
      lease_until: null,
    })
    .where('id', '=', lease.id)
    .where('lease_until', '=', lease.leaseUntil)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
async function takeOverdueDeliveries(db, options) {
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: options.now })
    .where(
      'id',
      'in',
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<', options.overdueBefore)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', options.now)]))
        .orderBy('next_attempt_at')
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
async function countWebhookSecretsByKey(db) {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['encryption_key_id', sql4`count(*)`.as('n')])
    .groupBy('encryption_key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.encryption_key_id, Number(r.n)]));
}
async function reencryptWebhookSecretsBatch(db, keyring, limit) {
  const current = keyring.currentKeyId;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'workspace_id', 'secret_ct'])
      .where('encryption_key_id', '<>', current)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const ref = { id: r.id, workspaceId: r.workspace_id };
      const secretCt = keyring.encrypt(keyring.decrypt(r.secret_ct, aad2(ref)), aad2(ref));
      await trx
        .updateTable('webhook_endpoints')
        .set({ encryption_key_id: keyring.keyIdOf(secretCt), secret_ct: secretCt })
        .where('id', '=', r.id)
        .execute();
    }
    return rows.length;
  });
}
async function deleteFinishedDeliveriesBefore(db, before) {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('state', 'in', ['succeeded', 'failed'])
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// src/domain/webhook-target.ts
import { lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
var ALLOW_LIST_VARIABLE = 'DESKPULSE_WEBHOOK_ALLOWED_NETWORKS';
var DELIVERY_TIMEOUT_MS = 1e4;
var GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
function parseNetworks(entries) {
  return entries.map((entry) => {
    let network;
    try {
      if (entry.includes('/')) network = ipaddr.parseCIDR(entry);
      else {
        const address2 = ipaddr.parse(entry);
        network = [address2, address2.kind() === 'ipv4' ? 32 : 128];
      }
    } catch {
      throw new Error(`${ALLOW_LIST_VARIABLE}: ${entry} is not an IP address or CIDR`);
    }
    const [address, bits] = network;
    if (address.kind() === 'ipv6' && address.isIPv4MappedAddress() && bits >= 96) {
      return [address.toIPv4Address(), bits - 96];
    }
    return network;
  });
}
function refusedRange(address, networks) {
  let ip;
  try {
    ip = ipaddr.process(address);
  } catch {
    return 'not an IP address';
  }
  const range =
    ip.kind() === 'ipv6' && ip.range() === 'unicast' && !ip.match(GLOBAL_UNICAST_V6)
      ? 'not global unicast'
      : ip.range();
  if (range === 'unicast') return void 0;
  const allowed = networks.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits));
  if (allowed) return void 0;
  return ip.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(address)
    ? `${ip.toString()}, ${range}`
    : range;
}
function firstRefusal(host, addresses, networks) {
  for (const address of addresses) {
    const range = refusedRange(address, networks);
    if (range) {
      const subject = host === address ? 'webhook URL resolves to' : `webhook URL host ${host} resolves to`;
      return `${subject} ${address} (${range}); deliveries go only to public addresses \u2014 allow it with ${ALLOW_LIST_VARIABLE}`;
    }
  }
  return void 0;
}
var errorCode = (e) =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'lookup failed';
async function checkWebhookTarget(raw, allowedNetworks) {
  const refuse = (reason) => ({ ok: false, reason, retryable: false });
  let url;
  try {
    url = new URL(raw);
  } catch {
    return refuse('webhook URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse(`webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) return refuse('webhook URL must not contain a user name or password');
  const networks = parseNetworks(allowedNetworks);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses;
  try {
    addresses = await lookup(host, { all: true });
  } catch (e) {
    return {
      ok: false,
      retryable: true,
      reason: `webhook URL host ${host} does not resolve (${errorCode(e)})`,
    };
  }
  if (addresses.length === 0) {
    return { ok: false, retryable: true, reason: `webhook URL host ${host} does not resolve` };
  }
  const refused = firstRefusal(
    host,
    addresses.map((a) => a.address),
    networks,
  );
  return refused ? refuse(refused) : { ok: true, url };
}
var WebhookTargetRefused = class extends Error {
  name = 'WebhookTargetRefused';
};
async function guardedAgent(allowedNetworks) {
  const { Agent } = await import('undici');
  const networks = parseNetworks(allowedNetworks);
  const guardedLookup = (hostname, options, callback) => {
    lookupCallback(hostname, { ...options, all: true }, (err2, addresses) => {
      if (err2) return callback(err2, []);
      const refused = firstRefusal(
        hostname,
        addresses.map((a) => a.address),
        networks,
      );
      if (refused) return callback(new WebhookTargetRefused(refused), []);
      const first = addresses[0];
      if (options.all) return callback(null, addresses);
      if (!first) return callback(new Error(`${hostname} did not resolve`), []);
      return callback(null, first.address, first.family);
    });
  };
  return new Agent({ connect: { lookup: guardedLookup } });
}
function describeFailure(e) {
  for (let cause2 = e; cause2 instanceof Error; cause2 = cause2.cause) {
    if (cause2 instanceof WebhookTargetRefused) return { kind: 'refused', reason: cause2.message };
    if (cause2.name === 'TimeoutError' || cause2.name === 'AbortError') {
      return { kind: 'network_error', reason: `no answer within ${DELIVERY_TIMEOUT_MS / 1e3} s` };
    }
  }
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = errorCode(cause);
  return {
    kind: 'network_error',
    reason: code === 'lookup failed' || message.includes(code) ? message : `${code}: ${message}`,
  };
}
async function postToWebhook(rawUrl, request, options) {
  const target = await checkWebhookTarget(rawUrl, options.allowedNetworks);
  if (!target.ok) {
    return target.retryable
      ? { kind: 'network_error', reason: target.reason }
      : { kind: 'refused', reason: target.reason };
  }
  const agent = await guardedAgent(options.allowedNetworks);
  const { fetch: fetch2 } = await import('undici');
  try {
    const res = await fetch2(target.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      dispatcher: agent,
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => void 0);
    return { kind: 'answered', statusCode: res.status };
  } catch (e) {
    return describeFailure(e);
  } finally {
    await agent.destroy().catch(() => void 0);
  }
}

// src/domain/webhooks.ts
var WEBHOOK_EVENTS = [
  'connection.needs_reauth',
  'connection.recovered',
  'refresh.failed',
  'refresh.succeeded',
  'metrics.updated',
];
var MAX_ATTEMPTS = 6;
var MAX_RETRY_DELAY_MS = 36e5;
var LEASE_MS = 6e4;
var REDRIVE_AFTER_MS = 6e4;
var DUE_TOLERANCE_MS = 1e3;
var REDRIVE_BATCH = 500;
var SIGNATURE_HEADER = 'deskpulse-signature';
var USER_AGENT = 'Deskpulse-Webhooks/1';
var isWebhookEvent = (e) => WEBHOOK_EVENTS.includes(e);
var toEndpoint2 = (e) => ({
  id: e.id,
  url: e.url,
  // A type dropped from the list in a later version simply stops being sent.
  events: e.events.filter(isWebhookEvent),
  createdAt: e.createdAt,
});
async function registerWebhook(deps, caller, input) {
  const target = await checkWebhookTarget(input.url, deps.config.webhooks.allowedNetworks);
  if (!target.ok) {
    throw new AppError('invalid_body', target.reason, [{ path: 'url', message: target.reason }]);
  }
  const events = [...new Set(input.events)];
  if (events.length === 0) {
    throw new AppError('invalid_body', 'subscribe to at least one event', [
      { path: 'events', message: 'must not be empty' },
    ]);
  }
  const secret = `whsec_${randomToken(32)}`;
  const endpoint = await deps.db.transaction().execute(async (trx) => {
    const created = await insertEndpoint(trx, deps.keyring, {
      id: newId('wh'),
      workspaceId: caller.workspaceId,
      url: target.url.href,
      events,
      secret,
      createdByUserId: caller.userId,
    });
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'webhook.create',
      provider: null,
      outcome: 'ok',
      detail: `${created.id} ${created.url} (${events.join(', ')})`,
    });
    return created;
  });
  return { endpoint: toEndpoint2(endpoint), secret };
}
async function listWebhooks(db, workspaceId) {
  return (await listEndpoints(db, workspaceId)).map(toEndpoint2);
}
async function deleteWebhookAs(db, caller, id) {
  await db.transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, caller.workspaceId, id);
    if (!endpoint || !(await deleteEndpoint(trx, caller.workspaceId, id))) {
      throw new AppError('not_found', `no webhook ${id} in this workspace`);
    }
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'webhook.delete',
      provider: null,
      outcome: 'ok',
      detail: `${endpoint.id} ${endpoint.url}`,
    });
  });
}
async function listWebhookDeliveries(db, workspaceId, endpointId, limit) {
  if (!(await findEndpoint(db, workspaceId, endpointId))) {
    throw new AppError('not_found', `no webhook ${endpointId} in this workspace`);
  }
  const deliveries = await listDeliveries(db, workspaceId, endpointId, limit);
  return deliveries.map(({ attemptCount: _a, endpointId: _e, workspaceId: _w, ...d }) => d);
}
async function publishEvent(trx, jobs, event) {
  const endpointIds = await listSubscribedEndpointIds(trx, event.workspaceId, event.type);
  if (endpointIds.length === 0) return;
  const eventId = newId('evt');
  const createdAt = /* @__PURE__ */ new Date();
  const body = JSON.stringify({
    id: eventId,
    type: event.type,
    createdAt: createdAt.toISOString(),
    workspaceId: event.workspaceId,
    data: event.data,
  });
  const deliveries = endpointIds.map((endpointId) => ({
    id: newId('whd'),
    endpointId,
    workspaceId: event.workspaceId,
    eventId,
    eventType: event.type,
    body,
    createdAt,
  }));
  await insertDeliveries(trx, deliveries);
  if (jobs) {
    await jobs.sendMany(
      'webhookDeliver',
      deliveries.map((d) => ({ deliveryId: d.id })),
      { trx },
    );
  }
}
async function redriveStaleDeliveries(deps, now = /* @__PURE__ */ new Date()) {
  return deps.db.transaction().execute(async (trx) => {
    const ids = await takeOverdueDeliveries(trx, {
      now,
      overdueBefore: new Date(now.getTime() - REDRIVE_AFTER_MS),
      limit: REDRIVE_BATCH,
    });
    await deps.jobs.sendMany(
      'webhookDeliver',
      ids.map((deliveryId) => ({ deliveryId })),
      { trx },
    );
    return ids.length;
  });
}
function signatureHeader(secret, body, at) {
  const t = Math.floor(at.getTime() / 1e3);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
function retryDelayMs(attempt, baseSeconds, random = Math.random) {
  const exponential = baseSeconds * 1e3 * 2 ** (attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(exponential * (0.75 + random() * 0.5)));
}
async function deliver(deps, deliveryId, now = () => /* @__PURE__ */ new Date()) {
  const start = now();
  const claimed = await claimDelivery(deps.db, deliveryId, {
    now: start,
    dueBy: new Date(start.getTime() + DUE_TOLERANCE_MS),
    leaseUntil: new Date(start.getTime() + LEASE_MS),
  });
  if (!claimed) return { kind: 'skipped' };
  const startedMs = performance.now();
  let result;
  try {
    const found = await findEndpointWithSecret(deps.db, deps.keyring, claimed.endpointId);
    if (!found) return { kind: 'skipped' };
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'deskpulse-event': claimed.eventType,
      'deskpulse-delivery': claimed.id,
      [SIGNATURE_HEADER]: signatureHeader(found.secret, claimed.body, start),
    };
    result = await postToWebhook(
      found.endpoint.url,
      { headers, body: claimed.body },
      { allowedNetworks: deps.config.webhooks.allowedNetworks },
    );
  } catch (e) {
    deps.logger?.error({ err: e, deliveryId }, 'webhook delivery could not be prepared');
    result = { kind: 'network_error', reason: 'the delivery could not be prepared (see the server log)' };
  }
  const durationMs = Math.round(performance.now() - startedMs);
  const finishedAt = now();
  const attemptNo = claimed.attemptCount + 1;
  const attempt = {
    at: start.toISOString(),
    statusCode: result.kind === 'answered' ? result.statusCode : null,
    error: null,
    durationMs,
  };
  let outcome;
  if (result.kind === 'answered' && result.statusCode >= 200 && result.statusCode < 300) {
    outcome = { kind: 'succeeded', attempt: attemptNo, statusCode: result.statusCode };
  } else {
    const error =
      result.kind === 'answered'
        ? result.statusCode >= 300 && result.statusCode < 400
          ? `answered HTTP ${result.statusCode}; redirects are not followed`
          : `answered HTTP ${result.statusCode}`
        : result.kind === 'refused'
          ? `refused: ${result.reason}`
          : result.reason;
    attempt.error = error;
    if (result.kind === 'refused') outcome = { kind: 'refused', attempt: attemptNo, error };
    else if (attemptNo >= MAX_ATTEMPTS) outcome = { kind: 'failed', attempt: attemptNo, error };
    else {
      const delay = retryDelayMs(attemptNo, deps.config.webhooks.retryBaseSeconds);
      outcome = {
        kind: 'retrying',
        attempt: attemptNo,
        error,
        nextAttemptAt: new Date(finishedAt.getTime() + delay),
      };
    }
  }
  const recorded = await recordAttempt(deps.db, claimed, {
    attempt,
    state: outcome.kind === 'succeeded' ? 'succeeded' : outcome.kind === 'retrying' ? 'pending' : 'failed',
    nextAttemptAt: outcome.kind === 'retrying' ? outcome.nextAttemptAt : null,
    deliveredAt: outcome.kind === 'succeeded' ? finishedAt : null,
  });
  return recorded ? outcome : { kind: 'skipped' };
}

// src/domain/events.ts
async function connectionNeedsReauth(trx, jobs, c, e) {
  await recordAudit(trx, {
    workspaceId: c.workspaceId,
    actor: e.actor,
    action: 'connection.refresh_failed',
    provider: c.provider,
    outcome: 'needs_reauth',
    detail: e.reason,
  });
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'connection.needs_reauth',
    data: { provider: c.provider, connectionId: c.id, reason: e.reason },
  });
}
async function connectionRecovered(trx, jobs, c, e) {
  const how = {
    reconnect: 'reconnected',
    token_refresh: 'token refresh succeeded again',
    refresh: 'refresh succeeded again',
  };
  await recordAudit(trx, {
    workspaceId: c.workspaceId,
    actor: e.actor,
    action: 'connection.recovered',
    provider: c.provider,
    outcome: 'ok',
    detail: `was ${e.previous}; ${how[e.via]}`,
  });
  await publishEvent(trx, jobs, {
    workspaceId: c.workspaceId,
    type: 'connection.recovered',
    data: { provider: c.provider, connectionId: c.id, via: e.via, previous: e.previous },
  });
}

// src/domain/connections/credentials.ts
var REFRESH_MARGIN_MS = 15 * 60 * 1e3;
function isDue(c, now) {
  if (!c.accessTokenExpiresAt) return false;
  const expires = c.accessTokenExpiresAt.getTime();
  const issued = (c.tokenRefreshedAt ?? c.connectedAt).getTime();
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, (expires - issued) / 2));
  return expires - now < margin;
}
async function credentialFor(deps, connection, options = {}) {
  const resolved = deps.resolve(connection.provider);
  const isExpiring = (c) => isDue(c, Date.now());
  const needsRefresh = (c) => c.hasRefreshToken && (options.force === true || isExpiring(c));
  if (connection.status === 'needs_reauth') {
    return err({
      code: 'unauthorized',
      detail: connection.lastError ?? 'the connection needs to be reconnected',
    });
  }
  if (!needsRefresh(connection)) {
    const secrets = await readSecrets(deps.db, deps.keyring, connection);
    return ok(resolved.provider.credentialFor(secrets.accessToken, connection.authType, connection.params));
  }
  const actor = options.actor ?? { kind: 'system', label: 'token refresh' };
  return deps.db.transaction().execute(async (trx) => {
    const locked = await findConnectionById(trx, connection.id, { forUpdate: true });
    if (!locked) return err({ code: 'unauthorized', detail: 'the connection was removed' });
    if (locked.status === 'needs_reauth') {
      return err({
        code: 'unauthorized',
        detail: locked.lastError ?? 'the connection needs to be reconnected',
      });
    }
    const secrets = await readSecrets(trx, deps.keyring, locked);
    const refreshedMeanwhile = locked.tokenRefreshedAt?.getTime() !== connection.tokenRefreshedAt?.getTime();
    const stillNeeds = !refreshedMeanwhile && (options.force === true || isExpiring(locked));
    if (!stillNeeds || !secrets.refreshToken) {
      return ok(resolved.provider.credentialFor(secrets.accessToken, locked.authType, locked.params));
    }
    const flow = {
      provider: resolved.provider,
      settings: resolved.settings,
      params: locked.params,
    };
    const refreshed = await refreshTokens(flow, secrets.refreshToken);
    telemetry.tokenRefresh(locked.provider, refreshed.ok ? 'ok' : refreshed.error.code);
    if (!refreshed.ok) {
      const e = refreshed.error;
      const dead = e.code === 'unauthorized';
      await recordRefreshOutcome(trx, locked.id, {
        ...(dead ? { status: 'needs_reauth' } : {}),
        lastRefreshStatus: e.code,
        lastError: { message: `token refresh failed: ${e.detail}`, kind: 'token_refresh' },
      });
      if (dead) {
        await connectionNeedsReauth(trx, deps.jobs, locked, { actor, reason: e.detail });
      } else if (locked.lastRefreshStatus === 'ok' || locked.lastRefreshStatus === null) {
        await recordAudit(trx, {
          workspaceId: locked.workspaceId,
          actor,
          action: 'connection.refresh_failed',
          provider: locked.provider,
          outcome: e.code,
          detail: e.detail,
        });
      }
      deps.logger.warn(
        { connectionId: locked.id, provider: locked.provider, code: e.code },
        'token refresh failed',
      );
      return err(e);
    }
    await storeRefreshedTokens(trx, deps.keyring, locked, {
      accessToken: refreshed.value.accessToken,
      refreshToken: refreshed.value.refreshToken,
      expiresAt: refreshed.value.expiresAt,
    });
    const tokenWasFailing = locked.lastErrorKind === 'token_refresh' && locked.lastRefreshStatus !== 'ok';
    if (tokenWasFailing) {
      await connectionRecovered(trx, deps.jobs, locked, {
        actor,
        via: 'token_refresh',
        previous: locked.lastRefreshStatus ?? 'failing',
      });
    }
    if (tokenWasFailing || locked.lastRefreshStatus === null) {
      await recordRefreshOutcome(trx, locked.id, { lastRefreshStatus: 'ok', lastError: null });
    }
    return ok(resolved.provider.credentialFor(refreshed.value.accessToken, locked.authType, locked.params));
  });
}
async function sweepExpiringTokens(deps, options = {}) {
  const before = new Date(Date.now() + (options.marginMs ?? REFRESH_MARGIN_MS));
  const ids = await listExpiringConnectionIds(deps.db, before, options.batchSize ?? 1e4);
  const result = { checked: ids.length, refreshed: 0, skipped: 0, failed: 0 };
  for (const [i, id] of ids.entries()) {
    const connection = await findConnectionById(deps.db, id);
    if (connection) {
      const r = await credentialFor(deps, connection, { actor: { kind: 'system', label: 'token sweep' } });
      const after = await findConnectionById(deps.db, id);
      if (!r.ok) result.failed++;
      else if (after?.tokenRefreshedAt?.getTime() !== connection.tokenRefreshedAt?.getTime())
        result.refreshed++;
      else result.skipped++;
    }
    options.onProgress?.(i + 1, ids.length);
  }
  return result;
}

// src/domain/keys.ts
async function rotateEncryption(deps, options = {}) {
  const current = deps.keyring.currentKeyId;
  const stores = [
    { count: countByEncryptionKey, batch: reencryptBatch },
    { count: countWebhookSecretsByKey, batch: reencryptWebhookSecretsBatch },
  ];
  const othersOf = (counts) => Object.entries(counts).reduce((n, [k, c]) => (k === current ? n : n + c), 0);
  let total = 0;
  for (const store2 of stores) total += othersOf(await store2.count(deps.db));
  let done = 0;
  for (const store2 of stores) {
    for (;;) {
      const n = await store2.batch(deps.db, deps.keyring, options.batchSize ?? 100);
      done += n;
      options.onProgress?.(Math.min(done, total), Math.max(total, done));
      if (n > 0) continue;
      if (othersOf(await store2.count(deps.db)) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { reencrypted: done, currentKeyId: current };
}

// src/domain/connections/deps.ts
function contextFor(resolved, params) {
  return { endpoints: resolved.settings.endpoints(params), params, fetch: globalThis.fetch };
}
var listConnections2 = (deps, workspaceId) => listConnections(deps.db, workspaceId);

// src/db/repositories/sources.ts
var SOURCE_COLUMNS = [
  'metric_sources.id',
  'metric_sources.kind',
  'metric_sources.provider',
  'metric_sources.account_id',
  'metric_sources.account_name',
  'metric_sources.is_sandbox',
  'metric_sources.created_at',
  'metric_sources.ended_at',
  'metric_sources.end_reason',
];
var toSource = (r) => ({
  id: r.id,
  kind: r.kind,
  provider: r.provider,
  account: r.account_id ? { id: r.account_id, name: r.account_name ?? r.account_id } : null,
  sandbox: r.is_sandbox,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});
async function insertSource(db, s) {
  const row = await db
    .insertInto('metric_sources')
    .values({
      id: s.id,
      workspace_id: s.workspaceId,
      kind: s.kind,
      provider: s.provider,
      account_id: s.account?.id ?? null,
      account_name: s.account?.name ?? null,
      connection_id: s.connectionId,
      is_sandbox: s.isSandbox,
    })
    .returning(SOURCE_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSource(row);
}
async function findLiveSource(db, connectionId) {
  const row = await db
    .selectFrom('metric_sources')
    .select(SOURCE_COLUMNS)
    .where('connection_id', '=', connectionId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && toSource(row);
}
async function findEndedAccountSource(db, input) {
  const row = await db
    .selectFrom('metric_sources')
    .select(SOURCE_COLUMNS)
    .where('workspace_id', '=', input.workspaceId)
    .where('kind', '=', 'connection')
    .where('provider', '=', input.provider)
    .where('account_id', '=', input.accountId)
    .where('ended_at', 'is not', null)
    .orderBy('ended_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row && toSource(row);
}
async function resumeSource(db, id, input) {
  await db
    .updateTable('metric_sources')
    .set({
      connection_id: input.connectionId,
      account_name: input.accountName,
      is_sandbox: input.isSandbox,
      ended_at: null,
      end_reason: null,
    })
    .where('id', '=', id)
    .execute();
}
async function renameSourceAccount(db, id, accountName) {
  await db.updateTable('metric_sources').set({ account_name: accountName }).where('id', '=', id).execute();
}
async function endSource(db, id, reason, at = /* @__PURE__ */ new Date()) {
  await db
    .updateTable('metric_sources')
    .set({ ended_at: at, end_reason: reason, connection_id: null })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

// src/domain/sources.ts
async function attachConnectionSource(trx, c) {
  const live = await findLiveSource(trx, c.connectionId);
  if (live?.account?.id === c.account.id) {
    if (live.account.name !== c.account.name) await renameSourceAccount(trx, live.id, c.account.name);
    return { ...live, account: c.account };
  }
  if (live) await endSource(trx, live.id, 'account_changed');
  const earlier = await findEndedAccountSource(trx, {
    workspaceId: c.workspaceId,
    provider: c.provider,
    accountId: c.account.id,
  });
  if (earlier) {
    await resumeSource(trx, earlier.id, {
      connectionId: c.connectionId,
      accountName: c.account.name,
      isSandbox: c.isSandbox,
    });
    return { ...earlier, account: c.account, sandbox: c.isSandbox, endedAt: null, endReason: null };
  }
  return insertSource(trx, {
    id: newId('src'),
    workspaceId: c.workspaceId,
    kind: 'connection',
    provider: c.provider,
    account: c.account,
    connectionId: c.connectionId,
    isSandbox: c.isSandbox,
  });
}
async function endConnectionSource(trx, connectionId) {
  const live = await findLiveSource(trx, connectionId);
  if (live) await endSource(trx, live.id, 'disconnected');
}
var liveSourceOf = findLiveSource;

// src/domain/connections/connect.ts
function validateParams(resolved, raw) {
  const { provider } = resolved;
  const details = [];
  const params = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === void 0) continue;
    const spec = provider.params[name];
    if (!spec) details.push({ path: name, message: `${provider.displayName} takes no ${name}` });
    else if (!spec.pattern.test(value)) details.push({ path: name, message: `must be ${spec.description}` });
    else params[name] = value;
  }
  for (const [name, spec] of Object.entries(provider.params)) {
    if (spec.required && !(name in params) && !details.some((d) => d.path === name)) {
      details.push({ path: name, message: `required: ${spec.description}` });
    }
  }
  if (details.length) throw new AppError('invalid_query', 'invalid connection parameters', details);
  return params;
}
function describe(resolved, e) {
  const name = resolved.provider.displayName;
  if (e.code === 'unauthorized')
    return new AppError('credential_rejected', `${name} rejected the credential: ${e.detail}`);
  if (e.code === 'rate_limited')
    return new AppError('upstream_error', `${name} is rate limiting us: ${e.detail}`);
  if (e.code === 'upstream_unavailable')
    return new AppError('upstream_error', `${name} is unavailable: ${e.detail}`);
  return new AppError('upstream_error', `${name} answered unexpectedly: ${e.detail}`);
}
async function verifyOrThrow(deps, caller, resolved, credential, params) {
  const verified = await resolved.provider.verify(credential, contextFor(resolved, params));
  if (verified.ok) return verified.value;
  await recordAudit(deps.db, {
    workspaceId: caller.workspaceId,
    actor: caller,
    action: 'connection.connect',
    provider: resolved.provider.id,
    outcome: 'failed',
    detail: verified.error.detail,
  });
  throw describe(resolved, verified.error);
}
async function store(deps, caller, resolved, input) {
  const id = resolved.provider.id;
  return deps.db.transaction().execute(async (trx) => {
    const { connection, previousStatus, previouslyFailing } = await upsertConnection(trx, deps.keyring, {
      ...input,
      newId: newId('con'),
      workspaceId: caller.workspaceId,
      provider: id,
      isSandbox: resolved.settings.isSandbox,
      connectedByUserId: caller.userId,
    });
    await attachConnectionSource(trx, {
      connectionId: connection.id,
      workspaceId: caller.workspaceId,
      provider: id,
      account: input.account,
      isSandbox: resolved.settings.isSandbox,
    });
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: previousStatus ? 'connection.reconnect' : 'connection.connect',
      provider: id,
      outcome: 'ok',
      detail: `${input.authType} \xB7 ${input.account.name}`,
    });
    if (previousStatus && (previousStatus !== 'ok' || previouslyFailing)) {
      await connectionRecovered(trx, deps.jobs, connection, {
        actor: caller,
        via: 'reconnect',
        previous: previousStatus !== 'ok' ? previousStatus : 'failing',
      });
    }
    return connection;
  });
}
async function connectWithToken(deps, caller, id, body) {
  const resolved = deps.resolve(id);
  const parsed = resolved.provider.tokenConnect.body.safeParse(body);
  if (!parsed.success) {
    throw new AppError(
      'invalid_body',
      'invalid request body',
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: k, message: 'unknown field' }))
          : [{ path: i.path.map(String).join('.') || '(root)', message: i.message }],
      ),
    );
  }
  const { secret, params } = resolved.provider.tokenConnect.toStored(parsed.data);
  const credential = resolved.provider.credentialFor(secret, 'token', params);
  const account = await verifyOrThrow(deps, caller, resolved, credential, params);
  return store(deps, caller, resolved, {
    authType: 'token',
    params,
    account,
    accessToken: secret,
    refreshToken: void 0,
    accessTokenExpiresAt: null,
    scope: void 0,
  });
}

// src/db/repositories/oauth-states.ts
async function insertOAuthState(db, stateHash, s) {
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      workspace_id: s.workspaceId,
      provider: s.provider,
      user_id: s.userId,
      api_key_id: s.apiKeyId,
      params: JSON.stringify(s.params),
      code_verifier_ct: s.codeVerifierCt,
      redirect_uri: s.redirectUri,
      expires_at: s.expiresAt,
    })
    .execute();
}
async function findOAuthState(db, stateHash) {
  const r = await db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  return (
    r && {
      workspaceId: r.workspace_id,
      provider: r.provider,
      userId: r.user_id,
      apiKeyId: r.api_key_id,
      params: r.params,
      codeVerifierCt: r.code_verifier_ct,
      redirectUri: r.redirect_uri,
      expiresAt: r.expires_at,
    }
  );
}
async function consumeOAuthState(db, stateHash) {
  const r = await db.deleteFrom('oauth_states').where('state_hash', '=', stateHash).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
async function deleteExpiredOAuthStates(db, now = /* @__PURE__ */ new Date()) {
  const r = await db.deleteFrom('oauth_states').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// src/domain/connections/oauth.ts
var STATE_TTL_MS = 10 * 60 * 1e3;
var redirectUriFor = (config, id) => `${config.publicUrl}/integrations/${id}/callback`;
var stateAad = (stateHash) => `deskpulse/oauth-state/v1|${stateHash}`;
async function startOAuth(deps, caller, id, rawParams) {
  const resolved = deps.resolve(id);
  if (resolved.missingForOAuth)
    throw new AppError('provider_not_configured', `missing ${resolved.missingForOAuth}`);
  const params = validateParams(resolved, rawParams);
  const state = randomToken(32);
  const stateHash = sha256Hex(state);
  const codeVerifier = resolved.provider.oauth.pkce ? newCodeVerifier() : void 0;
  const redirectUri = redirectUriFor(deps.config, id);
  const expiresAt = new Date(Date.now() + STATE_TTL_MS);
  await deleteExpiredOAuthStates(deps.db);
  await insertOAuthState(deps.db, stateHash, {
    workspaceId: caller.workspaceId,
    provider: id,
    userId: caller.userId,
    apiKeyId: caller.apiKeyId,
    params,
    codeVerifierCt: codeVerifier ? deps.keyring.encrypt(codeVerifier, stateAad(stateHash)) : null,
    redirectUri,
    expiresAt,
  });
  const flow = { provider: resolved.provider, settings: resolved.settings, params };
  return { authorizeUrl: await buildAuthorizeUrl(flow, { state, redirectUri, codeVerifier }), expiresAt };
}
async function consumeState(deps, caller, id, state, subdomain) {
  const stateHash = sha256Hex(state);
  const row = await findOAuthState(deps.db, stateHash);
  const reject = (why) => new AppError('invalid_state', `invalid OAuth state: ${why}`);
  if (!row) throw reject('unknown, tampered or already used');
  if (row.provider !== id) throw reject(`it was issued for ${row.provider}, not ${id}`);
  if (row.workspaceId !== caller.workspaceId) throw reject('it belongs to another workspace');
  const sameInitiator = caller.userId ? row.userId === caller.userId : row.apiKeyId === caller.apiKeyId;
  if (!sameInitiator) throw reject('it was issued to someone else');
  if (row.expiresAt.getTime() <= Date.now()) {
    await consumeOAuthState(deps.db, stateHash);
    throw reject('it expired; start the connection again');
  }
  if ('subdomain' in row.params && 'given' in subdomain && subdomain.given !== row.params.subdomain) {
    throw reject('the subdomain does not match the one this connection started with');
  }
  if (!(await consumeOAuthState(deps.db, stateHash))) throw reject('already used');
  return {
    params: row.params,
    redirectUri: row.redirectUri,
    codeVerifier: row.codeVerifierCt ? deps.keyring.decrypt(row.codeVerifierCt, stateAad(stateHash)) : void 0,
  };
}
async function completeOAuth(deps, caller, id, input, options = {}) {
  const resolved = deps.resolve(id);
  if (resolved.missingForOAuth)
    throw new AppError('provider_not_configured', `missing ${resolved.missingForOAuth}`);
  const bound = await consumeState(
    deps,
    caller,
    id,
    input.state,
    options.viaCallback ? { bound: true } : { given: input.subdomain },
  );
  const flow = { provider: resolved.provider, settings: resolved.settings, params: bound.params };
  const tokens = await exchangeCode(flow, {
    code: input.code,
    redirectUri: bound.redirectUri,
    codeVerifier: bound.codeVerifier,
  });
  if (!tokens.ok) {
    await recordAudit(deps.db, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'connection.connect',
      provider: id,
      outcome: 'failed',
      detail: tokens.error.detail,
    });
    throw describe(resolved, tokens.error);
  }
  const credential = resolved.provider.credentialFor(tokens.value.accessToken, 'oauth', bound.params);
  const account = await verifyOrThrow(deps, caller, resolved, credential, bound.params);
  return store(deps, caller, resolved, {
    authType: 'oauth',
    params: bound.params,
    account,
    accessToken: tokens.value.accessToken,
    refreshToken: tokens.value.refreshToken,
    accessTokenExpiresAt: tokens.value.expiresAt,
    scope: tokens.value.scope,
  });
}
async function workspaceOfState(deps, state) {
  return (await findOAuthState(deps.db, sha256Hex(state)))?.workspaceId;
}

// src/domain/connections/disconnect.ts
async function disconnect(deps, caller, id) {
  const connection = await findConnection(deps.db, caller.workspaceId, id);
  if (!connection) throw new AppError('not_found', `no ${id} connection in this workspace`);
  const resolved = deps.resolve(id);
  let outcome = 'revocation not offered by the helpdesk; revoke the app there too';
  if (resolved.provider.revoke) {
    const secrets = await readSecrets(deps.db, deps.keyring, connection);
    const credential = resolved.provider.credentialFor(
      secrets.accessToken,
      connection.authType,
      connection.params,
    );
    const revoked = await resolved.provider.revoke(credential, contextFor(resolved, connection.params));
    outcome = revoked.ok
      ? 'revoked at the helpdesk'
      : `revocation failed (${revoked.error.code}: ${revoked.error.detail})`;
  }
  await deps.db.transaction().execute(async (trx) => {
    await endConnectionSource(trx, connection.id);
    await deleteConnection(trx, connection.id);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'connection.disconnect',
      provider: id,
      outcome: 'ok',
      detail: outcome,
    });
  });
}

// src/domain/connections/idle.ts
var IDLE_TOUCH_MS = 24 * 60 * 60 * 1e3;
async function touchIdleConnections(deps, options = {}) {
  const now = options.now ?? /* @__PURE__ */ new Date();
  const ids = await listIdleConnectionIds(
    deps.db,
    new Date(now.getTime() - IDLE_TOUCH_MS),
    options.batchSize ?? 500,
  );
  const result = { checked: ids.length, ok: 0, failed: 0 };
  const actor = { kind: 'system', label: 'idle check' };
  for (const id of ids) {
    try {
      const connection = await findConnectionById(deps.db, id);
      if (!connection) continue;
      const resolved = deps.resolve(connection.provider);
      const credential = await credentialFor(deps, connection, { actor });
      const verified = credential.ok
        ? await resolved.provider.verify(credential.value, contextFor(resolved, connection.params))
        : credential;
      await deps.db.transaction().execute(async (trx) => {
        await markTouched(trx, id, now);
        if (verified.ok) return;
        const locked = await findConnectionById(trx, id, { forUpdate: true });
        if (verified.error.code !== 'unauthorized' || !locked || locked.status === 'needs_reauth') return;
        await recordRefreshOutcome(trx, id, {
          status: 'needs_reauth',
          lastRefreshStatus: 'unauthorized',
          lastError: { message: `idle check failed: ${verified.error.detail}`, kind: 'idle_check' },
        });
        await connectionNeedsReauth(trx, deps.jobs, locked, { actor, reason: verified.error.detail });
      });
      if (verified.ok) result.ok++;
      else result.failed++;
    } catch (e) {
      deps.logger.error({ err: e, connectionId: id }, 'idle check failed');
      await markTouched(deps.db, id, now).catch(() => void 0);
      result.failed++;
    }
  }
  return result;
}

// src/domain/provider-settings.ts
function resolveProvider(config, id, sandbox) {
  const provider = providers[id];
  const c = config.providers[id];
  const isConfigured = Boolean(c.clientId || c.clientSecret || c.oauthBaseUrl || c.apiBaseUrl);
  if (config.sandbox && sandbox && !isConfigured) {
    const overrides2 = provider.emulatorOverrides(sandbox.baseUrl(id));
    return {
      provider,
      settings: {
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        endpoints: (params) => provider.endpoints(overrides2, params),
        isSandbox: true,
      },
      missingForOAuth: void 0,
    };
  }
  const env = id.toUpperCase();
  const missing = [
    !c.clientId && `${env}_CLIENT_ID`,
    !c.clientSecret && `${env}_CLIENT_SECRET`,
    ...(provider.oauthRequires ?? []).map((k) => !c[k] && provider.env[k]),
  ].find((m) => Boolean(m));
  const overrides = { oauthBaseUrl: c.oauthBaseUrl, apiBaseUrl: c.apiBaseUrl };
  return {
    provider,
    settings: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      endpoints: (params) => provider.endpoints(overrides, params),
      isSandbox: false,
    },
    missingForOAuth: missing,
  };
}
function connectionParams() {
  const byName = /* @__PURE__ */ new Map();
  for (const p of Object.values(providers)) {
    for (const [name, spec] of Object.entries(p.params)) {
      byName.set(name, [...(byName.get(name) ?? []), `${p.displayName}: ${spec.description}`]);
    }
  }
  return [...byName].map(([name, uses]) => ({ name, description: `${uses.join('; ')}` }));
}

// src/sandbox.ts
import { createHmac as createHmac2 } from 'node:crypto';
var PATH = (id) => `/_sandbox/${id}`;
function sandboxSettings(config, authSecret) {
  return {
    baseUrl: (id) => `${config.publicUrl}${PATH(id)}`,
    clientId: 'deskpulse-sandbox',
    // Derived, not random, so every process on the same data dir (API, worker, CLI) presents the same client.
    clientSecret: createHmac2('sha256', authSecret)
      .update('deskpulse sandbox oauth client')
      .digest('base64url'),
  };
}
async function loadSandboxApps(config, sandbox) {
  const [{ generateDataset }, { createEmulator }] = await Promise.all([
    import('./generate-TFHHOJBG.js'),
    import('./emulators-6S5BXWKK.js'),
  ]);
  const dataset = generateDataset({ seed: 42, conversations: 3e3, now: Date.now() });
  const apps = {};
  for (const id of PROVIDER_IDS) {
    const demo = providers[id].sandbox;
    const { secret, params } = providers[id].tokenConnect.toStored(demo.tokenBody);
    apps[id] = createEmulator(id, {
      basePath: PATH(id),
      dataset,
      account: demo.account,
      clients: [
        {
          clientId: sandbox.clientId,
          clientSecret: sandbox.clientSecret,
          redirectUris: [`${config.publicUrl}/integrations/${id}/callback`],
        },
      ],
      apiTokens: [
        {
          token: secret,
          account: demo.account,
          ...(params.email && params.subdomain ? { email: params.email, subdomain: params.subdomain } : {}),
        },
      ],
    }).app;
  }
  return apps;
}

export {
  recordAudit,
  listAudit,
  recordRefreshSuccess,
  recordRefreshFailure,
  setRefreshInterval,
  claimDueConnections,
  setNextRefreshTimes,
  findConnection,
  listConnections2 as listConnections,
  deleteFinishedDeliveriesBefore,
  registerWebhook,
  listWebhooks,
  deleteWebhookAs,
  listWebhookDeliveries,
  publishEvent,
  redriveStaleDeliveries,
  deliver,
  connectionNeedsReauth,
  connectionRecovered,
  SOURCE_COLUMNS,
  toSource,
  attachConnectionSource,
  liveSourceOf,
  connectWithToken,
  startOAuth,
  completeOAuth,
  workspaceOfState,
  disconnect,
  registry,
  telemetry,
  credentialFor,
  sweepExpiringTokens,
  touchIdleConnections,
  rotateEncryption,
  resolveProvider,
  connectionParams,
  sandboxSettings,
  loadSandboxApps,
};
//# sourceMappingURL=chunk-6W4WS6LQ.js.map
