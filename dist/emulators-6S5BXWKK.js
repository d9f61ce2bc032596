import { ZENDESK_SUBDOMAIN } from './chunk-MAMGE6RR.js';

// emulators/index.ts
import { once } from 'node:events';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// emulators/shared/knobs.ts
import { setTimeout as sleep } from 'node:timers/promises';
function knobsMiddleware(knobs, unavailable) {
  return async (c, next) => {
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      return unavailable(c);
    }
    await next();
    return void 0;
  };
}

// emulators/shared/store.ts
var OAuthStore = class {
  constructor(now) {
    this.now = now;
  }
  now;
  codes = /* @__PURE__ */ new Map();
  access = /* @__PURE__ */ new Map();
  refresh = /* @__PURE__ */ new Map();
  revokedGrants = /* @__PURE__ */ new Set();
  issued = { access: [], refresh: [] };
  nextId = 1;
  newGrantId() {
    return this.nextId++;
  }
  saveCode(code, record) {
    this.codes.set(code, record);
  }
  findCode(code) {
    const record = this.codes.get(code);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.isUsed) return { ok: false, reason: 'used' };
    if (this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }
  consumeCode(code) {
    const record = this.codes.get(code);
    if (record) record.isUsed = true;
  }
  addApiToken(token, principal) {
    this.access.set(token, {
      id: this.nextId++,
      token,
      principal,
      issuedAt: this.now(),
      expiresAt: null,
      refreshToken: null,
      lastUsedAt: null,
    });
  }
  addAccess(token, principal, expiresAt, refreshToken) {
    const record = {
      id: this.nextId++,
      token,
      principal,
      issuedAt: this.now(),
      expiresAt,
      refreshToken,
      lastUsedAt: null,
    };
    this.access.set(token, record);
    this.issued.access.push(token);
    return record;
  }
  addRefresh(token, principal, expiresAt) {
    const record = { token, principal, issuedAt: this.now(), expiresAt };
    this.refresh.set(token, record);
    this.issued.refresh.push(token);
    return record;
  }
  /** `realm` is the subdomain of the request; a credential bound to another realm is unknown there. */
  findAccess(token, realm) {
    const record = this.access.get(token);
    if (!record || !isSameRealm(record.principal, realm)) return { ok: false, reason: 'unknown' };
    if (this.revokedGrants.has(record.principal.grantId)) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    record.lastUsedAt = this.now();
    return { ok: true, record };
  }
  findAccessById(id, realm) {
    for (const record of this.access.values()) {
      if (record.id === id && isSameRealm(record.principal, realm)) return record;
    }
    return void 0;
  }
  findRefresh(token, realm) {
    const record = this.refresh.get(token);
    if (!record || !isSameRealm(record.principal, realm)) return { ok: false, reason: 'unknown' };
    if (this.revokedGrants.has(record.principal.grantId)) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && this.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }
  deleteAccess(token) {
    this.access.delete(token);
  }
  deleteRefresh(token) {
    this.refresh.delete(token);
  }
  /** Deletes the access tokens issued together with `refreshToken` (rotation that kills the old pair). */
  deleteAccessPairedWith(refreshToken) {
    for (const [token, record] of this.access) {
      if (record.refreshToken === refreshToken) this.access.delete(token);
    }
  }
  /** Kills every access and refresh token of the grant: what "remove the app" does at the helpdesk. */
  revokeGrant(grantId) {
    this.revokedGrants.add(grantId);
  }
  grantOfToken(token) {
    return (this.access.get(token) ?? this.refresh.get(token))?.principal.grantId;
  }
  issuedTokens() {
    return { access: [...this.issued.access], refresh: [...this.issued.refresh] };
  }
};
function isSameRealm(principal, realm) {
  return principal.realm === null || principal.realm === realm;
}

// emulators/shared/grants.ts
import { z } from 'zod';

// emulators/shared/pkce.ts
import { createHash } from 'node:crypto';
var PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;
function isWellFormedPkceValue(value) {
  return PKCE_VALUE.test(value);
}
function s256Challenge(verifier) {
  return createHash('sha256').update(verifier).digest('base64url');
}
function verifiesChallenge(challenge, verifier) {
  return isWellFormedPkceValue(verifier) && s256Challenge(verifier) === challenge;
}

// emulators/shared/grants.ts
function redeemCode(ctx, input) {
  if (input.code === void 0 || input.code === '') return { ok: false, description: 'Missing code.' };
  const found = ctx.store.findCode(input.code);
  if (!found.ok) {
    const why = {
      unknown: 'is invalid',
      used: 'was already used',
      expired: 'has expired',
      revoked: 'was revoked',
    };
    return { ok: false, description: `The authorization code ${why[found.reason]}.` };
  }
  const record = found.record;
  if (record.clientId !== input.clientId || record.realm !== input.realm) {
    return { ok: false, description: 'The authorization code was issued to another client.' };
  }
  if (input.isRedirectUriChecked && record.redirectUri !== null && record.redirectUri !== input.redirectUri) {
    return { ok: false, description: 'redirect_uri does not match the authorization request.' };
  }
  if (input.isPkceChecked) {
    if (record.codeChallenge !== null) {
      if (input.codeVerifier === void 0 || !verifiesChallenge(record.codeChallenge, input.codeVerifier)) {
        return { ok: false, description: 'code_verifier does not match the code_challenge.' };
      }
    } else if (input.codeVerifier !== void 0) {
      return { ok: false, description: 'code_verifier sent for a code issued without code_challenge.' };
    }
  }
  ctx.store.consumeCode(input.code);
  return { ok: true, record };
}
function redeemRefreshToken(ctx, token, clientId, realm) {
  if (token === void 0 || token === '') return { ok: false, description: 'Missing refresh_token.' };
  const found = ctx.store.findRefresh(token, realm);
  if (!found.ok) return { ok: false, description: `The refresh token is ${found.reason}.` };
  if (found.record.principal.clientId !== clientId) {
    return { ok: false, description: 'The refresh token was issued to another client.' };
  }
  return found;
}
function oauthPrincipal(ctx, code) {
  return {
    grantId: ctx.store.newGrantId(),
    kind: 'oauth',
    clientId: code.clientId,
    realm: code.realm,
    scope: code.scope,
    account: code.account,
    email: null,
  };
}
function apiTokenPrincipal(ctx, account, realm = null, email = null) {
  return {
    grantId: ctx.store.newGrantId(),
    kind: 'api_token',
    clientId: null,
    realm,
    scope: '',
    account,
    email,
  };
}
var CodeGrantSchema = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
  code_verifier: z.string().optional(),
});
var RefreshGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
});
function redeemCodeGrant(ctx, grant, clientId, realm = null) {
  return redeemCode(ctx, {
    code: grant.code,
    clientId,
    realm,
    redirectUri: grant.redirect_uri,
    isRedirectUriChecked: true,
    codeVerifier: grant.code_verifier,
    isPkceChecked: true,
  });
}

// emulators/front/errors.ts
function frontError(c, status, title, message) {
  return c.json({ _error: { status, title, message } }, status);
}

// emulators/front/analytics.ts
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import { z as z2 } from 'zod';

// emulators/shared/context.ts
function findClient(ctx, clientId) {
  return clientId === void 0 ? void 0 : ctx.clients.find((client) => client.clientId === clientId);
}
function publicBase(c, ctx) {
  return new URL(c.req.url).origin + ctx.basePath;
}
function epochSeconds(ms) {
  return Math.floor(ms / 1e3);
}

// emulators/shared/http.ts
import { timingSafeEqual } from 'node:crypto';
import { auth as parseBasicAuth } from 'hono/utils/basic-auth';
async function readParams(c, formats) {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) {
    if (!formats.includes('json')) return null;
    const body = await c.req.json().catch(() => null);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const params = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
    }
    return params;
  }
  if (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '') {
    if (!formats.includes('form')) return null;
    const body = await c.req.parseBody().catch(() => null);
    if (body === null) return null;
    const params = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params[key] = value;
    }
    return params;
  }
  return null;
}
function bearerToken(c) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}
function basicCredentials(c) {
  return parseBasicAuth(c.req.raw) ?? null;
}
function isSameSecret(expected, given) {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
function authenticateClient(ctx, clientId, clientSecret) {
  const client = findClient(ctx, clientId);
  if (!client || clientSecret === void 0 || !isSameSecret(client.clientSecret, clientSecret)) return null;
  return client;
}
function noStore(c) {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
}
function oauthError(c, status, error, description) {
  noStore(c);
  if (error === 'invalid_client' && status === 401) c.header('WWW-Authenticate', 'Basic realm="oauth"');
  return c.json({ error, error_description: description }, status);
}

// emulators/shared/rate-limit.ts
var windows = /* @__PURE__ */ new WeakMap();
function takeRequest(ctx) {
  ctx.stats.dataRequests++;
  const rl = ctx.knobs.rateLimit;
  const now = ctx.now();
  if (!rl) return { allowed: true, limit: Infinity, remaining: Infinity, resetAt: now, retryAfterMs: 0 };
  let w = windows.get(ctx);
  if (!w || now >= w.start + rl.windowMs) {
    w = { start: now - (now % rl.windowMs), used: 0 };
    windows.set(ctx, w);
  }
  const resetAt = w.start + rl.windowMs;
  if (w.used >= rl.limit) {
    ctx.stats.rateLimited++;
    return { allowed: false, limit: rl.limit, remaining: 0, resetAt, retryAfterMs: resetAt - now };
  }
  w.used++;
  return { allowed: true, limit: rl.limit, remaining: rl.limit - w.used, resetAt, retryAfterMs: 0 };
}

// emulators/front/data.ts
var teammateId = (agentId) => `tea_${agentId}`;
var conversationId = (id) => `cnv_${id}`;
var frontTime = (ms) => ms / 1e3;
var MAX_LIMIT = 100;
var DEFAULT_LIMIT = 50;
function frontStatus(c) {
  if (c.spam) return 'deleted';
  if (c.status === 'open') return c.assigneeId === null ? 'unassigned' : 'assigned';
  return 'archived';
}
var isSnoozed = (c) => !c.spam && c.status === 'snoozed';
function guarded(ctx, handler) {
  return async (c) => {
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    if (!found?.ok) {
      return frontError(
        c,
        401,
        'Unauthorized',
        found?.reason === 'expired' ? 'Expired token' : 'Invalid token',
      );
    }
    const decision = takeRequest(ctx);
    if (Number.isFinite(decision.limit)) {
      c.header('x-ratelimit-limit', String(decision.limit));
      c.header('x-ratelimit-remaining', String(decision.remaining));
      c.header('x-ratelimit-reset', String(Math.ceil(decision.resetAt / 1e3)));
    }
    if (!decision.allowed) {
      c.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1e3))));
      return frontError(
        c,
        429,
        'Too Many Requests',
        'Rate limit exceeded. Retry after the delay in retry-after.',
      );
    }
    if (ctx.knobs.failDataNext > 0) {
      ctx.knobs.failDataNext -= 1;
      return frontError(c, 503, 'Service Unavailable', 'The service is temporarily unavailable.');
    }
    return handler(c);
  };
}
function splitName(name) {
  const at = name.indexOf(' ');
  return at < 0 ? { first: name, last: '' } : { first: name.slice(0, at), last: name.slice(at + 1) };
}
function teammateBody(base, agent) {
  const id = teammateId(agent.id);
  const { first, last } = splitName(agent.name);
  return {
    _links: {
      self: `${base}/teammates/${id}`,
      related: {
        inboxes: `${base}/teammates/${id}/inboxes`,
        conversations: `${base}/teammates/${id}/conversations`,
      },
    },
    id,
    email: agent.email,
    username: agent.email.split('@')[0] ?? agent.id,
    first_name: first,
    last_name: last,
    license_type: 'regular',
    is_admin: false,
    is_available: true,
    is_blocked: false,
    type: 'user',
    custom_fields: {},
  };
}
function csatBot(base) {
  return {
    ...teammateBody(base, { id: 'csat', name: 'CSAT', email: 'csat@bots.frontapp.test' }),
    type: 'csat',
  };
}
function conversationBody(base, ctx, c) {
  const id = conversationId(c.id);
  const agent = c.assigneeId === null ? void 0 : agentsOf(ctx).get(c.assigneeId);
  const reminders = isSnoozed(c)
    ? [
        {
          _links: { related: { owner: `${base}/teammates/${teammateId(c.assigneeId ?? 'csat')}` } },
          created_at: frontTime(c.updatedAt),
          scheduled_at: frontTime(ctx.dataset.now + 864e5),
          updated_at: frontTime(c.updatedAt),
        },
      ]
    : [];
  return {
    _links: {
      self: `${base}/conversations/${id}`,
      related: {
        events: `${base}/conversations/${id}/events`,
        followers: `${base}/conversations/${id}/followers`,
        messages: `${base}/conversations/${id}/messages`,
        comments: `${base}/conversations/${id}/comments`,
        inboxes: `${base}/conversations/${id}/inboxes`,
      },
    },
    id,
    type: 'conversation',
    subject: `Conversation ${c.id}`,
    status: frontStatus(c),
    ticket_ids: [],
    assignee: agent ? teammateBody(base, agent) : null,
    recipient: {
      _links: { related: { contact: null } },
      name: null,
      handle: `customer-${c.id}@example.test`,
      role: 'from',
    },
    tags: [],
    links: [],
    custom_fields: {},
    created_at: frontTime(c.createdAt),
    updated_at: frontTime(c.updatedAt),
    is_private: false,
    scheduled_reminders: reminders,
    metadata: {},
  };
}
var agentMaps = /* @__PURE__ */ new WeakMap();
function agentsOf(ctx) {
  let map = agentMaps.get(ctx.dataset);
  if (map === void 0) agentMaps.set(ctx.dataset, (map = new Map(ctx.dataset.agents.map((a) => [a.id, a]))));
  return map;
}
function byUpdatedDesc(a, b) {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
function parseLimit(raw) {
  if (raw === void 0) return DEFAULT_LIMIT;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT ? n : null;
}
function page(c, items, limit) {
  const token = c.req.query('page_token');
  const offset = token === void 0 ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) return null;
  const results = items.slice(offset, offset + limit);
  if (offset + limit >= items.length) return { results, next: null };
  const url = new URL(c.req.url);
  url.searchParams.set('page_token', Buffer.from(String(offset + limit)).toString('base64url'));
  return { results, next: url.toString() };
}
var LIST_STATUSES = ['assigned', 'unassigned', 'archived', 'trashed'];
function statusesQuery(c) {
  return [...(c.req.queries('q[statuses]') ?? []), ...(c.req.queries('q[statuses][]') ?? [])];
}
function matchesListStatus(conv, statuses) {
  const status = frontStatus(conv);
  return statuses.some((s) => (s === 'trashed' ? status === 'deleted' : s === status));
}
var SEARCH_FILTERS = {
  'is:open': (c) => frontStatus(c) === 'assigned' || frontStatus(c) === 'unassigned',
  'is:archived': (c) => frontStatus(c) === 'archived',
  'is:snoozed': isSnoozed,
  'is:assigned': (c) => !c.spam && c.assigneeId !== null,
  'is:unassigned': (c) => !c.spam && c.assigneeId === null,
  'is:trashed': (c) => c.spam,
};
function mountFrontData(app, ctx) {
  app.get(
    '/teammates',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      return c.json({
        _links: { self: `${base}/teammates` },
        _results: [...ctx.dataset.agents.map((a) => teammateBody(base, a)), csatBot(base)],
      });
    }),
  );
  app.get(
    '/conversations',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      const limit = parseLimit(c.req.query('limit'));
      const statuses = statusesQuery(c);
      if (limit === null || statuses.some((s) => !LIST_STATUSES.includes(s))) {
        return frontError(c, 400, 'Bad Request', 'Invalid query parameters.');
      }
      const selected = ctx.dataset.conversations
        .filter((conv) =>
          statuses.length === 0 ? frontStatus(conv) !== 'deleted' : matchesListStatus(conv, statuses),
        )
        .sort(byUpdatedDesc);
      const paged = page(c, selected, limit);
      if (paged === null) return frontError(c, 400, 'Bad Request', 'Invalid page_token.');
      return c.json({
        _pagination: { next: paged.next },
        _links: { self: `${base}/conversations` },
        _results: paged.results.map((conv) => conversationBody(base, ctx, conv)),
      });
    }),
  );
  app.get(
    '/conversations/search/:query',
    guarded(ctx, (c) => {
      const base = publicBase(c, ctx);
      const limit = parseLimit(c.req.query('limit'));
      const terms = (c.req.param('query') ?? '').trim().split(/\s+/);
      const filters = terms.map((t) => SEARCH_FILTERS[t.toLowerCase()]);
      if (limit === null || filters.some((f) => f === void 0)) {
        return frontError(c, 400, 'Bad Request', 'Unsupported search query.');
      }
      const selected = ctx.dataset.conversations
        .filter((conv) => filters.every((f) => f?.(conv) === true))
        .sort(byUpdatedDesc);
      const paged = page(c, selected, limit);
      if (paged === null) return frontError(c, 400, 'Bad Request', 'Invalid page_token.');
      return c.json({
        _pagination: { next: paged.next },
        _links: { self: `${base}/conversations/search/${encodeURIComponent(c.req.param('query') ?? '')}` },
        _total: selected.length,
        _results: paged.results.map((conv) => conversationBody(base, ctx, conv)),
      });
    }),
  );
}

// emulators/front/analytics.ts
var floorSecond = (ms) => Math.floor(ms / 1e3) * 1e3;
function activitiesOf(c, now) {
  if (c.spam) return [];
  const out = [];
  const end = c.closedAt ?? now;
  const base = { conversation: c, repliesToResolution: null, rating: null };
  out.push({ ...base, type: 'Inbound message', at: c.createdAt, segment: 1 });
  const replies = [];
  if (c.firstAgentReplyAt !== null && c.agentReplies > 0) {
    const first = c.firstAgentReplyAt;
    for (let j = 1; j <= c.agentReplies; j++) {
      replies.push(
        j === 1 ? first : first + floorSecond((Math.max(end, first) - first) * ((j - 1) / c.agentReplies)),
      );
    }
  }
  const span = Math.max(0, end - c.createdAt);
  const closes = [];
  const reopens = [];
  for (let k = 1; k <= c.reopens; k++) {
    closes.push(c.createdAt + floorSecond((span * (2 * k - 1)) / (2 * c.reopens + 1)));
    reopens.push(c.createdAt + floorSecond((span * 2 * k) / (2 * c.reopens + 1)));
  }
  const segmentAt = (t) => 1 + reopens.filter((r) => r <= t).length;
  for (const at of replies) out.push({ ...base, type: 'Outbound reply', at, segment: segmentAt(at) });
  let counted = 0;
  closes.forEach((at, i) => {
    const from = i === 0 ? -Infinity : (reopens[i - 1] ?? -Infinity);
    const inSegment = replies.filter((r) => r > from && r <= at).length;
    counted += inSegment;
    out.push({ ...base, type: 'Archive', at, segment: i + 1, repliesToResolution: inSegment });
    out.push({ ...base, type: 'Reopen', at: reopens[i] ?? at, segment: i + 2 });
  });
  if (c.status === 'closed' && c.closedAt !== null) {
    out.push({
      ...base,
      type: 'Archive',
      at: c.closedAt,
      segment: c.reopens + 1,
      repliesToResolution: replies.length - counted,
    });
  }
  if (c.rating) {
    out.push({
      ...base,
      type: 'Survey response',
      at: c.rating.ratedAt,
      segment: segmentAt(c.rating.ratedAt),
      rating: c.rating.score,
    });
  }
  return out;
}
function allActivities(ctx) {
  const cached = activityCache.get(ctx);
  if (cached && cached.dataset === ctx.dataset) return cached.activities;
  const activities = ctx.dataset.conversations
    .flatMap((c) => activitiesOf(c, ctx.dataset.now))
    .sort((a, b) => a.at - b.at);
  activityCache.set(ctx, { dataset: ctx.dataset, activities });
  return activities;
}
var activityCache = /* @__PURE__ */ new WeakMap();
function dayRange(start, end, timezone) {
  const from = startOfDay(new TZDate(start * 1e3, timezone)).getTime();
  const to = addDays(startOfDay(new TZDate(end * 1e3, timezone)), 1).getTime();
  return { from, to };
}
var TimezoneSchema = z2
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  })
  .optional();
var FiltersSchema = z2
  .object({
    tag_ids: z2.array(z2.string()).optional(),
    teammate_ids: z2.array(z2.string()).optional(),
    channel_ids: z2.array(z2.string()).optional(),
    inbox_ids: z2.array(z2.string()).optional(),
    team_ids: z2.array(z2.string()).optional(),
    account_ids: z2.array(z2.string()).optional(),
  })
  .optional();
function conversationFilter(filters) {
  const teammates = filters?.teammate_ids;
  const others = [
    filters?.tag_ids,
    filters?.channel_ids,
    filters?.inbox_ids,
    filters?.team_ids,
    filters?.account_ids,
  ];
  if (others.some((ids) => ids !== void 0 && ids.length > 0)) return () => false;
  if (teammates === void 0 || teammates.length === 0) return () => true;
  return (c) => c.assigneeId !== null && teammates.includes(teammateId(c.assigneeId));
}
var METRIC_IDS = [
  'avg_csat_survey_response',
  'avg_first_response_time',
  'avg_handle_time',
  'avg_replies_to_resolution',
  'avg_resolution_time',
  'avg_response_time',
  'avg_sla_breach_time',
  'avg_total_reply_time',
  'new_segments_count',
  'num_active_segments_full',
  'num_archived_segments',
  'num_archived_segments_with_reply',
  'num_csat_survey_response',
  'num_messages_received',
  'num_messages_sent',
  'num_sla_breach',
  'pct_csat_survey_satisfaction',
  'pct_resolved_on_first_reply',
  'pct_tagged_conversations',
  'num_closed_segments',
  'num_open_segments_start',
  'num_open_segments_end',
  'num_resolved_segments',
  'num_unresolved_active_segments',
  'num_workload_segments',
];
var ReportRequestSchema = z2.object({
  start: z2.number(),
  end: z2.number(),
  timezone: TimezoneSchema,
  filters: FiltersSchema,
  metrics: z2.array(z2.enum(METRIC_IDS)).min(1),
});
function metricType(id) {
  if (id.startsWith('pct_')) return 'percentage';
  if (id.startsWith('avg_') && id.endsWith('_time')) return 'duration';
  return 'number';
}
var mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
function computeMetric(id, rows, openEnd) {
  const ratings = rows.filter((a) => a.type === 'Survey response').map((a) => a.rating ?? 0);
  switch (id) {
    case 'new_segments_count':
      return rows.filter((a) => a.type === 'Inbound message' || a.type === 'Reopen').length;
    case 'num_csat_survey_response':
      return ratings.length;
    case 'pct_csat_survey_satisfaction':
      return ratings.length === 0
        ? null
        : Math.round((100 * ratings.filter((r) => r >= 4).length) / ratings.length);
    case 'avg_csat_survey_response':
      return ratings.length === 0 ? null : Math.round(mean(ratings));
    case 'avg_first_response_time': {
      const waits = rows
        .filter((a) => a.type === 'Inbound message' && a.conversation.firstAgentReplyAt !== null)
        .map((a) => ((a.conversation.firstAgentReplyAt ?? 0) - a.at) / 1e3);
      return waits.length === 0 ? null : Math.round(mean(waits));
    }
    case 'num_archived_segments':
      return rows.filter((a) => a.type === 'Archive').length;
    case 'num_messages_received':
      return rows.filter((a) => a.type === 'Inbound message').length;
    case 'num_messages_sent':
      return rows.filter((a) => a.type === 'Outbound reply').length;
    case 'num_open_segments_end':
      return openEnd;
    default:
      return null;
  }
}
function computeReport(ctx, request) {
  const { from, to } = dayRange(request.start, request.end, request.timezone ?? 'Etc/UTC');
  const matches = conversationFilter(request.filters);
  const rows = allActivities(ctx).filter((a) => a.at >= from && a.at < to && matches(a.conversation));
  const openEnd =
    to > ctx.dataset.now
      ? ctx.dataset.conversations.filter(
          (c) => matches(c) && (frontStatus(c) === 'assigned' || frontStatus(c) === 'unassigned'),
        ).length
      : null;
  return request.metrics.map((id) => ({
    id,
    type: metricType(id),
    value: computeMetric(id, rows, openEnd),
  }));
}
var FILLED_COLUMNS = [
  'Activity API ID',
  'Type',
  'Conversation API ID',
  'Message date',
  'Direction',
  'Status',
  'Author',
  'Assignee',
  'Survey rating',
  'Segment',
  'Replies to resolution',
  'New Conversation',
];
var ACTIVITY_COLUMNS = /* @__PURE__ */ new Set([
  ...FILLED_COLUMNS,
  'Activity ID',
  'Source',
  'Message ID',
  'Segment ID',
  'Conversation ID',
  'Ticket IDs',
  'Segment start',
  'Segment end',
  'Status at activity time',
  'Inbox',
  'Inbox API ID',
  'Inbox at activity time',
  'Inbox API IDs at activity time',
  'Previous inbox IDs',
  'Autoreply',
  'Reaction time',
  'Total reply time',
  'Handle time',
  'Response time',
  'Stage resolution time',
  'Ticket resolution time',
  'Ticket replies to resolution',
  'Attributed to',
  'Contact name',
  'Contact handle',
  'Account names',
  'From',
  'To',
  'Cc',
  'Bcc',
  'Extract',
  'Tags',
  'Tag API IDs',
  'Tags at activity time',
  'Tag API IDs at activity time',
  'Tag application duration',
  'Message API ID',
  'Comment API ID',
  'Message original ID',
  'First response',
  'Business hours',
  'Subject',
  'Account name',
  'Survey comment',
  'Segment closed',
  'Segment contains messages',
  'Last segment activity',
  'Added tag',
  'Added tag API ID',
  'Removed tag',
  'Removed tag API ID',
  'Segment cumulative teammates',
  'Ticket status name',
  'Ticket status category',
]);
var ExportRequestSchema = z2.object({
  type: z2.enum(['messages', 'events']),
  start: z2.number(),
  end: z2.number(),
  timezone: TimezoneSchema,
  filters: FiltersSchema,
  // Required since 2024-04-01
  // (https://community.front.com/api-news-updates-40/breaking-changes-to-the-analytics-endpoint-746);
  // parameterized columns are objects and stay empty here.
  columns: z2
    .array(
      z2.union([
        z2.string().refine((name) => ACTIVITY_COLUMNS.has(name)),
        z2.object({ name: z2.string(), id: z2.union([z2.string(), z2.number()]) }),
      ]),
    )
    .min(1),
});
function cell(emails, column, a, timezone) {
  const assignee = a.conversation.assigneeId;
  const email = (agentId) => (agentId === null ? '' : (emails.get(agentId) ?? ''));
  switch (column) {
    case 'Activity API ID':
      return `act_${a.conversation.id}_${a.type.replace(/\s/g, '').toLowerCase()}_${frontTime(a.at)}`;
    case 'Type':
      return a.type;
    case 'Conversation API ID':
      return conversationId(a.conversation.id);
    // [emulator] The date format is undocumented: ISO 8601 with the offset of the export's timezone.
    case 'Message date':
      return new TZDate(a.at, timezone).toISOString();
    case 'Direction':
      return a.type === 'Inbound message' ? 'Inbound' : a.type === 'Outbound reply' ? 'Outbound' : '';
    case 'Status':
      return frontStatus(a.conversation);
    // [emulator] Teammates are named by email, which `GET /teammates` also returns.
    case 'Author':
      return a.type === 'Outbound reply' ? email(assignee) : '';
    case 'Assignee':
      return email(assignee);
    case 'Survey rating':
      return a.rating === null ? '' : String(a.rating);
    case 'Segment':
      return String(a.segment);
    case 'Replies to resolution':
      return a.repliesToResolution === null ? '' : String(a.repliesToResolution);
    case 'New Conversation':
      return a.type === 'Inbound message' ? String(a.segment === 1) : '';
    default:
      return '';
  }
}
function exportCsv(ctx, request) {
  const timezone = request.timezone ?? 'Etc/UTC';
  const { from, to } = dayRange(request.start, request.end, timezone);
  const matches = conversationFilter(request.filters);
  const names = request.columns.map((col) => (typeof col === 'string' ? col : `${col.name}:${col.id}`));
  const rows = allActivities(ctx).filter(
    (a) =>
      a.at >= from &&
      a.at < to &&
      matches(a.conversation) &&
      (request.type === 'events' || a.type === 'Inbound message' || a.type === 'Outbound reply'),
  );
  const emails = new Map(ctx.dataset.agents.map((g) => [g.id, g.email]));
  return stringifyCsv([names, ...rows.map((a) => names.map((n) => cell(emails, n, a, timezone)))], {
    record_delimiter: 'windows',
  });
}
async function readJson(c) {
  return c.req.json().catch(() => void 0);
}
function mountFrontAnalytics(app, ctx) {
  const reports = /* @__PURE__ */ new Map();
  const exports = /* @__PURE__ */ new Map();
  let next = 1;
  app.post(
    '/analytics/reports',
    guarded(ctx, async (c) => {
      const parsed = ReportRequestSchema.safeParse(await readJson(c));
      if (!parsed.success) return frontError(c, 400, 'Bad Request', 'Invalid analytics report request.');
      const uid = `${(next++).toString(16).padStart(8, '0')}${ctx.dataset.seed.toString(16).padStart(8, '0')}`;
      reports.set(uid, { request: parsed.data, polls: 0, createdAt: ctx.now() });
      return c.json(
        {
          _links: { self: `${publicBase(c, ctx)}/analytics/reports/${uid}` },
          uid,
          status: 'running',
          progress: 0,
          metrics: [],
        },
        201,
      );
    }),
  );
  app.get(
    '/analytics/reports/:uid',
    guarded(ctx, (c) => {
      const job = reports.get(c.req.param('uid') ?? '');
      if (!job) return frontError(c, 404, 'Not Found', 'Unknown analytics report.');
      job.polls += 1;
      return c.json({
        _links: { self: `${publicBase(c, ctx)}/analytics/reports/${c.req.param('uid') ?? ''}` },
        uid: c.req.param('uid') ?? '',
        status: 'done',
        progress: 100,
        metrics: computeReport(ctx, job.request),
      });
    }),
  );
  app.post(
    '/analytics/exports',
    guarded(ctx, async (c) => {
      const parsed = ExportRequestSchema.safeParse(await readJson(c));
      if (!parsed.success) return frontError(c, 400, 'Bad Request', 'Invalid analytics export request.');
      const id = `exp_${(next++).toString(36)}`;
      exports.set(id, { request: parsed.data, polls: 0, createdAt: ctx.now() });
      return c.json(
        {
          _links: { self: `${publicBase(c, ctx)}/analytics/exports/${id}` },
          id,
          status: 'running',
          progress: 0,
          created_at: frontTime(ctx.now()),
          filters: parsed.data.filters ?? {},
        },
        201,
      );
    }),
  );
  app.get(
    '/analytics/exports/:id',
    guarded(ctx, (c) => {
      const id = c.req.param('id') ?? '';
      const job = exports.get(id);
      if (!job) return frontError(c, 404, 'Not Found', 'Unknown analytics export.');
      job.polls += 1;
      job.file ??= exportCsv(ctx, job.request);
      const base = publicBase(c, ctx);
      return c.json({
        _links: { self: `${base}/analytics/exports/${id}` },
        id,
        status: 'done',
        progress: 100,
        url: `${base}/analytics/exports/${id}/download`,
        filename: `export-${job.request.type}-${ctx.account.id}-${id}.csv`,
        size: Buffer.byteLength(job.file),
        created_at: frontTime(job.createdAt),
        filters: job.request.filters ?? {},
      });
    }),
  );
  app.get(
    '/analytics/exports/:id/download',
    guarded(ctx, (c) => {
      const job = exports.get(c.req.param('id') ?? '');
      if (job?.file === void 0) return frontError(c, 404, 'Not Found', 'Unknown analytics export.');
      c.header('content-type', 'text/csv; charset=utf-8');
      return c.body(job.file);
    }),
  );
}

// emulators/front/identity.ts
var FRONT_ME_PATH = '/me';
function mountFrontIdentity(app, ctx) {
  app.get(FRONT_ME_PATH, (c) => {
    ctx.stats.identityRequests += 1;
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    if (!found?.ok) {
      const message = found?.reason === 'expired' ? 'Expired token' : 'Invalid token';
      return frontError(c, 401, 'Unauthorized', message);
    }
    const account = found.record.principal.account;
    return c.json({
      _links: { self: `${publicBase(c, ctx)}${FRONT_ME_PATH}` },
      id: account.id,
      name: account.name,
    });
  });
}

// emulators/front/oauth.ts
import { sign } from 'hono/jwt';

// emulators/shared/authorize.ts
import { html } from 'hono/html';
var CONTROL_PARAMS = /* @__PURE__ */ new Set(['auto_approve', 'auto_deny', 'decision']);
function authorizeHandler(ctx, rules) {
  return async (c) => {
    const isPost = c.req.method === 'POST';
    const params = isPost ? await formParams(c) : c.req.query();
    const decision = decisionOf(isPost, params);
    const client = findClient(ctx, params.client_id);
    if (!client) return errorPage(c, 'invalid_client', 'Unknown client_id.');
    const requestedRedirect = params.redirect_uri;
    let redirectUri;
    if (requestedRedirect === void 0) {
      const fallback = client.redirectUris[0];
      if (rules.isRedirectUriRequired || fallback === void 0) {
        return errorPage(c, 'invalid_request', 'Missing redirect_uri.');
      }
      redirectUri = fallback;
    } else if (client.redirectUris.includes(requestedRedirect)) {
      redirectUri = requestedRedirect;
    } else {
      return errorPage(c, 'invalid_request', 'redirect_uri does not match a registered redirect URL.');
    }
    const back = (values) => redirectWith(c, redirectUri, values, params.state);
    const responseType = params.response_type;
    if (responseType === void 0 ? rules.isResponseTypeRequired : responseType !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be code.' });
    }
    const scope = rules.checkScope(params.scope);
    if (!scope.ok) return back({ error: 'invalid_scope', error_description: scope.description });
    let codeChallenge = null;
    if (rules.pkce === 'optional' && params.code_challenge !== void 0) {
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
      expiresAt: ctx.now() + rules.codeLifetimeSeconds * 1e3,
      isUsed: false,
    });
    return back({ code });
  };
}
function decisionOf(isPost, params) {
  if (isPost) return params.decision === 'approve' ? 'approve' : 'deny';
  if (params.auto_approve === '1') return 'approve';
  return params.auto_deny === '1' ? 'deny' : 'ask';
}
async function formParams(c) {
  const body = await c.req.parseBody().catch(() => ({}));
  const params = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}
function redirectWith(c, redirectUri, values, state) {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  if (state !== void 0) url.searchParams.set('state', state);
  return c.redirect(url.toString(), 302);
}
function consentPage(c, providerName, clientId, accountName, params) {
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
function errorPage(c, error, description) {
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

// emulators/shared/random.ts
import { randomBytes } from 'node:crypto';
function randomBase64Url(bytes = 32) {
  return randomBytes(bytes).toString('base64url');
}
function randomHex(bytes = 32) {
  return randomBytes(bytes).toString('hex');
}
function randomBase64(bytes = 32) {
  return randomBytes(bytes).toString('base64');
}

// emulators/front/oauth.ts
var FRONT_AUTHORIZE_PATH = '/oauth/authorize';
var FRONT_TOKEN_PATH = '/oauth/token';
var FRONT_REVOKE_PATH = '/oauth/revoke';
var CODE_LIFETIME_SECONDS = 600;
var REFRESH_LIFETIME_SECONDS = 183 * 24 * 3600;
var REFRESH_ROTATION_WINDOW_SECONDS = 24 * 3600;
function frontAuthorizeRules(ctx) {
  return {
    providerName: 'Front',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // "No scope param": OAuth tokens get the Shared resources scope. Any scope is refused so a client bug shows.
    checkScope: (scope) =>
      scope === void 0
        ? { ok: true, granted: '' }
        : { ok: false, description: 'Front takes no scope parameter; OAuth apps get shared resources.' },
    // Not in the classic docs; Front's newer AS metadata advertises S256, so it is accepted when sent.
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
    mintCode: () => randomBase64Url(24),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}
function mountFrontOAuth(app, ctx) {
  const jwtSecret = randomBase64Url();
  const mintAccessToken = async (principal, expiresAt) =>
    sign(
      {
        iss: 'front-emulator',
        sub: principal.account.id,
        jti: randomBase64Url(16),
        exp: epochSeconds(expiresAt),
      },
      jwtSecret,
    );
  app.on(['GET', 'POST'], FRONT_AUTHORIZE_PATH, authorizeHandler(ctx, frontAuthorizeRules(ctx)));
  app.post(FRONT_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const client = basicClient(c, ctx);
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication must use HTTP Basic.');
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;
    const accessExpiresAt = ctx.now() + ctx.knobs.accessTokenLifetimeSeconds * 1e3;
    const codeGrant = CodeGrantSchema.safeParse(params);
    if (codeGrant.success) {
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      const principal = oauthPrincipal(ctx, redeemed.record);
      const refreshToken = randomBase64Url();
      ctx.store.addRefresh(refreshToken, principal, ctx.now() + REFRESH_LIFETIME_SECONDS * 1e3);
      const accessToken = await mintAccessToken(principal, accessExpiresAt);
      ctx.store.addAccess(accessToken, principal, accessExpiresAt, refreshToken);
      return tokenResponse(c, accessToken, refreshToken, accessExpiresAt);
    }
    const refreshGrant = RefreshGrantSchema.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) {
        return oauthError(c, 400, 'invalid_grant', 'The refresh token is invalid or revoked.');
      }
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, null);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      const { principal, expiresAt } = redeemed.record;
      let refreshToken = redeemed.record.token;
      if (expiresAt !== null && expiresAt - ctx.now() <= REFRESH_ROTATION_WINDOW_SECONDS * 1e3) {
        ctx.store.deleteRefresh(refreshToken);
        refreshToken = randomBase64Url();
        ctx.store.addRefresh(refreshToken, principal, ctx.now() + REFRESH_LIFETIME_SECONDS * 1e3);
      }
      const accessToken = await mintAccessToken(principal, accessExpiresAt);
      ctx.store.addAccess(accessToken, principal, accessExpiresAt, refreshToken);
      return tokenResponse(c, accessToken, refreshToken, accessExpiresAt);
    }
    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });
  app.post(FRONT_REVOKE_PATH, async (c) => {
    ctx.stats.revocations += 1;
    const client = basicClient(c, ctx);
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication must use HTTP Basic.');
    const params = await readParams(c, ['form', 'json']);
    const token = params?.token;
    if (token === void 0 || token === '') return oauthError(c, 400, 'invalid_request', 'Missing token.');
    const found = ctx.store.findAccess(token, null);
    const refresh = ctx.store.findRefresh(token, null);
    const principal = found.ok ? found.record.principal : refresh.ok ? refresh.record.principal : null;
    if (principal?.clientId === client.clientId) ctx.store.revokeGrant(principal.grantId);
    return c.body(null, 200);
  });
}
function basicClient(c, ctx) {
  const credentials = basicCredentials(c);
  return credentials ? authenticateClient(ctx, credentials.username, credentials.password) : null;
}
function tokenResponse(c, accessToken, refreshToken, expiresAt) {
  noStore(c);
  return c.json({
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_at: epochSeconds(expiresAt),
    token_type: 'Bearer',
  });
}

// emulators/front/index.ts
var frontProvider = {
  id: 'front',
  defaultAccount: { id: 'cmp_emu1', name: 'Sandbox Front company' },
  // The access token "will expire after an hour": https://dev.frontapp.com/docs/oauth
  defaultAccessTokenLifetimeSeconds: 3600,
  // Partner OAuth integrations get their own 120 requests per minute per company (API tokens share the plan's
  // 50/100/200 rpm): https://dev.frontapp.com/docs/rate-limiting
  defaultRateLimit: { limit: 120, windowMs: 6e4 },
  unavailable: (c) => frontError(c, 503, 'Service Unavailable', 'The service is temporarily unavailable.'),
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    mountFrontOAuth(app, ctx);
    mountFrontIdentity(app, ctx);
    mountFrontData(app, ctx);
    mountFrontAnalytics(app, ctx);
  },
};

// emulators/intercom/errors.ts
import { randomUUID } from 'node:crypto';
function intercomError(c, status, code, message) {
  return c.json({ type: 'error.list', request_id: randomUUID(), errors: [{ code, message }] }, status);
}

// emulators/intercom/identity.ts
var INTERCOM_ME_PATH = '/me';
var INTERCOM_VERSIONS = /* @__PURE__ */ new Set([
  ...['1.0', '1.1', '1.2', '1.3', '1.4'],
  ...Array.from({ length: 17 }, (_, minor) => `2.${minor}`),
  'Preview',
  'Unstable',
]);
var APP_CREATED_AT = 17e8;
function authenticateIntercom(c, ctx) {
  const token = bearerToken(c);
  const found = token === null ? null : ctx.store.findAccess(token, null);
  if (found?.ok) return found;
  return { ok: false, response: intercomError(c, 401, 'unauthorized', 'Access Token Invalid') };
}
function intercomVersionCheck() {
  return async (c, next) => {
    const version = c.req.header('intercom-version');
    if (version !== void 0 && !INTERCOM_VERSIONS.has(version)) {
      return intercomError(c, 400, 'intercom_version_invalid', 'The requested version could not be found');
    }
    await next();
    return void 0;
  };
}
function mountIntercomIdentity(app, ctx) {
  app.get(INTERCOM_ME_PATH, (c) => {
    ctx.stats.identityRequests += 1;
    const found = authenticateIntercom(c, ctx);
    if (!found.ok) return found.response;
    const account = found.record.principal.account;
    return c.json({
      type: 'admin',
      id: '1000001',
      email: 'admin@example.com',
      name: 'Sandbox Admin',
      email_verified: true,
      app: {
        type: 'app',
        id_code: account.id,
        name: account.name,
        created_at: APP_CREATED_AT,
        secure: false,
        identity_verification: false,
        timezone: 'Europe/London',
        region: account.region ?? 'US',
      },
      avatar: { type: 'avatar', image_url: null },
      has_inbox_seat: true,
    });
  });
}

// emulators/intercom/data.ts
var INTERCOM_SEARCH_PATH = '/conversations/search';
var INTERCOM_ADMINS_PATH = '/admins';
var DEFAULT_PER_PAGE = 20;
var MAX_PER_PAGE = 150;
var MAX_NESTING = 2;
var MAX_GROUP_SIZE = 15;
function intercomAdminId(agentId) {
  const digits = /(\d+)$/.exec(agentId)?.[1];
  if (digits === void 0) throw new Error(`intercom emulator: agent id ${agentId} has no number`);
  return String(9912e5 + Number(digits));
}
function intercomConversationId(conversationId2) {
  const digits = /(\d+)$/.exec(conversationId2)?.[1];
  if (digits === void 0)
    throw new Error(`intercom emulator: conversation id ${conversationId2} has no number`);
  return String(Number(digits));
}
function servedConversations(dataset) {
  return dataset.conversations.filter((c) => !c.spam);
}
var sec = (ms) => (ms === null ? null : epochSeconds(ms));
function hashOf(id) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}
function lastAdminReplyAt(c, now) {
  if (c.firstAgentReplyAt === null || c.agentReplies === 0) return null;
  if (c.agentReplies === 1) return c.firstAgentReplyAt;
  const candidates = [c.closedAt, c.updatedAt].filter(
    (t) => t !== null && t > c.firstAgentReplyAt && t <= now,
  );
  return candidates[0] ?? c.firstAgentReplyAt + 1e3;
}
function ratingRequestedAt(c, ratedAt) {
  if (c.closedAt !== null && c.closedAt <= ratedAt && c.closedAt >= c.createdAt) return c.closedAt;
  return Math.max(c.createdAt, ratedAt - 6e4);
}
function derive(c, now) {
  const h = hashOf(c.id);
  const aiParticipated = c.aiResolved || h % 5 === 0;
  const resolutionState = c.aiResolved
    ? h % 2 === 0
      ? 'confirmed_resolution'
      : 'assumed_resolution'
    : aiParticipated
      ? c.agentReplies > 0
        ? 'escalated'
        : null
      : null;
  return {
    conversation: c,
    lastAdminReplyAt: lastAdminReplyAt(c, now),
    ratingRequestedAt: c.rating ? ratingRequestedAt(c, c.rating.ratedAt) : null,
    aiParticipated,
    resolutionState,
  };
}
var FIELDS = {
  id: { kind: 'string', get: (d) => intercomConversationId(d.conversation.id) },
  created_at: { kind: 'date', get: (d) => sec(d.conversation.createdAt) },
  updated_at: { kind: 'date', get: (d) => sec(d.conversation.updatedAt) },
  state: { kind: 'string', get: (d) => d.conversation.status },
  open: { kind: 'boolean', get: (d) => d.conversation.status !== 'closed' },
  admin_assignee_id: {
    kind: 'integer',
    get: (d) => (d.conversation.assigneeId === null ? 0 : Number(intercomAdminId(d.conversation.assigneeId))),
  },
  'statistics.first_admin_reply_at': { kind: 'date', get: (d) => sec(d.conversation.firstAgentReplyAt) },
  'statistics.last_admin_reply_at': { kind: 'date', get: (d) => sec(d.lastAdminReplyAt) },
  'statistics.last_close_at': { kind: 'date', get: (d) => sec(d.conversation.closedAt) },
  'statistics.count_reopens': { kind: 'integer', get: (d) => d.conversation.reopens },
  'conversation_rating.score': { kind: 'integer', get: (d) => d.conversation.rating?.score ?? null },
  'conversation_rating.replied_at': { kind: 'date', get: (d) => sec(d.conversation.rating?.ratedAt ?? null) },
  'conversation_rating.requested_at': { kind: 'date', get: (d) => sec(d.ratingRequestedAt) },
  ai_agent_participated: { kind: 'boolean', get: (d) => d.aiParticipated },
  'ai_agent.resolution_state': { kind: 'string', get: (d) => d.resolutionState },
};
var OPERATORS = {
  date: /* @__PURE__ */ new Set(['=', '<', '>']),
  integer: /* @__PURE__ */ new Set(['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>=']),
  string: /* @__PURE__ */ new Set(['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$']),
  boolean: /* @__PURE__ */ new Set(['=', '!=', 'IN', 'NIN']),
};
var QueryError = class extends Error {};
function coerce(kind, raw) {
  if (kind === 'date' || kind === 'integer') {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw new QueryError(`${String(raw)} is not an integer`);
    return n;
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new QueryError(`${String(raw)} is not a boolean`);
  }
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  throw new QueryError(`${String(raw)} is not a string`);
}
function compileFilter(f) {
  const { field, operator, value } = f;
  if (typeof field !== 'string' || typeof operator !== 'string')
    throw new QueryError('filter needs field and operator');
  const spec = FIELDS[field];
  if (!spec) throw new QueryError(`${field} is not a searchable field`);
  if (!OPERATORS[spec.kind].has(operator))
    throw new QueryError(`operator ${operator} is not valid for ${field}`);
  if (operator === 'IN' || operator === 'NIN') {
    if (!Array.isArray(value)) throw new QueryError(`${operator} needs an array value`);
    const set = new Set(value.map((v2) => coerce(spec.kind, v2)));
    return operator === 'IN' ? (d) => set.has(spec.get(d)) : (d) => !set.has(spec.get(d));
  }
  const v = coerce(spec.kind, value);
  const get = spec.get;
  const num = (d) => {
    const x = get(d);
    return typeof x === 'number' ? x : null;
  };
  const str = (d) => {
    const x = get(d);
    return typeof x === 'string' ? x : null;
  };
  switch (operator) {
    case '=':
      return (d) => get(d) === v;
    case '!=':
      return (d) => get(d) !== v;
    // The table reads "Greater (or equal) than"; the emulator compares strictly (as Nango and Airbyte rely on),
    // so clients must not depend on either reading at a boundary second.
    case '>':
      return (d) => (num(d) ?? -Infinity) > v;
    case '<':
      return (d) => {
        const x = num(d);
        return x !== null && x < v;
      };
    case '>=':
      return (d) => (num(d) ?? -Infinity) >= v;
    case '<=':
      return (d) => {
        const x = num(d);
        return x !== null && x <= v;
      };
    case '~':
      return (d) => str(d)?.includes(v) ?? false;
    case '!~':
      return (d) => !(str(d)?.includes(v) ?? false);
    case '^':
      return (d) => str(d)?.startsWith(v) ?? false;
    default:
      return (d) => str(d)?.endsWith(v) ?? false;
  }
}
function compileQuery(q, depth = 0) {
  if (typeof q !== 'object' || q === null || Array.isArray(q))
    throw new QueryError('query must be an object');
  const node = q;
  if (node.operator === 'AND' || node.operator === 'OR') {
    if (depth >= MAX_NESTING) throw new QueryError(`more than ${MAX_NESTING} levels of nested filters`);
    if (!Array.isArray(node.value) || node.value.length === 0) throw new QueryError('AND/OR needs filters');
    if (node.value.length > MAX_GROUP_SIZE)
      throw new QueryError(`more than ${MAX_GROUP_SIZE} filters in a group`);
    const parts = node.value.map((v) => compileQuery(v, depth + 1));
    return node.operator === 'AND' ? (d) => parts.every((p) => p(d)) : (d) => parts.some((p) => p(d));
  }
  return compileFilter(node);
}
function encodeCursor(offset, queryKey) {
  return Buffer.from(JSON.stringify([offset, hashOf(queryKey)])).toString('base64');
}
function decodeCursor(cursor, queryKey) {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString());
    if (Array.isArray(parsed) && Number.isInteger(parsed[0]) && parsed[1] === hashOf(queryKey)) {
      return parsed[0];
    }
  } catch {
    return null;
  }
  return null;
}
function toListItem(d, now) {
  const c = d.conversation;
  const adminId = c.assigneeId === null ? null : intercomAdminId(c.assigneeId);
  const id = intercomConversationId(c.id);
  const contactId = `6762f14a${id.padStart(16, '0')}`;
  return {
    type: 'conversation',
    id,
    title: null,
    created_at: epochSeconds(c.createdAt),
    updated_at: epochSeconds(c.updatedAt),
    waiting_since: c.status !== 'closed' && c.firstAgentReplyAt === null ? epochSeconds(c.createdAt) : null,
    // Snoozed conversations wake up later; the dataset does not say when, so: a day after `now` **[emulator]**.
    snoozed_until: c.status === 'snoozed' ? epochSeconds(now) + 86400 : null,
    open: c.status !== 'closed',
    state: c.status,
    read: true,
    priority: 'none',
    // "If it's not assigned to an admin it will return 0" (spec 2.16, conversation_list_item).
    admin_assignee_id: adminId === null ? 0 : Number(adminId),
    team_assignee_id: 0,
    tags: { type: 'tag.list', tags: [] },
    conversation_rating:
      c.rating === null
        ? null
        : {
            rating: c.rating.score,
            remark: '',
            created_at: sec(d.ratingRequestedAt),
            updated_at: epochSeconds(c.rating.ratedAt),
            contact: { type: 'contact', id: contactId, external_id: null },
            teammate: adminId === null ? null : { type: 'admin', id: adminId },
          },
    source: {
      type: 'conversation',
      id: `40${id}`,
      delivered_as: 'customer_initiated',
      subject: '',
      body: '',
      author: { type: 'user', id: contactId, name: null, email: null },
      attachments: [],
      url: null,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contactId, external_id: null }] },
    teammates: {
      type: 'admin.list',
      teammates: adminId !== null && c.agentReplies > 0 ? [{ type: 'admin', id: adminId }] : [],
    },
    custom_attributes: {},
    first_contact_reply: { created_at: epochSeconds(c.createdAt), type: 'conversation', url: null },
    sla_applied: null,
    statistics: {
      type: 'conversation_statistics',
      first_contact_reply_at: epochSeconds(c.createdAt),
      first_admin_reply_at: sec(c.firstAgentReplyAt),
      last_admin_reply_at: sec(d.lastAdminReplyAt),
      last_close_at: sec(c.closedAt),
      last_closed_by_id: c.closedAt !== null && !c.aiResolved ? adminId : null,
      count_reopens: c.reopens,
      count_assignments: adminId === null ? 0 : 1,
      // Opening message + admin replies + one part per close and reopen **[emulator]**.
      count_conversation_parts: 1 + c.agentReplies + (c.closedAt === null ? 0 : 1) + 2 * c.reopens,
    },
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: d.aiParticipated,
    ai_agent: d.aiParticipated
      ? {
          source_type: 'workflow',
          source_title: 'Fin',
          last_answer_type: d.resolutionState === null ? null : 'ai_answer',
          resolution_state: d.resolutionState,
          rating: null,
          rating_remark: null,
          created_at: null,
          updated_at: null,
          content_sources: { type: 'content_source.list', total_count: 0, content_sources: [] },
        }
      : null,
  };
}
function adminOf(agent) {
  return {
    type: 'admin',
    id: intercomAdminId(agent.id),
    name: agent.name,
    email: agent.email,
    job_title: null,
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: [],
  };
}
function gate(c, ctx) {
  const found = authenticateIntercom(c, ctx);
  if (!found.ok) return found.response;
  const decision = takeRequest(ctx);
  if (Number.isFinite(decision.limit)) {
    c.header('X-RateLimit-Limit', String(decision.limit));
    c.header('X-RateLimit-Remaining', String(decision.remaining));
    c.header('X-RateLimit-Reset', String(Math.ceil(decision.resetAt / 1e3)));
  }
  if (!decision.allowed) {
    const windowSeconds = Math.round((ctx.knobs.rateLimit?.windowMs ?? 0) / 1e3);
    return intercomError(
      c,
      429,
      'rate_limit_exceeded',
      `Exceeded rate limit of ${decision.limit} in ${windowSeconds}_seconds`,
    );
  }
  if (ctx.knobs.failDataNext > 0) {
    ctx.knobs.failDataNext -= 1;
    return intercomError(c, 500, 'server_error', 'Server Error');
  }
  return null;
}
function mountIntercomData(app, ctx) {
  let derived = null;
  const all = () => (derived ??= servedConversations(ctx.dataset).map((c) => derive(c, ctx.dataset.now)));
  const matchCache = /* @__PURE__ */ new Map();
  const matching = (queryKey, predicate) => {
    let hit = matchCache.get(queryKey);
    if (!hit) {
      if (matchCache.size >= 16) matchCache.clear();
      hit = all().filter(predicate);
      matchCache.set(queryKey, hit);
    }
    return hit;
  };
  app.get(INTERCOM_ADMINS_PATH, (c) => {
    const blocked = gate(c, ctx);
    if (blocked) return blocked;
    return c.json({ type: 'admin.list', admins: ctx.dataset.agents.map(adminOf) });
  });
  app.post(INTERCOM_SEARCH_PATH, async (c) => {
    const blocked = gate(c, ctx);
    if (blocked) return blocked;
    const body = await c.req.json().catch(() => void 0);
    if (typeof body !== 'object' || body === null || !('query' in body)) {
      return intercomError(c, 400, 'parameter_not_found', 'query parameter is required');
    }
    const { query, pagination } = body;
    let predicate;
    try {
      predicate = compileQuery(query);
    } catch (e) {
      if (e instanceof QueryError) return intercomError(c, 400, 'parameter_invalid', e.message);
      throw e;
    }
    const paging = pagination ?? {};
    const perPage = paging.per_page ?? DEFAULT_PER_PAGE;
    if (typeof perPage !== 'number' || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
      return intercomError(c, 400, 'parameter_invalid', `per_page must be between 1 and ${MAX_PER_PAGE}`);
    }
    const queryKey = JSON.stringify(query);
    let offset = 0;
    if (paging.starting_after !== void 0 && paging.starting_after !== null) {
      const decoded =
        typeof paging.starting_after === 'string' ? decodeCursor(paging.starting_after, queryKey) : null;
      if (decoded === null) return intercomError(c, 400, 'parameter_invalid', 'starting_after is invalid');
      offset = decoded;
    }
    const matches = matching(queryKey, predicate);
    const page2 = matches.slice(offset, offset + perPage);
    const end = offset + page2.length;
    const totalPages = Math.ceil(matches.length / perPage);
    return c.json({
      type: 'conversation.list',
      conversations: page2.map((d) => toListItem(d, ctx.dataset.now)),
      total_count: matches.length,
      pages: {
        type: 'pages',
        page: Math.floor(offset / perPage) + 1,
        per_page: perPage,
        total_pages: totalPages,
        ...(end < matches.length
          ? { next: { per_page: perPage, starting_after: encodeCursor(end, queryKey) } }
          : {}),
      },
    });
  });
}

// emulators/intercom/oauth.ts
var INTERCOM_AUTHORIZE_PATH = '/oauth';
var INTERCOM_TOKEN_PATH = '/auth/eagle/token';
var INTERCOM_UNINSTALL_PATH = '/auth/uninstall';
var CODE_LIFETIME_SECONDS2 = 300;
function intercomAuthorizeRules(ctx) {
  return {
    providerName: 'Intercom',
    // redirect_uri is optional; the first registered URL is the default: https://intercom-developer-hub.readme.io/reference/using-oauth
    isRedirectUriRequired: false,
    // The documented authorize URL has no response_type: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
    isResponseTypeRequired: false,
    // No scope parameter; permissions are checkboxes on the app. The emulator rejects one so a client bug shows.
    checkScope: (scope) =>
      scope === void 0
        ? { ok: true, granted: '' }
        : { ok: false, description: 'Intercom takes no scope parameter; permissions are set on the app.' },
    // PKCE is not documented by Intercom, so challenge parameters are ignored as unknown parameters.
    pkce: 'ignored',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS2,
    // "The code may contain a = at the end which needs to be included": padded base64 exercises that.
    mintCode: () => randomBase64(16),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}
function mountIntercomOAuth(app, ctx) {
  app.on(['GET', 'POST'], INTERCOM_AUTHORIZE_PATH, authorizeHandler(ctx, intercomAuthorizeRules(ctx)));
  app.post(INTERCOM_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return intercomError(c, 400, 'parameter_invalid', 'Unsupported request body');
    const client = authenticateClient(ctx, params.client_id, params.client_secret);
    if (!client) return intercomError(c, 401, 'unauthorized', 'Client authentication failed');
    if (ctx.knobs.forceInvalidGrant) return unauthorizedCode(c);
    const redeemed = redeemCode(ctx, {
      code: params.code,
      clientId: client.clientId,
      realm: null,
      redirectUri: void 0,
      isRedirectUriChecked: false,
      codeVerifier: void 0,
      isPkceChecked: false,
    });
    if (!redeemed.ok) return unauthorizedCode(c);
    const token = mintIntercomToken();
    ctx.store.addAccess(token, oauthPrincipal(ctx, redeemed.record), null, null);
    noStore(c);
    return c.json({ token_type: 'Bearer', token, access_token: token });
  });
  app.post(INTERCOM_UNINSTALL_PATH, (c) => {
    ctx.stats.revocations += 1;
    const found = authenticateIntercom(c, ctx);
    if (!found.ok) return found.response;
    ctx.store.revokeGrant(found.record.principal.grantId);
    return c.json({});
  });
}
function unauthorizedCode(c) {
  noStore(c);
  return intercomError(c, 401, 'unauthorized', 'Unauthorized Code');
}
function mintIntercomToken() {
  const hex = randomHex(16);
  const id = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join(
    '_',
  );
  return Buffer.from(`tok:${id}:1:0`).toString('base64');
}

// emulators/intercom/index.ts
var intercomProvider = {
  id: 'intercom',
  defaultAccount: { id: 'emu0intercom', name: 'Sandbox Intercom workspace', region: 'US' },
  // Ignored: Intercom access tokens do not expire.
  defaultAccessTokenLifetimeSeconds: 0,
  // 10,000 calls per minute per app, "evenly distributed into 10 second windows" (1,666 per 10 s):
  // https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting
  defaultRateLimit: { limit: 1666, windowMs: 1e4 },
  unavailable: (c) => intercomError(c, 503, 'service_unavailable', 'Service Unavailable'),
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    app.use(INTERCOM_ME_PATH, intercomVersionCheck());
    app.use(INTERCOM_UNINSTALL_PATH, intercomVersionCheck());
    mountIntercomOAuth(app, ctx);
    mountIntercomIdentity(app, ctx);
    app.use(INTERCOM_SEARCH_PATH, intercomVersionCheck());
    app.use(INTERCOM_ADMINS_PATH, intercomVersionCheck());
    mountIntercomData(app, ctx);
  },
};

// emulators/plain/identity.ts
import { z as z3 } from 'zod';

// emulators/plain/graphql.ts
import { readFileSync } from 'node:fs';
import { buildSchema, execute, GraphQLError, Kind, OperationTypeNode, parse, validate } from 'graphql';
var SDL_URL = new URL('./plain-schema.graphql', import.meta.url);
var schema;
function plainSchema() {
  schema ??= buildSchema(readFileSync(SDL_URL, 'utf8'));
  return schema;
}
var PlainQueryError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  code;
};
function prepareQuery(query, operationName) {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) throw new PlainQueryError('GRAPHQL_PARSE_FAILED', error.message);
    throw error;
  }
  const errors = validate(plainSchema(), document);
  const first = errors[0];
  if (first) throw new PlainQueryError('GRAPHQL_VALIDATION_FAILED', first.message);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operationName === null
      ? operations.length === 1
        ? operations[0]
        : void 0
      : operations.find((o) => o.name?.value === operationName);
  if (!operation) {
    throw new PlainQueryError(
      'BAD_USER_INPUT',
      operationName === null
        ? 'Must provide operation name if query contains multiple operations.'
        : `Unknown operation named "${operationName}".`,
    );
  }
  if (operation.operation !== OperationTypeNode.QUERY) {
    throw new PlainQueryError(
      'GRAPHQL_VALIDATION_FAILED',
      `The emulator serves queries only, not ${operation.operation}.`,
    );
  }
  const rootFields = /* @__PURE__ */ new Set();
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const collect = (set) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) rootFields.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else {
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return { document, operation, rootFields };
}
function runQuery(prepared, variables, rootValue) {
  const result = execute({
    schema: plainSchema(),
    document: prepared.document,
    rootValue,
    variableValues: variables,
    operationName: prepared.operation.name?.value ?? null,
  });
  if (result instanceof Promise) throw new Error('Plain emulator resolvers must be synchronous');
  const first = result.errors?.[0];
  if (first) {
    const original = first.originalError;
    if (original instanceof PlainQueryError)
      return { ok: false, code: original.code, message: original.message };
    if (!result.data) return { ok: false, code: 'BAD_USER_INPUT', message: first.message };
    if (original) throw original;
    return { ok: false, code: 'INTERNAL_SERVER_ERROR', message: first.message };
  }
  return { ok: true, data: result.data ?? {} };
}

// emulators/plain/threads.ts
var DEFAULT_PAGE = 25;
var MAX_PAGE = 100;
function threadId(conversationId2) {
  return `th_01${conversationId2.toUpperCase()}`;
}
function userId(agentId) {
  return `u_01${agentId.toUpperCase()}`;
}
function dateTime(ms) {
  return { iso8601: new Date(ms).toISOString(), unixTimestamp: String(ms) };
}
var STATUS = { open: 'TODO', snoozed: 'SNOOZED', closed: 'DONE' };
function messageTimes(c) {
  const first = c.firstAgentReplyAt;
  if (first === null) return { firstOutbound: null, lastOutbound: null, lastInbound: c.createdAt };
  const end = Math.max(c.closedAt ?? c.updatedAt, first);
  const lastOutbound =
    c.agentReplies > 1 ? first + Math.max(1e3, Math.floor((end - first) / 2e3) * 1e3) : first;
  const lastInbound = c.reopens > 0 ? lastOutbound + 1e3 : c.createdAt;
  return { firstOutbound: first, lastOutbound, lastInbound };
}
function messageInfo(ms) {
  return ms === null ? null : { timestamp: dateTime(ms), messageSource: 'EMAIL' };
}
function sentiment(score) {
  return score >= 4 ? 'POSITIVE' : score === 3 ? 'NEUTRAL' : 'NEGATIVE';
}
function statusChangedAt(c) {
  if (c.status === 'closed') return c.closedAt ?? c.updatedAt;
  return c.reopens > 0 || c.status === 'snoozed' ? c.updatedAt : c.createdAt;
}
function userNode(agent, createdAt) {
  return {
    __typename: 'User',
    id: userId(agent.id),
    fullName: agent.name,
    publicName: agent.name.split(' ')[0] ?? agent.name,
    email: agent.email,
    avatarUrl: null,
    isDeleted: false,
    deletedAt: null,
    status: 'ONLINE',
    createdAt: dateTime(createdAt),
    updatedAt: dateTime(createdAt),
  };
}
function threadNode(c, agents, seq) {
  const times = messageTimes(c);
  const assignee = c.assigneeId === null ? void 0 : agents.get(c.assigneeId);
  return {
    id: threadId(c.id),
    ref: `T-${seq}`,
    title: `Conversation ${c.id}`,
    description: null,
    previewText: null,
    priority: 2,
    externalId: null,
    status: STATUS[c.status],
    statusChangedAt: dateTime(statusChangedAt(c)),
    statusDetail: null,
    assignedTo: assignee ? userNode(assignee, c.createdAt) : null,
    assignedAt: assignee ? dateTime(c.createdAt) : null,
    additionalAssignees: [],
    labels: [],
    firstInboundMessageInfo: messageInfo(c.createdAt),
    firstOutboundMessageInfo: messageInfo(times.firstOutbound),
    lastInboundMessageInfo: messageInfo(times.lastInbound),
    lastOutboundMessageInfo: messageInfo(times.lastOutbound),
    createdAt: dateTime(c.createdAt),
    updatedAt: dateTime(c.updatedAt),
    supportEmailAddresses: [],
    surveyResponse: c.rating
      ? {
          id: `sr_01${c.id.toUpperCase()}`,
          rating: c.rating.score,
          sentiment: sentiment(c.rating.score),
          surveyId: 'sv_01EMULATORSURVEY',
          comment: null,
          respondedAt: dateTime(c.rating.ratedAt),
          createdAt: dateTime(c.rating.ratedAt),
          updatedAt: dateTime(c.rating.ratedAt),
        }
      : null,
  };
}
function instant(value, path) {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw new PlainQueryError('BAD_USER_INPUT', `${path} must be an ISO 8601 datetime`);
  return ms;
}
function inRange(ms, filter, path) {
  if (ms === null) return false;
  if (filter.after != null && ms < instant(filter.after, `${path}.after`)) return false;
  if (filter.before != null && ms >= instant(filter.before, `${path}.before`)) return false;
  return true;
}
function compileFilter2(filter, path = 'filters') {
  const parts = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === void 0) continue;
    const at = `${path}.${key}`;
    switch (key) {
      case 'statuses': {
        const wanted = new Set(value);
        parts.push((c) => wanted.has(STATUS[c.status]));
        break;
      }
      case 'createdAt':
        parts.push((c) => inRange(c.createdAt, value, at));
        break;
      case 'updatedAt':
        parts.push((c) => inRange(c.updatedAt, value, at));
        break;
      case 'statusChangedAt':
        parts.push((c) => inRange(statusChangedAt(c), value, at));
        break;
      case 'isMarkedAsSpam':
        parts.push((c) => c.spam === value);
        break;
      case 'isAssigned':
        parts.push((c) => (c.assigneeId !== null) === value);
        break;
      case 'assignedToUser': {
        const wanted = new Set(value);
        parts.push((c) => c.assigneeId !== null && wanted.has(userId(c.assigneeId)));
        break;
      }
      case 'threadIds': {
        const wanted = new Set(value);
        parts.push((c) => wanted.has(threadId(c.id)));
        break;
      }
      case 'surveyResponse': {
        const f = value;
        if (f.surveyId != null) throw new PlainQueryError('BAD_USER_INPUT', `${at}.surveyId is not emulated`);
        parts.push((c) => {
          if (f.hasResponse != null && (c.rating !== null) !== f.hasResponse) return false;
          if (f.rating != null && c.rating?.score !== f.rating) return false;
          if (f.sentiment != null && (!c.rating || sentiment(c.rating.score) !== f.sentiment)) return false;
          if (f.responseAt != null)
            return inRange(c.rating?.ratedAt ?? null, f.responseAt, `${at}.responseAt`);
          return true;
        });
        break;
      }
      case 'and': {
        const all = value.map((f, i) => compileFilter2(f, `${at}[${i}]`));
        parts.push((c) => all.every((p) => p(c)));
        break;
      }
      case 'or': {
        const any = value.map((f, i) => compileFilter2(f, `${at}[${i}]`));
        parts.push((c) => any.some((p) => p(c)));
        break;
      }
      case 'not': {
        const inner = compileFilter2(value, at);
        parts.push((c) => !inner(c));
        break;
      }
      default:
        throw new PlainQueryError('BAD_USER_INPUT', `${at} is not supported by the emulator`);
    }
  }
  return (c) => parts.every((p) => p(c));
}
function pageBounds(args, total) {
  if (args.last != null || args.before != null) {
    throw new PlainQueryError('BAD_USER_INPUT', 'The emulator pages forward only (first/after).');
  }
  const size = args.first ?? DEFAULT_PAGE;
  if (size < 0 || size > MAX_PAGE) {
    throw new PlainQueryError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE}`);
  }
  let start = 0;
  if (args.after != null) {
    const match = /^cursor:(\d+)$/.exec(Buffer.from(args.after, 'base64url').toString('utf8'));
    if (!match?.[1]) throw new PlainQueryError('BAD_USER_INPUT', 'after is not a valid cursor');
    start = Number(match[1]) + 1;
  }
  return { start: Math.min(start, total), end: Math.min(start + size, total) };
}
var cursorAt = (index) => Buffer.from(`cursor:${index}`).toString('base64url');
function connection(items, args, toNode) {
  const { start, end } = pageBounds(args, items.length);
  const edges = items
    .slice(start, end)
    .map((item, i) => ({ cursor: cursorAt(start + i), node: toNode(item, start + i) }));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
      startCursor: edges.length > 0 ? cursorAt(start) : null,
      endCursor: edges.length > 0 ? cursorAt(end - 1) : null,
    },
  };
}
var SORT_KEYS = {
  CREATED_AT: (c) => c.createdAt,
  STATUS_CHANGED_AT: statusChangedAt,
};
var indexes = /* @__PURE__ */ new WeakMap();
function indexOf(dataset) {
  let index = indexes.get(dataset);
  if (!index) {
    index = {
      agents: new Map(dataset.agents.map((a) => [a.id, a])),
      seq: new Map(dataset.conversations.map((c, i) => [c.id, i + 1])),
      lists: /* @__PURE__ */ new Map(),
    };
    indexes.set(dataset, index);
  }
  return index;
}
function matchingThreads(dataset, index, args) {
  const cacheKey = JSON.stringify([args.filters ?? null, args.sortBy ?? null]);
  const cached = index.lists.get(cacheKey);
  if (cached) return cached;
  const field = args.sortBy?.field ?? 'CREATED_AT';
  const key = SORT_KEYS[field];
  if (!key)
    throw new PlainQueryError('BAD_USER_INPUT', `sortBy.field ${field} is not supported by the emulator`);
  const sign2 = (args.sortBy?.direction ?? 'DESC') === 'ASC' ? 1 : -1;
  const keep = compileFilter2(args.filters ?? {});
  const list = dataset.conversations
    .filter(keep)
    .sort((a, b) => sign2 * (key(a) - key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (index.lists.size > 32) index.lists.clear();
  index.lists.set(cacheKey, list);
  return list;
}
function dataRoot(dataset) {
  const index = indexOf(dataset);
  return {
    threads(args) {
      return connection(matchingThreads(dataset, index, args), args, (c) =>
        threadNode(c, index.agents, index.seq.get(c.id) ?? 0),
      );
    },
    users(args) {
      const { totalCount: _omitted, ...rest } = connection(dataset.agents, args, (a) =>
        userNode(a, dataset.now),
      );
      return rest;
    },
  };
}

// emulators/plain/identity.ts
var PLAIN_GRAPHQL_PATH = '/graphql/v1';
var API_KEY_PERMISSIONS = [
  'customer:read',
  'labelType:read',
  'metrics:read',
  'metricsAgent:read',
  'thread:read',
  'tier:read',
  'user:read',
];
var CREATED_AT_MS = 17e11;
var GraphQLRequestSchema = z3.object({
  query: z3.string(),
  variables: z3.record(z3.string(), z3.unknown()).nullish(),
  operationName: z3.string().nullish(),
});
function plainError(c, status, code, message) {
  return c.json({ errors: [{ message, extensions: { code } }] }, status);
}
var IDENTITY_FIELDS = /* @__PURE__ */ new Set([
  '__schema',
  '__type',
  '__typename',
  'myWorkspace',
  'workspace',
  'myPermissions',
  'myMachineUser',
  'myUser',
]);
function mountPlainGraphQL(app, ctx) {
  app.post(PLAIN_GRAPHQL_PATH, async (c) => {
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    const body = GraphQLRequestSchema.safeParse(await c.req.json().catch(() => null));
    let prepared = null;
    let failure = null;
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
function applyRateLimit(c, ctx) {
  const decision = takeRequest(ctx);
  if (!Number.isFinite(decision.limit)) return null;
  c.header('x-ratelimit-limit', String(decision.limit));
  c.header('x-ratelimit-remaining', String(decision.remaining));
  c.header('x-ratelimit-reset', new Date(decision.resetAt).toISOString());
  if (decision.allowed) return null;
  c.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1e3))));
  return plainError(c, 429, 'RATE_LIMITED', 'Too Many Requests - Rate limit exceeded');
}
function dateTime2(ms) {
  return { iso8601: new Date(ms).toISOString(), unixTimestamp: String(ms) };
}
function identityRoot(principal) {
  const { account } = principal;
  const workspace = {
    __typename: 'Workspace',
    id: account.id,
    name: account.name,
    publicName: account.name,
    isDemoWorkspace: false,
    domainName: null,
    domainNames: [],
    createdAt: dateTime2(CREATED_AT_MS),
    updatedAt: dateTime2(CREATED_AT_MS),
    logo: null,
    workOSOrganizationId: null,
    workOSHubOrganizationId: null,
  };
  const isApiKey = principal.kind === 'api_token';
  return {
    __typename: 'Query',
    myWorkspace: workspace,
    workspace: (args) => (args.workspaceId === account.id ? workspace : null),
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
          createdAt: dateTime2(CREATED_AT_MS),
          updatedAt: dateTime2(CREATED_AT_MS),
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
          createdAt: dateTime2(CREATED_AT_MS),
          updatedAt: dateTime2(CREATED_AT_MS),
        },
  };
}

// emulators/plain/oauth.ts
var PLAIN_AUTHORIZE_PATH = '/oauth/authorize';
var PLAIN_TOKEN_PATH = '/oauth/token';
var CODE_LIFETIME_SECONDS3 = 600;
var REFRESH_LIFETIME_SECONDS2 = 30 * 24 * 3600;
function plainAuthorizeRules(ctx) {
  return {
    providerName: 'Plain',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // Scopes are undocumented; the MCP server's default is `offline_access` (third-party registries).
    checkScope: (scope) => ({ ok: true, granted: scope ?? 'offline_access' }),
    // Client-side apps must use PKCE (S256); server-side apps with a secret may: https://www.plain.com/docs/graphql/oauth
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS3,
    mintCode: () => randomBase64Url(24),
    realmOf: () => null,
    accountFor: () => ctx.account,
  };
}
function mountPlainOAuth(app, ctx) {
  app.on(['GET', 'POST'], PLAIN_AUTHORIZE_PATH, authorizeHandler(ctx, plainAuthorizeRules(ctx)));
  app.post(PLAIN_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const params = await readParams(c, ['form', 'json']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;
    const client = plainClient(c, ctx, params);
    if (client === 'ambiguous') {
      return oauthError(
        c,
        400,
        'invalid_request',
        'Use either HTTP Basic or body client credentials, not both.',
      );
    }
    if (!client) return oauthError(c, 401, 'invalid_client', 'Client authentication failed.');
    const codeGrant = CodeGrantSchema.safeParse(params);
    if (codeGrant.success) {
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      return issuePair(c, ctx, oauthPrincipal(ctx, redeemed.record));
    }
    const refreshGrant = RefreshGrantSchema.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) {
        return oauthError(c, 400, 'invalid_grant', 'The refresh token is invalid or revoked.');
      }
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, null);
      if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', redeemed.description);
      ctx.store.deleteRefresh(redeemed.record.token);
      return issuePair(c, ctx, redeemed.record.principal);
    }
    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });
}
function plainClient(c, ctx, params) {
  const basic = basicCredentials(c);
  if (basic && params.client_secret !== void 0) return 'ambiguous';
  return basic
    ? authenticateClient(ctx, basic.username, basic.password)
    : authenticateClient(ctx, params.client_id, params.client_secret);
}
function issuePair(c, ctx, principal) {
  const now = ctx.now();
  const lifetime = ctx.knobs.accessTokenLifetimeSeconds;
  const refreshToken = randomBase64Url();
  ctx.store.addRefresh(refreshToken, principal, now + REFRESH_LIFETIME_SECONDS2 * 1e3);
  const accessToken = randomBase64Url();
  ctx.store.addAccess(accessToken, principal, now + lifetime * 1e3, refreshToken);
  noStore(c);
  return c.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: lifetime,
    refresh_token: refreshToken,
    scope: principal.scope,
  });
}

// emulators/plain/index.ts
var plainProvider = {
  id: 'plain',
  defaultAccount: { id: 'w_01EMULATORWORKSPACE0000000', name: 'Sandbox Plain workspace' },
  // Undocumented lifetime; one hour makes expiry reachable in tests and demos.
  defaultAccessTokenLifetimeSeconds: 3600,
  // API-key traffic: 450 requests/minute on Launch & Foundation, the lowest plan (Grow 600, Scale 1000):
  // https://plain.support.site/article/understanding-rate-limits-and-their-impact-on-api-usage-jwz2h8psnkd6tgbyo8acorre
  defaultRateLimit: { limit: 450, windowMs: 6e4 },
  unavailable: (c) => plainError(c, 503, 'INTERNAL_SERVER_ERROR', 'Service Unavailable'),
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    mountPlainOAuth(app, ctx);
    mountPlainGraphQL(app, ctx);
  },
};

// emulators/zendesk/errors.ts
var INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
var INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';
function zendeskInvalidGrant(c) {
  return oauthError(c, 400, 'invalid_grant', INVALID_GRANT);
}
function zendeskInvalidClient(c) {
  return oauthError(c, 401, 'invalid_client', INVALID_CLIENT);
}
function zendeskInvalidToken(c) {
  c.header('WWW-Authenticate', 'Bearer realm="Web", error="invalid_token"');
  return c.json(
    {
      error: 'invalid_token',
      error_description:
        'The access token provided is expired, revoked, malformed or invalid for other reasons.',
    },
    401,
  );
}
function zendeskBasicAuthFailed(c) {
  return c.json({ error: "Couldn't authenticate you" }, 401);
}
function zendeskNotFound(c) {
  return c.json({ error: 'RecordNotFound', description: 'Not found' }, 404);
}
function zendeskUnavailable(c) {
  return c.text('Service Unavailable', 503);
}

// emulators/zendesk/identity.ts
import { createHash as createHash2 } from 'node:crypto';
var ME_PATHS = ['/:subdomain/api/v2/users/me', '/:subdomain/api/v2/users/me.json'];
var CURRENT_TOKEN_PATHS = [
  '/:subdomain/api/v2/oauth/tokens/current',
  '/:subdomain/api/v2/oauth/tokens/current.json',
];
var TOKEN_BY_ID_PATH = '/:subdomain/api/v2/oauth/tokens/:ref{[0-9]+(?:\\.json)?}';
var ACCOUNT_CREATED_AT = '2024-01-02T03:04:05Z';
function authenticate(c, ctx, subdomain) {
  const header = c.req.header('authorization');
  if (header === void 0) return { kind: 'anonymous' };
  const token = bearerToken(c);
  if (token !== null) {
    const found = ctx.store.findAccess(token, subdomain);
    return found.ok
      ? { kind: 'token', record: found.record, email: `admin@${subdomain}.example.com` }
      : { kind: 'failed', response: zendeskInvalidToken(c) };
  }
  const basic = basicCredentials(c);
  const email = basic?.username.endsWith('/token') ? basic.username.slice(0, -'/token'.length) : null;
  if (basic && email) {
    const found = ctx.store.findAccess(basic.password, subdomain);
    if (
      found.ok &&
      found.record.principal.kind === 'api_token' &&
      (found.record.principal.email === null || isSameSecret(found.record.principal.email, email))
    ) {
      return { kind: 'token', record: found.record, email };
    }
  }
  return { kind: 'failed', response: zendeskBasicAuthFailed(c) };
}
function bearerOnly(c, ctx, subdomain) {
  if (bearerToken(c) === null) return { kind: 'failed', response: zendeskBasicAuthFailed(c) };
  return authenticate(c, ctx, subdomain);
}
function mountZendeskIdentity(app, ctx) {
  for (const path of ME_PATHS) {
    app.get(path, (c) => {
      ctx.stats.identityRequests += 1;
      const subdomain = subdomainOf(c);
      const auth = authenticate(c, ctx, subdomain);
      if (auth.kind === 'failed') return auth.response;
      if (auth.kind === 'anonymous') return c.json({ user: anonymousUser() });
      return c.json({ user: userJson(c, ctx, subdomain, auth.email) });
    });
  }
  for (const path of CURRENT_TOKEN_PATHS) {
    app.get(path, (c) => {
      const subdomain = subdomainOf(c);
      const auth = bearerOnly(c, ctx, subdomain);
      if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
      return c.json({ token: tokenJson(c, ctx, subdomain, auth.record) });
    });
    app.delete(path, (c) => {
      ctx.stats.revocations += 1;
      const subdomain = subdomainOf(c);
      const auth = bearerOnly(c, ctx, subdomain);
      if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
      ctx.store.revokeGrant(auth.record.principal.grantId);
      return c.body(null, 204);
    });
  }
  app.delete(TOKEN_BY_ID_PATH, (c) => {
    ctx.stats.revocations += 1;
    const subdomain = subdomainOf(c);
    const auth = bearerOnly(c, ctx, subdomain);
    if (auth.kind !== 'token') return auth.kind === 'failed' ? auth.response : zendeskBasicAuthFailed(c);
    const target = ctx.store.findAccessById(Number.parseInt(c.req.param('ref'), 10), subdomain);
    if (!target || target.principal.kind !== 'oauth') return zendeskNotFound(c);
    ctx.store.revokeGrant(target.principal.grantId);
    return c.body(null, 204);
  });
}
function subdomainOf(c) {
  return c.req.param('subdomain') ?? '';
}
function stableId(seed) {
  return Number.parseInt(createHash2('sha256').update(seed).digest('hex').slice(0, 10), 16);
}
function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function userJson(c, ctx, subdomain, email) {
  const id = stableId(`${subdomain}/${email}`);
  return {
    id,
    url: `${publicBase(c, ctx)}/${subdomain}/api/v2/users/${id}.json`,
    name: 'Sandbox Admin',
    email,
    created_at: ACCOUNT_CREATED_AT,
    updated_at: ACCOUNT_CREATED_AT,
    time_zone: 'London',
    iana_time_zone: 'Europe/London',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'admin',
    verified: true,
    external_id: null,
    tags: [],
    alias: '',
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: iso(ctx.now()),
    two_factor_auth_enabled: null,
    signature: '',
    details: '',
    notes: '',
    role_type: null,
    custom_role_id: null,
    moderator: true,
    ticket_restriction: null,
    only_private_comments: false,
    restricted_agent: false,
    suspended: false,
    default_group_id: null,
    report_csv: true,
    user_fields: {},
    authenticity_token: 'emulator-authenticity-token',
  };
}
function anonymousUser() {
  return {
    id: null,
    url: null,
    name: 'Anonymous user',
    email: 'invalid@example.com',
    role: 'end-user',
    verified: false,
  };
}
function tokenJson(c, ctx, subdomain, record) {
  const clientIndex = ctx.clients.findIndex((client) => client.clientId === record.principal.clientId);
  return {
    id: record.id,
    url: `${publicBase(c, ctx)}/${subdomain}/api/v2/oauth/tokens/${record.id}.json`,
    token: record.token.slice(0, 10),
    client_id: clientIndex + 1,
    user_id: stableId(`${subdomain}/admin@${subdomain}.example.com`),
    scopes: record.principal.scope.split(' ').filter(Boolean),
    created_at: iso(record.issuedAt),
    expires_at: record.expiresAt === null ? null : iso(record.expiresAt),
    used_at: record.lastUsedAt === null ? null : iso(record.lastUsedAt),
  };
}

// emulators/zendesk/data.ts
var INCREMENTAL_EXPORT_LIMIT = 10;
var INCREMENTAL_PAGE_SIZE = 1e3;
var CURSOR_PAGE_SIZE = 100;
var SEARCH_PAGE_SIZE = 100;
var SEARCH_RESULT_CAP = 1e3;
var CLOSE_AFTER_MS = 4 * 864e5;
var STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
function zendeskTicketId(conversationId2) {
  return Number.parseInt(conversationId2.replace(/\D/g, ''), 10);
}
function zendeskUserId(agentId) {
  return 1e5 + Number.parseInt(agentId.replace(/\D/g, ''), 10);
}
function zendeskStatus(conv, now) {
  if (conv.spam) return 'deleted';
  const odd = zendeskTicketId(conv.id) % 2 === 1;
  if (conv.status === 'open') {
    if (conv.firstAgentReplyAt === null) return 'new';
    return odd ? 'open' : 'pending';
  }
  if (conv.status === 'snoozed') return odd ? 'hold' : 'pending';
  return conv.closedAt !== null && now - conv.closedAt >= CLOSE_AFTER_MS ? 'closed' : 'solved';
}
function iso2(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function isoOrNull(ms) {
  return ms === null ? null : iso2(ms);
}
function subdomainOf2(c) {
  return c.req.param('subdomain') ?? '';
}
function encodeCursor2(value) {
  return Buffer.from(value).toString('base64url');
}
function decodeCursor2(value) {
  const decoded = Buffer.from(value, 'base64url').toString();
  return decoded === '' ? null : decoded;
}
function invalid(c, description) {
  return c.json({ error: 'InvalidPaginationParameter', description }, 400);
}
var incrementalWindows = /* @__PURE__ */ new WeakMap();
function takeIncremental(ctx) {
  const rl = ctx.knobs.rateLimit;
  if (!rl) return 0;
  const now = ctx.now();
  let w = incrementalWindows.get(ctx);
  if (!w || now >= w.start + rl.windowMs) {
    w = { start: now - (now % rl.windowMs), used: 0 };
    incrementalWindows.set(ctx, w);
  }
  if (w.used >= INCREMENTAL_EXPORT_LIMIT) return w.start + rl.windowMs - now;
  w.used++;
  return 0;
}
function rateHeaders(c, decision, now) {
  if (!Number.isFinite(decision.limit)) return;
  c.header('X-Rate-Limit', String(decision.limit));
  c.header('X-Rate-Limit-Remaining', String(decision.remaining));
  c.header('ratelimit-limit', String(decision.limit));
  c.header('ratelimit-remaining', String(decision.remaining));
  c.header('ratelimit-reset', String(Math.max(1, Math.ceil((decision.resetAt - now) / 1e3))));
}
function tooManyRequests(c, retryAfterMs) {
  c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1e3))));
  return c.json(
    { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
    429,
  );
}
function guarded2(ctx, handler, options = {}) {
  return (c) => {
    const auth = authenticate(c, ctx, subdomainOf2(c));
    if (auth.kind === 'failed') return auth.response;
    if (auth.kind === 'anonymous') return zendeskBasicAuthFailed(c);
    const decision = takeRequest(ctx);
    const now = ctx.now();
    if (!decision.allowed) return tooManyRequests(c, decision.retryAfterMs);
    if (options.incremental) {
      const wait = takeIncremental(ctx);
      if (wait > 0) {
        ctx.stats.rateLimited++;
        return tooManyRequests(c, wait);
      }
    }
    if (ctx.knobs.failDataNext > 0) {
      ctx.knobs.failDataNext -= 1;
      return zendeskUnavailable(c);
    }
    rateHeaders(c, decision, now);
    return handler(c);
  };
}
function paths(path) {
  return [`/:subdomain/api/v2/${path}`, `/:subdomain/api/v2/${path}.json`];
}
function ticketJson(c, ctx, conv) {
  const id = zendeskTicketId(conv.id);
  const rated = conv.rating !== null && !conv.spam;
  return {
    url: `${publicBase(c, ctx)}/${subdomainOf2(c)}/api/v2/tickets/${id}.json`,
    id,
    external_id: null,
    via: { channel: 'native_messaging', source: { from: {}, to: {}, rel: null } },
    created_at: iso2(conv.createdAt),
    updated_at: iso2(conv.updatedAt),
    generated_timestamp: epochSeconds(conv.updatedAt),
    type: null,
    subject: `Conversation ${conv.id}`,
    raw_subject: `Conversation ${conv.id}`,
    description: '',
    priority: null,
    status: zendeskStatus(conv, ctx.dataset.now),
    requester_id: 9e5 + id,
    submitter_id: 9e5 + id,
    assignee_id: conv.assigneeId === null ? null : zendeskUserId(conv.assigneeId),
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: [],
    custom_fields: [],
    satisfaction_rating:
      rated && conv.rating
        ? { id, score: conv.rating.score >= 4 ? 'good' : 'bad', comment: '' }
        : { score: 'unoffered' },
    brand_id: 1,
    allow_channelback: false,
    allow_attachments: true,
  };
}
function minutes(fromMs, toMs) {
  if (toMs === null) return { calendar: null, business: null };
  const value = Math.round((toMs - fromMs) / 6e4);
  return { calendar: value, business: value };
}
function metricSetJson(c, ctx, conv) {
  const id = zendeskTicketId(conv.id);
  const solvedAt = conv.status === 'closed' ? conv.closedAt : null;
  const reply = conv.firstAgentReplyAt;
  return {
    url: `${publicBase(c, ctx)}/${subdomainOf2(c)}/api/v2/ticket_metrics/${id}.json`,
    id,
    ticket_id: id,
    created_at: iso2(conv.createdAt),
    updated_at: iso2(conv.updatedAt),
    group_stations: 1,
    assignee_stations: conv.assigneeId === null ? 0 : 1,
    reopens: conv.reopens,
    replies: conv.agentReplies,
    assignee_updated_at: isoOrNull(reply),
    requester_updated_at: iso2(conv.createdAt),
    status_updated_at: iso2(conv.updatedAt),
    initially_assigned_at: conv.assigneeId === null ? null : iso2(conv.createdAt),
    assigned_at: conv.assigneeId === null ? null : iso2(conv.createdAt),
    solved_at: isoOrNull(solvedAt),
    latest_comment_added_at: iso2(reply ?? conv.createdAt),
    reply_time_in_minutes: minutes(conv.createdAt, reply),
    // "only available for Messaging tickets": every emulated ticket comes in over messaging.
    reply_time_in_seconds: { calendar: reply === null ? null : (reply - conv.createdAt) / 1e3 },
    first_resolution_time_in_minutes: minutes(conv.createdAt, solvedAt),
    full_resolution_time_in_minutes: minutes(conv.createdAt, solvedAt),
    agent_wait_time_in_minutes: minutes(conv.createdAt, reply),
    requester_wait_time_in_minutes: minutes(conv.createdAt, reply),
    on_hold_time_in_minutes: { calendar: 0, business: 0 },
  };
}
function compare(op, a, b) {
  switch (op) {
    case ':':
      return a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}
function parseDate(value) {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
function parseQuery(query) {
  const predicates = [];
  let isTicketSearch = false;
  for (const token of query.trim().split(/\s+/)) {
    if (token === 'type:ticket') {
      isTicketSearch = true;
      continue;
    }
    const match = /^(status|created|updated)(<=|>=|:|<|>)(.+)$/.exec(token);
    if (!match) return `unsupported search term: ${token}`;
    const [, field, op = ':', value = ''] = match;
    if (field === 'status') {
      const rank = STATUS_ORDER.indexOf(value);
      if (rank < 0) return `unknown status: ${value}`;
      predicates.push(
        (_conv, status) => status !== 'deleted' && compare(op, STATUS_ORDER.indexOf(status), rank),
      );
    } else {
      const at = parseDate(value);
      if (at === null) return `invalid date: ${value}`;
      const pick = (conv) => (field === 'created' ? conv.createdAt : conv.updatedAt);
      predicates.push((conv) => compare(op, pick(conv), at));
    }
  }
  if (!isTicketSearch) return 'the emulator searches tickets only: add type:ticket';
  return predicates;
}
function searchTickets(ctx, query) {
  const predicates = parseQuery(query);
  if (typeof predicates === 'string') return predicates;
  const now = ctx.dataset.now;
  return ctx.dataset.conversations.filter((conv) => {
    if (conv.spam) return false;
    const status = zendeskStatus(conv, now);
    return predicates.every((p) => p(conv, status));
  });
}
function searchError(c, description) {
  return c.json({ error: 'invalid', description }, 400);
}
function mountSearch(app, ctx) {
  for (const path of paths('search/count')) {
    app.get(
      path,
      guarded2(ctx, (c) => {
        const found = searchTickets(ctx, c.req.query('query') ?? '');
        if (typeof found === 'string') return searchError(c, found);
        return c.json({ count: found.length });
      }),
    );
  }
  for (const path of paths('search')) {
    app.get(
      path,
      guarded2(ctx, (c) => {
        const query = c.req.query('query') ?? '';
        const found = searchTickets(ctx, query);
        if (typeof found === 'string') return searchError(c, found);
        const perPage = Number(c.req.query('per_page') ?? SEARCH_PAGE_SIZE);
        const page2 = Number(c.req.query('page') ?? 1);
        if (!Number.isInteger(perPage) || perPage < 1 || perPage > SEARCH_PAGE_SIZE)
          return invalid(c, `per_page must be between 1 and ${SEARCH_PAGE_SIZE}`);
        if (!Number.isInteger(page2) || page2 < 1) return invalid(c, 'page must be a positive integer');
        if (page2 * perPage > SEARCH_RESULT_CAP)
          return c.json(
            {
              error: 'invalid',
              description: 'Requested response size was greater than Search Response Limits',
            },
            422,
          );
        const sortBy = c.req.query('sort_by') ?? 'created_at';
        if (sortBy !== 'created_at' && sortBy !== 'updated_at')
          return searchError(c, `the emulator sorts by created_at or updated_at, not ${sortBy}`);
        const sign2 = c.req.query('sort_order') === 'asc' ? 1 : -1;
        const key = (conv) => (sortBy === 'created_at' ? conv.createdAt : conv.updatedAt);
        const sorted = [...found].sort(
          (a, b) => sign2 * (key(a) - key(b) || zendeskTicketId(a.id) - zendeskTicketId(b.id)),
        );
        const results = sorted
          .slice((page2 - 1) * perPage, page2 * perPage)
          .map((conv) => ({ ...ticketJson(c, ctx, conv), result_type: 'ticket' }));
        const pageUrl = (n) => {
          const url = new URL(c.req.url);
          url.searchParams.set('page', String(n));
          return url.toString();
        };
        return c.json({
          results,
          facets: null,
          next_page: page2 * perPage < sorted.length ? pageUrl(page2 + 1) : null,
          previous_page: page2 > 1 ? pageUrl(page2 - 1) : null,
          count: sorted.length,
        });
      }),
    );
  }
}
function mountIncremental(app, ctx) {
  for (const path of paths('incremental/tickets/cursor')) {
    app.get(
      path,
      guarded2(
        ctx,
        (c) => {
          const perPage = Number(c.req.query('per_page') ?? INCREMENTAL_PAGE_SIZE);
          if (!Number.isInteger(perPage) || perPage < 1 || perPage > INCREMENTAL_PAGE_SIZE)
            return invalid(c, `per_page must be between 1 and ${INCREMENTAL_PAGE_SIZE}`);
          const cursor = c.req.query('cursor');
          const startTime = c.req.query('start_time');
          let after;
          if (cursor !== void 0) {
            const parts = (decodeCursor2(cursor) ?? '').split('|').map(Number);
            if (parts.length !== 2 || !parts.every(Number.isInteger)) return invalid(c, 'invalid cursor');
            after = [parts[0] ?? 0, parts[1] ?? 0];
          } else if (startTime !== void 0 && /^\d+$/.test(startTime)) {
            after = [Number(startTime), -1];
          } else {
            return invalid(c, 'start_time is required for the first request');
          }
          const includes = (c.req.query('include') ?? '').split(',');
          const ordered = ctx.dataset.conversations
            .map((conv) => ({ conv, gen: epochSeconds(conv.updatedAt), id: zendeskTicketId(conv.id) }))
            .filter((t) => t.gen > after[0] || (t.gen === after[0] && t.id > after[1]))
            .sort((a, b) => a.gen - b.gen || a.id - b.id);
          const page2 = ordered.slice(0, perPage);
          const last = page2.at(-1);
          const afterCursor = encodeCursor2(last ? `${last.gen}|${last.id}` : `${after[0]}|${after[1]}`);
          const base = `${publicBase(c, ctx)}/${subdomainOf2(c)}/api/v2/incremental/tickets/cursor.json`;
          const body = {
            tickets: page2.map((t) => ticketJson(c, ctx, t.conv)),
            after_cursor: afterCursor,
            after_url: `${base}?cursor=${afterCursor}`,
            before_cursor: null,
            before_url: null,
            end_of_stream: ordered.length <= perPage,
          };
          if (includes.includes('metric_sets'))
            body.metric_sets = page2.map((t) => metricSetJson(c, ctx, t.conv));
          return c.json(body);
        },
        { incremental: true },
      ),
    );
  }
}
var TIME_BASED_PAGE_SIZE = 1e3;
function metricEvents(dataset) {
  const events = [];
  for (const conv of dataset.conversations) {
    if (conv.spam) continue;
    const ticketId = zendeskTicketId(conv.id);
    events.push({ id: ticketId * 10 + 1, ticketId, at: conv.createdAt, type: 'activate' });
    if (conv.firstAgentReplyAt !== null)
      events.push({ id: ticketId * 10 + 2, ticketId, at: conv.firstAgentReplyAt, type: 'fulfill' });
  }
  return events.sort((a, b) => a.at - b.at || a.id - b.id);
}
function mountTicketMetricEvents(app, ctx) {
  for (const path of paths('incremental/ticket_metric_events')) {
    app.get(
      path,
      guarded2(
        ctx,
        (c) => {
          const startTime = c.req.query('start_time');
          if (startTime === void 0 || !/^\d+$/.test(startTime))
            return invalid(c, 'start_time is required (Unix epoch seconds)');
          const from = Number(startTime) * 1e3;
          const page2 = metricEvents(ctx.dataset)
            .filter((e) => e.at >= from)
            .slice(0, TIME_BASED_PAGE_SIZE);
          const last = page2.at(-1);
          const endTime = last ? epochSeconds(last.at) : Number(startTime);
          const next = new URL(c.req.url);
          next.searchParams.set('start_time', String(endTime));
          return c.json({
            ticket_metric_events: page2.map((e) => ({
              id: e.id,
              ticket_id: e.ticketId,
              metric: 'reply_time',
              instance_id: 1,
              type: e.type,
              time: iso2(e.at),
            })),
            next_page: next.toString(),
            count: page2.length,
            end_time: endTime,
          });
        },
        { incremental: true },
      ),
    );
  }
}
function cursorPage(c, items, key, render) {
  const size = Number(c.req.query('page[size]') ?? CURSOR_PAGE_SIZE);
  if (!Number.isInteger(size) || size < 1 || size > CURSOR_PAGE_SIZE)
    return invalid(c, `page[size] must be between 1 and ${CURSOR_PAGE_SIZE}`);
  const afterParam = c.req.query('page[after]');
  let start = 0;
  if (afterParam !== void 0) {
    const decoded = decodeCursor2(afterParam);
    if (decoded === null || !/^\d+$/.test(decoded)) return invalid(c, 'invalid page[after]');
    start = Number(decoded);
  }
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  const hasMore = end < items.length;
  const next = new URL(c.req.url);
  next.searchParams.set('page[after]', encodeCursor2(String(end)));
  return c.json({
    [key]: slice.map(render),
    meta: {
      has_more: hasMore,
      after_cursor: slice.length > 0 ? encodeCursor2(String(end)) : null,
      before_cursor: slice.length > 0 ? encodeCursor2(String(start)) : null,
    },
    links: { next: hasMore ? next.toString() : null, prev: null },
  });
}
var SCORE_FILTERS = {
  received: () => true,
  received_without_comment: () => true,
  good: (good) => good,
  good_without_comment: (good) => good,
  bad: (good) => !good,
  bad_without_comment: (good) => !good,
  // Emulated ratings carry no comment, and every rating in the dataset was received.
  received_with_comment: () => false,
  good_with_comment: () => false,
  bad_with_comment: () => false,
  offered: () => false,
  unoffered: () => false,
};
function mountSatisfactionRatings(app, ctx) {
  for (const path of paths('satisfaction_ratings')) {
    app.get(
      path,
      guarded2(ctx, (c) => {
        const scoreParam = c.req.query('score');
        const filter = scoreParam === void 0 ? () => true : SCORE_FILTERS[scoreParam];
        if (!filter) return invalid(c, `unknown score filter: ${scoreParam ?? ''}`);
        const start = c.req.query('start_time');
        const end = c.req.query('end_time');
        if ((start !== void 0 && !/^\d+$/.test(start)) || (end !== void 0 && !/^\d+$/.test(end)))
          return invalid(c, 'start_time and end_time are Unix epoch seconds');
        const rated = ctx.dataset.conversations
          .filter((conv) => {
            if (conv.spam || conv.rating === null) return false;
            const at = epochSeconds(conv.rating.ratedAt);
            if (start !== void 0 && at < Number(start)) return false;
            if (end !== void 0 && at > Number(end)) return false;
            return filter(conv.rating.score >= 4);
          })
          .sort(
            (a, b) => a.rating.ratedAt - b.rating.ratedAt || zendeskTicketId(a.id) - zendeskTicketId(b.id),
          );
        const base = `${publicBase(c, ctx)}/${subdomainOf2(c)}/api/v2/satisfaction_ratings`;
        return cursorPage(c, rated, 'satisfaction_ratings', (conv) => {
          const id = zendeskTicketId(conv.id);
          return {
            id,
            url: `${base}/${id}.json`,
            assignee_id: conv.assigneeId === null ? null : zendeskUserId(conv.assigneeId),
            group_id: null,
            requester_id: 9e5 + id,
            ticket_id: id,
            score: conv.rating.score >= 4 ? 'good' : 'bad',
            comment: null,
            reason: 'No reason provided',
            reason_code: 0,
            reason_id: 0,
            created_at: iso2(conv.rating.ratedAt),
            updated_at: iso2(conv.rating.ratedAt),
          };
        });
      }),
    );
  }
}
function mountUsers(app, ctx) {
  for (const path of paths('users')) {
    app.get(
      path,
      guarded2(ctx, (c) => {
        const roles = [...(c.req.queries('role[]') ?? []), ...(c.req.queries('role') ?? [])];
        const agents = roles.length === 0 || roles.includes('agent') ? ctx.dataset.agents : [];
        const base = `${publicBase(c, ctx)}/${subdomainOf2(c)}/api/v2/users`;
        return cursorPage(c, agents, 'users', (agent) => {
          const id = zendeskUserId(agent.id);
          return {
            id,
            url: `${base}/${id}.json`,
            name: agent.name,
            email: agent.email,
            role: 'agent',
            active: true,
            suspended: false,
            verified: true,
            time_zone: 'UTC',
            iana_time_zone: 'Etc/UTC',
            created_at: '2024-01-02T03:04:05Z',
            updated_at: '2024-01-02T03:04:05Z',
          };
        });
      }),
    );
  }
}
function mountZendeskData(app, ctx) {
  mountSearch(app, ctx);
  mountIncremental(app, ctx);
  mountTicketMetricEvents(app, ctx);
  mountSatisfactionRatings(app, ctx);
  mountUsers(app, ctx);
}

// emulators/zendesk/oauth.ts
import { z as z4 } from 'zod';
var ZENDESK_AUTHORIZE_PATH = '/:subdomain/oauth/authorizations/new';
var ZENDESK_TOKEN_PATH = '/:subdomain/oauth/tokens';
var CODE_LIFETIME_SECONDS4 = 120;
var ACCESS_MIN_SECONDS = 300;
var ACCESS_MAX_SECONDS = 172800;
var REFRESH_MIN_SECONDS = 604800;
var REFRESH_MAX_SECONDS = 7776e3;
var REFRESH_DEFAULT_SECONDS = 2592e3;
var Lifetimes = {
  expires_in: z4.coerce.number().int().optional(),
  refresh_token_expires_in: z4.coerce.number().int().optional(),
};
var CodeGrantSchema2 = CodeGrantSchema.extend(Lifetimes);
var RefreshGrantSchema2 = RefreshGrantSchema.extend(Lifetimes);
function zendeskAuthorizeRules() {
  return {
    providerName: 'Zendesk',
    isRedirectUriRequired: true,
    isResponseTypeRequired: true,
    // "You must specify a scope"; `read` covers every GET. Zendesk itself would issue a token for a bad scope
    // and answer 403 later; the emulator refuses at once so a client bug shows.
    checkScope: (scope) =>
      scope !== void 0 && scope.split(' ').includes('read')
        ? { ok: true, granted: scope }
        : { ok: false, description: 'scope must include read.' },
    // S256 only: https://developer.zendesk.com/documentation/ticketing/working-with-oauth/oauth-pkce
    pkce: 'optional',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS4,
    mintCode: () => randomHex(32),
    realmOf: (c) => c.req.param('subdomain') ?? null,
    accountFor: (realm) => ({ id: realm ?? '', name: realm ?? '' }),
  };
}
function mountZendeskOAuth(app, ctx) {
  app.on(['GET', 'POST'], ZENDESK_AUTHORIZE_PATH, authorizeHandler(ctx, zendeskAuthorizeRules()));
  app.post(ZENDESK_TOKEN_PATH, async (c) => {
    ctx.stats.tokenRequests += 1;
    const subdomain = c.req.param('subdomain');
    const params = await readParams(c, ['json', 'form']);
    if (params === null) return oauthError(c, 400, 'invalid_request', 'Unsupported request body.');
    if (params.grant_type === 'refresh_token') ctx.stats.refreshRequests += 1;
    const client = authenticateClient(ctx, params.client_id, params.client_secret);
    if (!client) return zendeskInvalidClient(c);
    const codeGrant = CodeGrantSchema2.safeParse(params);
    if (codeGrant.success) {
      const lifetimes = checkLifetimes(codeGrant.data);
      if (typeof lifetimes === 'string') return oauthError(c, 400, 'invalid_request', lifetimes);
      const redeemed = redeemCodeGrant(ctx, codeGrant.data, client.clientId, subdomain);
      if (!redeemed.ok) return zendeskInvalidGrant(c);
      return issuePair2(c, ctx, oauthPrincipal(ctx, redeemed.record), lifetimes);
    }
    const refreshGrant = RefreshGrantSchema2.safeParse(params);
    if (refreshGrant.success) {
      if (ctx.knobs.forceInvalidGrant) return zendeskInvalidGrant(c);
      const lifetimes = checkLifetimes(refreshGrant.data);
      if (typeof lifetimes === 'string') return oauthError(c, 400, 'invalid_request', lifetimes);
      const redeemed = redeemRefreshToken(ctx, refreshGrant.data.refresh_token, client.clientId, subdomain);
      if (!redeemed.ok) return zendeskInvalidGrant(c);
      ctx.store.deleteRefresh(redeemed.record.token);
      ctx.store.deleteAccessPairedWith(redeemed.record.token);
      return issuePair2(c, ctx, redeemed.record.principal, lifetimes);
    }
    if (params.grant_type === 'authorization_code' || params.grant_type === 'refresh_token') {
      return oauthError(c, 400, 'invalid_request', `Missing parameters for grant_type ${params.grant_type}.`);
    }
    return oauthError(c, 400, 'unsupported_grant_type', 'Unsupported grant_type.');
  });
}
function checkLifetimes(input) {
  const access = input.expires_in;
  if (access !== void 0 && (access <= ACCESS_MIN_SECONDS || access >= ACCESS_MAX_SECONDS)) {
    return `expires_in must be more than ${ACCESS_MIN_SECONDS} and less than ${ACCESS_MAX_SECONDS}.`;
  }
  const refresh = input.refresh_token_expires_in ?? REFRESH_DEFAULT_SECONDS;
  if (
    refresh <= REFRESH_MIN_SECONDS ||
    refresh >= REFRESH_MAX_SECONDS ||
    (access !== void 0 && refresh <= access)
  ) {
    return `refresh_token_expires_in must be more than ${REFRESH_MIN_SECONDS} and expires_in, and less than ${REFRESH_MAX_SECONDS}.`;
  }
  return { accessSeconds: access ?? null, refreshSeconds: refresh };
}
function issuePair2(c, ctx, principal, lifetimes) {
  const accessSeconds =
    lifetimes.accessSeconds === null
      ? null
      : Math.min(lifetimes.accessSeconds, ctx.knobs.accessTokenLifetimeSeconds);
  const now = ctx.now();
  const refreshToken = randomHex(32);
  ctx.store.addRefresh(refreshToken, principal, now + lifetimes.refreshSeconds * 1e3);
  const accessToken = randomHex(32);
  ctx.store.addAccess(
    accessToken,
    principal,
    accessSeconds === null ? null : now + accessSeconds * 1e3,
    refreshToken,
  );
  noStore(c);
  return c.json(
    {
      access_token: accessToken,
      token_type: 'bearer',
      scope: principal.scope,
      refresh_token: refreshToken,
      expires_in: accessSeconds,
      refresh_token_expires_in: lifetimes.refreshSeconds,
    },
    201,
  );
}

// emulators/zendesk/index.ts
var zendeskProvider = {
  id: 'zendesk',
  defaultAccount: { id: 'zendesk', name: 'Sandbox Zendesk' },
  // Upper bound for the `expires_in` a client asks for (less than 172,800 s): https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
  defaultAccessTokenLifetimeSeconds: 172800,
  // Account-wide limit of the Enterprise plans, 700 requests a minute (Team 200, Growth/Professional 400,
  // Enterprise Plus 2,500): https://developer.zendesk.com/api-reference/introduction/rate-limits
  defaultRateLimit: { limit: 700, windowMs: 6e4 },
  unavailable: zendeskUnavailable,
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      const realm = seed.subdomain ?? null;
      const account = seed.account ?? { id: realm ?? ctx.account.id, name: realm ?? ctx.account.name };
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, account, realm, seed.email ?? null));
    }
  },
  mount(app, ctx) {
    app.use('/:subdomain/*', async (c, next) => {
      if (!ZENDESK_SUBDOMAIN.test(c.req.param('subdomain'))) return c.notFound();
      await next();
      return void 0;
    });
    mountZendeskOAuth(app, ctx);
    mountZendeskIdentity(app, ctx);
    mountZendeskData(app, ctx);
  },
};

// emulators/index.ts
var providers = {
  intercom: intercomProvider,
  front: frontProvider,
  zendesk: zendeskProvider,
  plain: plainProvider,
};
function createEmulator(provider, options = {}) {
  const module = providers[provider];
  const now = options.now ?? Date.now;
  const store = new OAuthStore(now);
  const ctx = {
    provider,
    clients: options.clients ?? [],
    apiTokens: options.apiTokens ?? [],
    account: options.account ?? module.defaultAccount,
    store,
    knobs: {
      accessTokenLifetimeSeconds: module.defaultAccessTokenLifetimeSeconds,
      forceInvalidGrant: false,
      latencyMs: 0,
      failNext: 0,
      rateLimit: module.defaultRateLimit,
      failDataNext: 0,
    },
    stats: {
      tokenRequests: 0,
      refreshRequests: 0,
      revocations: 0,
      identityRequests: 0,
      dataRequests: 0,
      rateLimited: 0,
    },
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
    now,
    dataset: options.dataset ?? { seed: 0, now: now(), agents: [], conversations: [] },
  };
  module.seedApiTokens(ctx);
  const app = new Hono();
  app.use('*', knobsMiddleware(ctx.knobs, module.unavailable));
  module.mount(app, ctx);
  app.onError((_error, c) => c.text('Internal Server Error', 500));
  return {
    provider,
    app,
    knobs: ctx.knobs,
    stats: ctx.stats,
    revokeAccessToken(token) {
      const grantId = store.grantOfToken(token);
      if (grantId === void 0) throw new Error(`${provider} emulator: that token was not issued here`);
      store.revokeGrant(grantId);
    },
    issuedTokens: () => store.issuedTokens(),
  };
}
async function startEmulator(provider, options = {}) {
  const emulator = createEmulator(provider, options);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const root = basePath === '' ? emulator.app : new Hono().route(basePath, emulator.app);
  const server = serve({ fetch: (request) => root.fetch(request), hostname: '127.0.0.1', port: 0 });
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    emulator,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
export { createEmulator, startEmulator };
//# sourceMappingURL=emulators-6S5BXWKK.js.map
