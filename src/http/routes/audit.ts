import type { OpenAPIHono } from '@hono/zod-openapi';
import { AuditPageSchema, AuditQuerySchema, toAuditEventDto } from '../../contracts/audit.ts';
import { listAudit } from '../../domain/audit.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';

const audit = defineRoute('admin', {
  method: 'get',
  path: '/audit',
  tags: ['Audit'],
  summary:
    'Who did what, to what, when: connections, API keys, invites, members, webhooks, imports, keys, failed sign-ins',
  request: { query: AuditQuerySchema },
  responses: {
    200: { description: 'Newest first; `nextCursor` continues', ...json(AuditPageSchema) },
  },
});

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(audit, async (c) => {
    const q = c.req.valid('query');
    const page = await listAudit(c.get('deps').db, workspacePrincipalOf(c).workspaceId, {
      limit: q.limit,
      before: q.cursor ?? q.before,
      actions: q.action,
      actor: q.actor,
      since: q.since ? new Date(q.since) : undefined,
    });
    return c.json({ events: page.events.map(toAuditEventDto), nextCursor: page.nextCursor }, 200);
  });
}
