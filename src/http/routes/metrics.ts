import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponseSchema } from '../../contracts/common.ts';
import { ProviderParamSchema } from '../../contracts/integrations.ts';
import {
  AgentsResponseSchema,
  HistoryQuerySchema,
  HistoryResponseSchema,
  MetricsResponseSchema,
  RefreshAcceptedSchema,
  RefreshParamSchema,
  RefreshSchema,
  toAgentsResponse,
  toHistoryResponse,
  toMetricsResponse,
  toRefreshDto,
  UpdateWorkspaceBodySchema,
} from '../../contracts/metrics.ts';
import { toWorkspaceDto, WorkspaceSchema } from '../../contracts/identity.ts';
import * as metrics from '../../domain/metrics.ts';
import { listCurrent, listHistory } from '../../domain/snapshots.ts';
import { findWorkspace, updateWorkspaceAs } from '../../domain/workspaces.ts';
import { AppError } from '../../lib/app-error.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { connectionsDepsOf } from './integrations.ts';
import { cachedJson } from '../read-cache.ts';

const refresh = defineRoute('admin', {
  method: 'post',
  path: '/integrations/{provider}/refresh',
  operationId: 'requestRefresh',
  tags: ['Metrics'],
  summary: 'Refresh now: queue a metrics refresh of this connection (the first one backfills 12 weeks)',
  description:
    'One refresh at a time per connection: while one is queued, running or retrying (manual or scheduled), this ' +
    'answers that one (200) instead of queuing another. New manual refreshes are limited per connection ' +
    '(DESKPULSE_MANUAL_REFRESH_LIMIT per DESKPULSE_MANUAL_REFRESH_WINDOW_MINUTES, default 6 an hour): past it, ' +
    '429 `rate_limited` with `Retry-After`.',
  request: { params: ProviderParamSchema },
  responses: {
    200: {
      description: 'A refresh of this connection was already in flight: that one',
      ...json(RefreshAcceptedSchema),
    },
    202: { description: 'Queued', ...json(RefreshAcceptedSchema) },
    429: {
      description: 'Manual refresh limit of this connection reached (`rate_limited`)',
      headers: z.object({
        'Retry-After': z.string().openapi({ description: 'Seconds until a manual refresh is allowed again' }),
      }),
      ...json(ErrorResponseSchema),
    },
  },
});

const getRefresh = defineRoute('member', {
  method: 'get',
  path: '/refreshes/{id}',
  operationId: 'getRefresh',
  tags: ['Metrics'],
  summary: 'State, progress, timings and error of a refresh',
  request: { params: RefreshParamSchema },
  responses: { 200: { description: 'The refresh', ...json(RefreshSchema) } },
});

const current = defineRoute('member', {
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['Metrics'],
  summary: 'Current metrics per connected helpdesk (rolling windows ending at measuredAt)',
  responses: {
    200: { description: 'Metrics', ...json(MetricsResponseSchema) },
  },
});

const history = defineRoute('member', {
  method: 'get',
  path: '/metrics/history',
  operationId: 'getMetricsHistory',
  tags: ['Metrics'],
  summary: 'Completed weeks (Monday–Sunday in the workspace timezone), oldest first',
  request: { query: HistoryQuerySchema },
  responses: {
    200: { description: 'Weeks', ...json(HistoryResponseSchema) },
  },
});

const agents = defineRoute('member', {
  method: 'get',
  path: '/metrics/agents',
  operationId: 'getAgentMetrics',
  tags: ['Metrics'],
  summary: 'Per-agent tickets (7 days), CSAT (30 days) and median first response',
  responses: { 200: { description: 'Agents', ...json(AgentsResponseSchema) } },
});

const getWorkspace = defineRoute('member', {
  method: 'get',
  path: '/workspace',
  tags: ['Identity'],
  summary: 'The workspace: its name and the timezone its weeks run in',
  responses: { 200: { description: 'The workspace', ...json(WorkspaceSchema) } },
});

const patchWorkspace = defineRoute('admin', {
  method: 'patch',
  path: '/workspace',
  operationId: 'updateWorkspace',
  tags: ['Identity'],
  summary: 'Rename the workspace or set its timezone (weekly history follows it)',
  request: { body: { ...json(UpdateWorkspaceBodySchema), required: true } },
  responses: { 200: { description: 'Updated', ...json(WorkspaceSchema) } },
});

export function registerMetricsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(refresh, async (c) => {
    const caller = workspacePrincipalOf(c);
    const { provider } = c.req.valid('param');
    const { refresh: r, isNew } = await metrics.requestRefresh(
      connectionsDepsOf(c),
      { workspaceId: caller.workspaceId, provider, actor: caller },
      { queue: c.get('deps').jobs },
    );
    return isNew ? c.json({ refreshId: r.id }, 202) : c.json({ refreshId: r.id }, 200);
  });

  app.openapi(getRefresh, async (c) => {
    const r = await metrics.findRefresh(
      c.get('deps').db,
      c.req.valid('param').id,
      workspacePrincipalOf(c).workspaceId,
    );
    if (!r) throw new AppError('not_found', 'refresh not found');
    return c.json(toRefreshDto(r), 200);
  });

  app.openapi(current, (c) => {
    const { workspaceId } = workspacePrincipalOf(c);
    return cachedJson(c, `metrics\n${workspaceId}`, async () =>
      toMetricsResponse(await listCurrent(c.get('deps').db, workspaceId)),
    );
  });

  app.openapi(history, (c) => {
    const { workspaceId } = workspacePrincipalOf(c);
    const { weeks } = c.req.valid('query');
    return cachedJson(c, `history\n${workspaceId}\n${weeks}`, async () => {
      const { timezone, rows } = await listHistory(c.get('deps').db, workspaceId, weeks);
      return toHistoryResponse(timezone, rows);
    });
  });

  app.openapi(agents, async (c) => {
    const rows = await listCurrent(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    return c.json(toAgentsResponse(rows), 200);
  });

  app.openapi(getWorkspace, async (c) => {
    const ws = await findWorkspace(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    if (!ws) throw new AppError('not_found', 'workspace not found');
    return c.json(toWorkspaceDto(ws), 200);
  });

  app.openapi(patchWorkspace, async (c) => {
    const ws = await updateWorkspaceAs(c.get('deps').db, workspacePrincipalOf(c), c.req.valid('json'));
    return c.json(toWorkspaceDto(ws), 200);
  });
}
