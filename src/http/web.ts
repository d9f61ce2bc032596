import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { packageRoot } from '../lib/package-root.ts';
import type { AppEnv } from './env.ts';

/*
 * The dashboard (web/, built by `npm run build` into dist/web/) under /app, with `/` sending people there, and
 * the API reference at /docs from the swagger-ui-dist package: nothing from a CDN, so both work offline and
 * under the Content-Security-Policy (no inline script or style).
 */

const WEB_DIR = path.join(packageRoot(), 'dist', 'web');
const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']);

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deskpulse</title></head>
<body><h1>Deskpulse</h1><p>The dashboard is not built in this checkout: run <code>npm run build</code>
(<code>npm ci</code> does it). The API is at <a href="/docs">/docs</a>.</p></body></html>`;

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Deskpulse API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <noscript>The reference needs JavaScript; the OpenAPI document is <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  // No badge from validator.swagger.io: the page loads nothing from another origin (and the CSP would block it).
  validatorUrl: null,
});
`;

export function registerWebRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get('/', (c) => c.redirect('/app', 302));
  // Invite links predate the dashboard's prefix; the fragment (#token=…) survives the redirect.
  app.get('/invite', (c) => c.redirect('/app/invite', 302));

  app.get('/docs', (c) => c.html(DOCS_PAGE));
  app.get('/docs/init.js', (c) =>
    c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/docs/:file', async (c, next) => {
    const file = c.req.param('file');
    if (!SWAGGER_FILES.has(file)) return next();
    c.header('cache-control', 'public, max-age=86400');
    return serveStatic({ root: SWAGGER_DIR, path: file })(c, next);
  });

  const built = existsSync(path.join(WEB_DIR, 'index.html'));
  const index = built ? readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8') : NOT_BUILT;
  // Hashed file names never change content: cache them for good; the page itself is always revalidated.
  app.use(
    '/app/assets/*',
    serveStatic({
      root: WEB_DIR,
      rewriteRequestPath: (p) => p.replace(/^\/app/, ''),
      precompressed: true,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  // Every other /app path is a page of the single-page app: the same HTML, routed in the browser.
  const page = (c: Context<AppEnv>) => {
    c.header('cache-control', 'no-cache');
    return c.html(index);
  };
  app.get('/app', page);
  app.get('/app/*', (c, next) => (c.req.path.startsWith('/app/assets/') ? next() : page(c)));
}
