import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { notReadyReason } from '../../domain/database.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute } from '../route.ts';

const healthz = defineRoute('public', {
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'The process is alive',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

const readyz = defineRoute('public', {
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['System'],
  summary: 'The database is reachable and every migration is applied',
  responses: {
    200: {
      description: 'Ready',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
    },
    503: { description: 'Not ready' },
  },
});

export function registerSystemRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyz, async (c) => {
    const reason = await notReadyReason(c.var.deps.db);
    if (reason) throw new AppError('not_ready', reason);
    return c.json({ status: 'ready' as const }, 200);
  });
}
