import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../lib/app-error.ts';
import type { AppEnv } from './env.ts';
import { requestHeader } from './request-header.ts';

/*
 * What every response carries (the reference product's list: https://docs.forepost.ai/reference/security) and
 * who may write with a session cookie. The dashboard is built to run under this policy: no inline script or
 * style, everything from our own origin.
 */

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

function secureHeadersFor(publicUrl: string): MiddlewareHandler {
  const https = publicUrl.startsWith('https://');
  return secureHeaders({
    contentSecurityPolicy: CSP,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
    },
    // HSTS only where it means something: a browser remembers it for the host, plain http included.
    strictTransportSecurity: https ? 'max-age=63072000; includeSubDomains; preload' : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
}

type HeaderList = [name: string, value: string][];

/** The headers hono's secureHeaders gives every response with this configuration (no nonce: the same each time). */
async function securityHeaderList(publicUrl: string): Promise<HeaderList> {
  const probe = new Hono().use(secureHeadersFor(publicUrl)).get('/', (c) => c.body(null, 204));
  const list: HeaderList = [];
  (await probe.request('/')).headers.forEach((value, name) => list.push([name, value]));
  return list;
}

const REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * `X-Request-Id` (the caller's, when it is a plain token of up to 255 characters, else a new UUID, as hono's
 * requestId middleware does) and the security headers, on every response.
 *
 * Under @hono/node-server the headers go straight onto Node's ServerResponse (`c.env.outgoing`), which merges them
 * into the response head. Setting them on Hono's Response instead (what secureHeaders and requestId do) turns its
 * plain header record into a WHATWG Headers object on every request, which bench/api measured as half of what a
 * bare request costs: a bare Hono `/healthz` served 24,700 req/s, 11,500 with secureHeaders and 10,800 with both
 * middlewares, 19,400 with the same headers set on the ServerResponse. Without a Node server (`app.request()` in
 * tests) they are set on Hono's Response, as before. hono's secureHeaders still decides the
 * values: they are read once from a probe request.
 */
export function responseHeaders(publicUrl: string): MiddlewareHandler<AppEnv> {
  let list: HeaderList | undefined;
  const pending = securityHeaderList(publicUrl).then((l) => (list = l));
  return async (c, next) => {
    const incoming = requestHeader(c, 'x-request-id');
    const id = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    const headers = list ?? (await pending);
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing) {
      outgoing.setHeader('X-Request-Id', id);
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      return next();
    }
    // As hono's own middlewares do: before the handler for the responses Hono makes (c.json…), after it for a
    // Response a handler made itself.
    c.header('X-Request-Id', id);
    for (const [name, value] of headers) c.header(name, value);
    await next();
    if (c.res.headers.has('X-Request-Id')) return;
    c.res.headers.set('X-Request-Id', id);
    for (const [name, value] of headers) c.res.headers.set(name, value);
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request that a browser could send with our session cookie must come from our own
 * origin. SameSite=Lax stops cross-site POSTs from most browsers, not same-site ones (another port, a sibling
 * subdomain), so the `Origin` header (every current browser sends it on POST/PUT/PATCH/DELETE), else
 * `Sec-Fetch-Site`, is checked against the public URL. Requests with an API key carry no ambient credential and
 * are exempt; so is a request with neither header (not a browser: curl, scripts).
 */
export function sameOriginWrites(publicUrl: string): MiddlewareHandler<AppEnv> {
  const ours = new URL(publicUrl).origin;
  return async (c, next) => {
    if (SAFE.has(c.req.method) || requestHeader(c, 'authorization') !== undefined) return next();
    const origin = requestHeader(c, 'origin');
    const site = requestHeader(c, 'sec-fetch-site');
    const crossOrigin =
      origin !== undefined
        ? origin !== ours
        : site !== undefined && site !== 'same-origin' && site !== 'none';
    if (crossOrigin) {
      throw new AppError('forbidden', `cross-origin request refused: writes must come from ${ours}`);
    }
    return next();
  };
}
