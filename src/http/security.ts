import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../lib/app-error.ts';
import type { AppEnv } from './env.ts';

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

export function securityHeaders(publicUrl: string): MiddlewareHandler<AppEnv> {
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
    if (SAFE.has(c.req.method) || c.req.header('authorization') !== undefined) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
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
