import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { MinRole } from '../domain/roles.ts';
import { ErrorResponseSchema } from '../contracts/common.ts';
import { AppError, type AppErrorCode } from '../lib/app-error.ts';
import { authorize } from './authorize.ts';
import { STATUS } from './errors.ts';

/** The response header every answer carries (`requestId` middleware in app.ts), registered in openapi.ts. */
export const REQUEST_ID_HEADER = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
/** The session caller's workspace choice (authorize.ts), registered in openapi.ts. */
const WORKSPACE_PARAMETER = { $ref: '#/components/parameters/WorkspaceId' };

/** What each error code means in a response description; the status comes from the one table (errors.ts). */
const MEANING: Partial<Record<AppErrorCode, string>> = {
  invalid_body: 'a body field is wrong, missing or unknown',
  invalid_query: 'a query parameter is wrong or unknown (unknown query parameters are rejected)',
  invalid_params: 'a path parameter is wrong',
  invalid_json: 'the body is not valid JSON',
  unauthenticated: 'not signed in, or the API key is invalid or revoked',
  forbidden:
    'the role is too low, the action needs a signed-in user rather than an API key, or a write with the ' +
    'session cookie came from another origin',
  not_found: 'not found (also: not a member of any workspace, or X-Workspace-Id names another workspace)',
  payload_too_large: 'the body is over its limit (1 MiB for JSON)',
  unsupported_media_type: 'the body is not sent as a type the route takes (JSON routes: application/json)',
  headers_too_large: 'the request line and headers are over 16 KiB (answered before any route)',
  not_ready: 'the database is out of reach for now: try again shortly',
  internal_error: 'a bug, logged with the request id quoted in the message',
};

/** Per status, each code it answers with what it means there (a route's own words replace the generic ones). */
type ErrorResponses = Record<number, Map<AppErrorCode, string>>;

function addError(into: ErrorResponses, code: AppErrorCode, description?: string): void {
  const codes = (into[STATUS[code]] ??= new Map());
  const meaning = description ?? codes.get(code) ?? MEANING[code] ?? code.replaceAll('_', ' ');
  codes.set(code, meaning);
}

const describeCodes = (codes: Map<AppErrorCode, string>) =>
  [...codes].map(([code, meaning]) => `\`${code}\`: ${meaning}`).join('; ');

const errorResponse = (description: string) => ({
  description,
  headers: REQUEST_ID_HEADER,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});

/** The error codes a route answers beyond the ones `defineRoute` derives; each with what it means here. */
export type RouteErrors = Partial<Record<AppErrorCode, string>>;

/**
 * The operation id of a route that does not name its own: method and path words in camelCase
 * (`POST /auth/sign-in` → `postAuthSignIn`).
 */
function derivedOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method, ...words].map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
}

/**
 * The operation ids and statuses of the routes in routes/auth.ts, whose configs do not name them yet. Kept here so
 * the document is complete; they belong in those configs once that file is next edited.
 */
const LATE_DECLARED: Record<string, { operationId: string; errors: RouteErrors }> = {
  // No 409: sign-up answers a taken email as it answers a new one (routes/auth.ts).
  'post /auth/sign-up': { operationId: 'signUp', errors: {} },
  'post /auth/sign-in': { operationId: 'signIn', errors: { unauthenticated: 'wrong email or password' } },
  'post /auth/sign-out': { operationId: 'signOut', errors: {} },
};

/**
 * Every route is declared through here with its minimum role. The role is enforced by `authorize` and published
 * in the OpenAPI document as `x-min-role`, which the role-matrix test walks so no route escapes it.
 *
 * The document it writes is complete by construction: every route answers 400 (validation), 431 (headers over
 * Node's limit), 503 (the database out of reach) and 500 (bugs);
 * routes behind a role 401, 403 and 404; writes 403 (a cross-origin cookie write); routes with a body 413 and
 * 415; plus the errors the route names (its third argument).
 * Every error status carries the error schema, every response the X-Request-Id header. A route without a query
 * schema gets an empty strict one: unknown query parameters are rejected everywhere (400 `invalid_query`).
 */
export function defineRoute<const R extends Omit<RouteConfig, 'middleware'>>(
  minRole: MinRole,
  config: R,
  routeErrors: RouteErrors = {},
) {
  const key = `${config.method} ${config.path}`;
  const errors: ErrorResponses = {};
  addError(errors, 'invalid_query');
  if (config.request?.params) addError(errors, 'invalid_params');
  if (config.request?.body) {
    const isJson = Object.keys(config.request.body.content).some((t) => t.includes('json'));
    if (isJson) addError(errors, 'invalid_body');
    if (isJson) addError(errors, 'invalid_json');
    addError(errors, 'payload_too_large');
    addError(errors, 'unsupported_media_type');
  }
  // sameOriginWrites (security.ts) refuses a cookie write from another origin on every route.
  if (config.method !== 'get') {
    addError(
      errors,
      'forbidden',
      minRole === 'public' ? 'a browser write from another origin than this server' : undefined,
    );
  }
  if (minRole !== 'public') {
    addError(errors, 'unauthenticated');
    addError(errors, 'forbidden');
    addError(errors, 'not_found');
  }
  for (const [code, description] of Object.entries({ ...LATE_DECLARED[key]?.errors, ...routeErrors })) {
    addError(errors, code as AppErrorCode, description);
  }
  // What any request can meet: headers over Node's 16 KiB (answered before routing), the database out of reach.
  addError(errors, 'headers_too_large');
  addError(errors, 'not_ready');
  addError(errors, 'internal_error');

  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(config.responses)) {
    const r = response as { description: string; content?: unknown; headers?: object };
    const declaredErrors = errors[Number(status)];
    if (Number(status) >= 400) {
      // A status the route declares by hand: the error schema, with the derived codes' meanings after its own.
      responses[status] = {
        ...errorResponse(
          declaredErrors ? `${r.description}; ${describeCodes(declaredErrors)}` : r.description,
        ),
        ...(r.content ? { content: r.content } : {}),
      };
      delete errors[Number(status)];
    } else {
      responses[status] = { ...r, headers: { ...REQUEST_ID_HEADER, ...r.headers } };
    }
  }
  for (const [status, codes] of Object.entries(errors))
    responses[status] = errorResponse(describeCodes(codes));

  const takesQuery = config.request?.query !== undefined;
  const route = createRoute({
    ...config,
    operationId:
      config.operationId ?? LATE_DECLARED[key]?.operationId ?? derivedOperationId(config.method, config.path),
    description: config.description ?? config.summary ?? '',
    'x-min-role': minRole,
    ...(minRole === 'public'
      ? {}
      : {
          security: [{ apiKey: [] }, { session: [] }],
          parameters: [WORKSPACE_PARAMETER],
        }),
    // A public route has nothing to authorize. A route without a query schema refuses any query parameter.
    middleware: [...(minRole === 'public' ? [] : [authorize(minRole)]), ...(takesQuery ? [] : [noQuery])],
    responses: responses as R['responses'],
  });
  return route;
}

/**
 * A route that takes no query parameters answers any as the validator answers an unknown one (400
 * `invalid_query`, a detail per name), without a validator's cost on the request that carries none.
 */
const noQuery: MiddlewareHandler = (c, next) => {
  if (!c.req.url.includes('?')) return next();
  const names = Object.keys(c.req.queries());
  if (names.length === 0) return next();
  throw new AppError(
    'invalid_query',
    'invalid request query',
    names.map((name) => ({ path: name, message: 'unknown field' })),
  );
};

export const jsonContent = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
});
