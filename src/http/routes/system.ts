import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponseSchema } from '../../contracts/common.ts';
import { livenessProblem, notReadyReason } from '../../domain/database.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute } from '../route.ts';

const healthz = defineRoute('public', {
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'The process is alive',
  description:
    'Fails (503 `not_ready`) once the database has been unreachable for longer than ' +
    '`DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS`, so a liveness probe restarts a process that cannot heal. ' +
    'A shorter outage fails `/readyz` only.',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
    503: {
      description: 'The database has been unreachable for too long',
      content: { 'application/json': { schema: ErrorResponseSchema } },
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
    503: {
      description: 'Not ready',
      content: { 'application/json': { schema: ErrorResponseSchema } },
    },
  },
});

export function registerSystemRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthz, (c) => {
    const { databaseHealth, config } = c.get('deps');
    const problem =
      databaseHealth && livenessProblem(databaseHealth(), config.health.databaseUnhealthyAfterSeconds);
    if (problem) throw new AppError('not_ready', problem);
    return c.json({ status: 'ok' as const }, 200);
  });
  app.openapi(readyz, async (c) => {
    const reason = await notReadyReason(c.get('deps').db);
    if (reason) throw new AppError('not_ready', reason);
    return c.json({ status: 'ready' as const }, 200);
  });
}
