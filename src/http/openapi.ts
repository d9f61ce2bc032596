import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Config } from '../config/index.ts';
import type { AppEnv } from './env.ts';
import { defineRoute } from './route.ts';

/** Every tag an operation uses, with what it groups; Spectral's `operation-tag-defined` holds the routes to it. */
export const TAGS = [
  { name: 'Auth', description: 'Accounts and browser sessions (the session cookie)' },
  { name: 'Identity', description: 'Who the caller is, and the workspace itself' },
  { name: 'Members', description: 'Teammates, their roles, and invite links' },
  { name: 'API keys', description: 'Workspace API keys for scripts and the CLI' },
  {
    name: 'Integrations',
    description: 'Helpdesk connections (OAuth or API token) and their schedule',
  },
  { name: 'Audit', description: 'Who did what, to what, when: the workspace audit trail' },
  { name: 'Metrics', description: 'Refreshes and the numbers they produce, current and weekly' },
  { name: 'Webhooks', description: 'Endpoints told when a connection or refresh needs attention' },
  { name: 'Imports', description: "A helpdesk's CSV export as a source of its own (docs/csv-import.md)" },
  { name: 'System', description: 'Liveness, readiness and Prometheus metrics' },
  { name: 'Docs', description: 'This document and its browsable reference' },
];

const DESCRIPTION = `Helpdesk metrics for support leads.

Errors always have the body \`{"error":{"code","message","details?"}}\`; each code maps to one status. Every
response carries \`X-Request-Id\`. Bodies and query strings are strict: an unknown body field or query parameter
is a 400 naming it, and a string holding a NUL character is refused at validation. JSON bodies must be sent as
\`application/json\` (415 otherwise) and stay within 1 MiB (413). The request line and headers together must stay
within Node's 16 KiB limit: past it the server answers 431 \`headers_too_large\` and closes the connection.`;

export function documentConfig(config: Config) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Deskpulse API',
      version: '0.1.0',
      description: DESCRIPTION,
      contact: { name: 'Deskpulse', url: config.publicUrl },
    },
    servers: [{ url: config.publicUrl, description: 'This server (DESKPULSE_PUBLIC_URL)' }],
    tags: TAGS,
  };
}

const openApiJson = defineRoute('public', {
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['Docs'],
  summary: 'This OpenAPI 3.1 document',
  description:
    'The document every route is declared in, generated from the same schemas that validate requests.',
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document',
      content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } },
    },
  },
});

const docsPage = defineRoute('public', {
  method: 'get',
  path: '/docs',
  operationId: 'getApiReference',
  tags: ['Docs'],
  summary: 'Browsable API reference (Swagger UI over /openapi.json)',
  description:
    'An HTML page that renders /openapi.json; its scripts and styles are served beside it under /docs/.',
  responses: {
    200: {
      description: 'The reference page',
      content: { 'text/html': { schema: z.string() } },
    },
  },
});

/**
 * The document's shared parts and the two routes that publish it. Registered last, so the document covers every
 * route registered before.
 */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Workspace API key: `Authorization: Bearer dpk_…`',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'deskpulse.session_token',
    description: 'Browser session from POST /auth/sign-in',
  });
  app.openAPIRegistry.registerComponent('headers', 'RequestId', {
    description: 'This request’s id; quoted in logs and in 500 messages',
    required: true,
    schema: { type: 'string' },
  });
  app.openAPIRegistry.registerComponent('parameters', 'WorkspaceId', {
    name: 'X-Workspace-Id',
    in: 'header',
    required: false,
    description:
      'The workspace a session request acts in (default: the oldest membership). With an API key it may only ' +
      "name the key's own workspace; any other answers 404.",
    schema: { type: 'string' },
  });
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.openapi(openApiJson, (c) => {
    document ??= app.getOpenAPI31Document(documentConfig(c.get('deps').config));
    return c.json(document as unknown as { openapi: string }, 200);
  });
  // Served by web.ts (swagger-ui-dist, under the CSP); published here so the document lists it.
  const { middleware: _servedElsewhere, ...documented } = docsPage;
  app.openAPIRegistry.registerPath(documented);
}
