import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, type AppErrorCode } from '../lib/app-error.ts';
import { PROVIDER_IDS } from '../metrics/helpdesks.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { renderError } from './errors.ts';
import { responseHeaders, sameOriginWrites } from './security.ts';
import { registerWebRoutes } from './web.ts';
import { registerDocs } from './openapi.ts';
import { nulIssues } from './validation.ts';
import { registerApiKeyRoutes } from './routes/api-keys.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { registerIntegrationRoutes } from './routes/integrations.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';
import { registerPrometheusRoutes } from './routes/prometheus.ts';
import { registerSetupRoutes } from './routes/setup.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';
import { registerWorkspaceRoutes } from './routes/workspaces.ts';

/** The health probes (src/http/routes/system.ts). */
const PROBES = new Set(['/healthz', '/readyz']);

const TARGET_CODE: Record<string, AppErrorCode> = {
  json: 'invalid_body',
  query: 'invalid_query',
  param: 'invalid_params',
  header: 'invalid_params',
};

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // Validation failures become the error contract with one detail per offending field.
    defaultHook: (result) => {
      const code = TARGET_CODE[result.target] ?? 'invalid_body';
      const where = result.target === 'json' ? 'body' : result.target;
      if (result.success) {
        // One rule for every parameter, query value and body string: Postgres cannot store NUL in text.
        const nul = nulIssues(result.data);
        if (nul.length > 0) throw new AppError(code, `invalid request ${where}`, nul);
        return;
      }
      const details = result.error.issues.flatMap((i) => {
        const at = i.path.map(String);
        // One detail per unknown field, named by its own path, so a client can point at it.
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'unknown field' }));
        }
        return [{ path: at.join('.') || '(root)', message: i.message }];
      });
      throw new AppError(code, `invalid request ${where}`, details);
    },
  });

  const headers = responseHeaders(deps.config.publicUrl);
  const writes = sameOriginWrites(deps.config.publicUrl);
  const jsonLimit = bodyLimit({
    maxSize: 1024 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', 'request body over 1 MiB');
    },
  });
  // Uploads stream with their own limit (DESKPULSE_IMPORT_MAX_BYTES); every other body stays within 1 MiB. GET and
  // HEAD carry none: looking would build the full Request that @hono/node-server otherwise never builds.
  const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    if (method === 'POST' && c.req.path === '/imports') return next();
    return jsonLimit(c, next);
  };
  // What every request goes through, as one middleware (each layer of Hono's chain costs a little on every
  // request): the response headers, the request's deps, the same-origin rule for writes, the body
  // limit, then the access log line.
  const frame: MiddlewareHandler<AppEnv> = (c, next) => {
    // First, so that an error in the frame itself is still answered and logged (renderError).
    c.set('deps', deps);
    c.set('principal', null);
    return headers(c, async () => {
      const start = performance.now();
      try {
        await writes(c, async () => {
          await limitBody(c, next);
        });
      } catch (err) {
        // As Hono's chain does for a layer that throws: the error contract's answer, then the log line with it.
        c.res = renderError(err, c);
      }
      const path = c.req.path;
      const status = c.res.status;
      // At debug: the sandbox's emulated helpdesks, which answer most calls of a demo, and the health probes a load
      // balancer or an orchestrator sends every few seconds while they succeed. At info their lines would drown
      // the API's; a failing probe is logged at info like any other request.
      const quiet = path.startsWith('/_sandbox/') || (status < 300 && PROBES.has(path));
      // With the request id as a field, not a child logger's binding: the same line, without a child a request.
      deps.logger[quiet ? 'debug' : 'info'](
        {
          reqId: c.get('requestId'),
          method: c.req.method,
          path,
          status,
          durationMs: Math.round(performance.now() - start),
        },
        'request',
      );
    });
  };
  app.use('*', frame);

  registerSystemRoutes(app);
  registerAuthRoutes(app);
  registerSetupRoutes(app);
  registerWorkspaceRoutes(app);
  registerApiKeyRoutes(app);
  registerIntegrationRoutes(app);
  registerAuditRoutes(app);
  registerMetricsRoutes(app);
  registerWebhookRoutes(app);
  registerImportRoutes(app);
  registerPrometheusRoutes(app);
  const sandboxApps = deps.sandboxApps;
  if (sandboxApps) {
    // Each emulator is mounted under its prefix, so the pages it renders (the consent form) link back under it.
    const mounted = new Map<string, Hono>();
    for (const id of PROVIDER_IDS) {
      const prefix = `/_sandbox/${id}`;
      app.all(`${prefix}/*`, async (c) => {
        let emulator = mounted.get(id);
        if (emulator === undefined) {
          emulator = new Hono().route(prefix, (await sandboxApps())[id]);
          mounted.set(id, emulator);
        }
        const res = await emulator.fetch(c.req.raw);
        // The emulator answers in its helpdesk's shapes, but with this server's request id like every response.
        const answer = new Response(res.body, res);
        answer.headers.set('X-Request-Id', c.get('requestId'));
        return answer;
      });
    }
  }

  registerDocs(app);
  registerWebRoutes(app);

  app.notFound((c) => renderError(new AppError('not_found', `no route ${c.req.method} ${c.req.path}`), c));
  app.onError((err, c) => renderError(err, c));
  return app;
}
