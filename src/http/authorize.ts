import type { Context, MiddlewareHandler } from 'hono';
import type { Auth } from '../auth/better-auth.ts';
import { API_KEY_CACHE_TTL_MS, authenticateApiKey } from '../domain/api-keys.ts';
import { hasRole, type MinRole, type Principal, type WorkspacePrincipal } from '../domain/roles.ts';
import { findFirstMembership, findMembership } from '../domain/workspaces.ts';
import { accessEpoch } from '../lib/access-epoch.ts';
import { AppError } from '../lib/app-error.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import type { AppEnv } from './env.ts';
import { requestHeader } from './request-header.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
export const WORKSPACE_HEADER = 'x-workspace-id';

/** A session's principal, or the workspace it asked for and does not belong to. */
type SessionLookup = { principal: Principal } | { notMember: string };

/**
 * Session principals (better-auth's session and user, then the membership) by cookie and requested workspace,
 * kept as briefly as API keys: a sign-out or membership change here is seen at once (access-epoch.ts), one made
 * by another process within `API_KEY_CACHE_TTL_MS` (ARCHITECTURE.md, "API keys").
 */
const sessionCaches = new WeakMap<Auth, TtlCache<string, SessionLookup>>();
function sessionCacheOf(auth: Auth): TtlCache<string, SessionLookup> {
  let cache = sessionCaches.get(auth);
  if (!cache) {
    cache = new TtlCache({ ttlMs: API_KEY_CACHE_TTL_MS, maxEntries: 10_000, epoch: accessEpoch });
    sessionCaches.set(auth, cache);
  }
  return cache;
}

async function lookUpSession(
  c: Context<AppEnv>,
  requested: string | undefined,
): Promise<SessionLookup | undefined> {
  const { db, auth } = c.get('deps');
  const session = await auth.api.getSession({ headers: c.req.raw.headers });
  if (!session) return undefined;
  const membership = requested
    ? await findMembership(db, requested, session.user.id)
    : await findFirstMembership(db, session.user.id);
  if (requested && !membership) return { notMember: requested };
  return {
    principal: {
      kind: 'session',
      apiKeyId: null,
      userId: session.user.id,
      email: session.user.email,
      workspaceId: membership?.workspaceId ?? null,
      role: membership?.role ?? null,
    },
  };
}

async function identify(c: Context<AppEnv>): Promise<Principal | null> {
  const { db, auth } = c.get('deps');
  const authorization = requestHeader(c, 'authorization');
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1];
    const key = token ? await authenticateApiKey(db, token) : undefined;
    if (!key) throw new AppError('unauthenticated', 'invalid or revoked API key');
    // A key belongs to one workspace: naming another is answered as a session naming a foreign one is.
    const requested = requestHeader(c, WORKSPACE_HEADER);
    if (requested && requested !== key.workspaceId) {
      throw new AppError('not_found', `workspace ${requested} not found`);
    }
    return { kind: 'api_key', apiKeyId: key.id, userId: null, workspaceId: key.workspaceId, role: key.role };
  }
  // better-auth reads the session from the cookie alone: no cookie, no session.
  const cookie = requestHeader(c, 'cookie');
  if (!cookie) return null;
  const requested = requestHeader(c, WORKSPACE_HEADER);
  const found = await sessionCacheOf(auth).get(`${requested ?? ''}\n${cookie}`, () =>
    lookUpSession(c, requested),
  );
  if (!found) return null;
  if ('notMember' in found) throw new AppError('not_found', `workspace ${found.notMember} not found`);
  return found.principal;
}

/**
 * The one middleware that enforces every route's declared minimum role and pins the caller to one workspace:
 * handlers read the workspace from the principal, never from the request, so isolation is structural.
 */
export function authorize(minRole: MinRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (minRole === 'public') return next();
    const principal = await identify(c);
    if (!principal)
      throw new AppError('unauthenticated', 'sign in or send an API key (Authorization: Bearer)');
    if (minRole !== 'authenticated') {
      // A removed teammate's next request answers 404 (https://docs.forepost.ai/help/teammates): they have no
      // workspace any more.
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

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new Error('principalOf used on a public route');
  return p;
}

export function workspacePrincipalOf(c: Context<AppEnv>): WorkspacePrincipal {
  const p = principalOf(c);
  if (!p.workspaceId || !p.role) throw new Error('workspacePrincipalOf used below the member role');
  return p as WorkspacePrincipal;
}

/** Some actions belong to a person (creating a workspace, accepting an invite), never to a script's key. */
export function sessionUserOf(c: Context<AppEnv>): { userId: string; email: string } {
  const p = principalOf(c);
  if (p.kind !== 'session')
    throw new AppError('forbidden', 'this action needs a signed-in user, not an API key');
  return { userId: p.userId, email: p.email };
}
