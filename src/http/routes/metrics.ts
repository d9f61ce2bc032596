import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ProviderParamSchema } from '../../contracts/integrations.ts';
import {
  AgentRowSchema,
  HistoryQuerySchema,
  ProviderMetricsSchema,
  RefreshAcceptedSchema,
  RefreshParamSchema,
  RefreshSchema,
  UpdateWorkspaceBodySchema,
  WeekSchema,
} from '../../contracts/metrics.ts';
import { updateWorkspace } from '../../db/repositories/workspaces.ts';
import type { NotMeasured } from '../../metrics/types.ts';
import * as metrics from '../../domain/metrics.ts';
import { AppError } from '../../lib/app-error.ts';
import { completedWeeks, isValidTimezone } from '../../metrics/weeks.ts';
import { WorkspaceSchema } from '../../contracts/identity.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';
import { connectionsDepsOf } from './integrations.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const reasons = (n: NotMeasured): Record<string, string> =>
  Object.fromEntries(Object.entries(n).filter((e): e is [string, string] => typeof e[1] === 'string'));

export const refreshDto = (r: metrics.Refresh) => ({
  id: r.id,
  provider: r.provider,
  state: r.state,
  requestedBy: r.requestedBy,
  historyWeeks: r.historyWeeks,
  progress: { done: r.progressDone, total: r.progressTotal },
  queuedAt: r.queuedAt.toISOString(),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  error: r.errorCode ? { code: r.errorCode, message: r.errorDetail ?? r.errorCode } : null,
  trigger: r.trigger,
  slot: iso(r.slot),
  attempts: r.attempts,
  nextAttemptAt: iso(r.nextAttemptAt),
  providerCalls: r.providerCalls,
  rateLimitedCalls: r.rateLimitedCalls,
});

const refresh = defineRoute('admin', {
  method: 'post',
  path: '/integrations/{provider}/refresh',
  tags: ['Metrics'],
  summary: 'Refresh now: queue a metrics refresh of this connection (the first one backfills 12 weeks)',
  request: { params: ProviderParamSchema },
  responses: { 202: { description: 'Queued', ...json(RefreshAcceptedSchema) } },
});

const getRefresh = defineRoute('member', {
  method: 'get',
  path: '/refreshes/{id}',
  tags: ['Metrics'],
  summary: 'State, progress, timings and error of a refresh',
  request: { params: RefreshParamSchema },
  responses: { 200: { description: 'The refresh', ...json(RefreshSchema) } },
});

const current = defineRoute('member', {
  method: 'get',
  path: '/metrics',
  tags: ['Metrics'],
  summary: 'Current metrics per connected helpdesk (rolling windows ending at measuredAt)',
  responses: {
    200: { description: 'Metrics', ...json(z.object({ providers: z.array(ProviderMetricsSchema) })) },
  },
});

const history = defineRoute('member', {
  method: 'get',
  path: '/metrics/history',
  tags: ['Metrics'],
  summary: 'Completed weeks (Monday–Sunday in the workspace timezone), oldest first',
  request: { query: HistoryQuerySchema },
  responses: {
    200: { description: 'Weeks', ...json(z.object({ timezone: z.string(), weeks: z.array(WeekSchema) })) },
  },
});

const agents = defineRoute('member', {
  method: 'get',
  path: '/metrics/agents',
  tags: ['Metrics'],
  summary: 'Per-agent tickets (7 days), CSAT (30 days) and median first response',
  responses: { 200: { description: 'Agents', ...json(z.object({ agents: z.array(AgentRowSchema) })) } },
});

const patchWorkspace = defineRoute('admin', {
  method: 'patch',
  path: '/workspace',
  tags: ['Identity'],
  summary: 'Rename the workspace or set its timezone (weekly history follows it)',
  request: { body: { ...json(UpdateWorkspaceBodySchema), required: true } },
  responses: { 200: { description: 'Updated', ...json(WorkspaceSchema) } },
});

export function registerMetricsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(refresh, async (c) => {
    const caller = workspacePrincipalOf(c);
    const { provider } = c.req.valid('param');
    const r = await metrics.requestRefresh(
      connectionsDepsOf(c),
      { workspaceId: caller.workspaceId, provider, actor: caller },
      { queue: c.var.deps.jobs },
    );
    return c.json({ refreshId: r.id }, 202);
  });

  app.openapi(getRefresh, async (c) => {
    const r = await metrics.findRefresh(
      c.var.deps.db,
      c.req.valid('param').id,
      workspacePrincipalOf(c).workspaceId,
    );
    if (!r) throw new AppError('not_found', 'refresh not found');
    return c.json(refreshDto(r), 200);
  });

  app.openapi(current, async (c) => {
    const rows = await metrics.listCurrent(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json(
      {
        providers: rows.map((s) => ({
          provider: s.provider,
          measuredAt: s.measuredAt.toISOString(),
          window: { from: iso(s.windowFrom) ?? '', to: iso(s.windowTo) ?? '', csatFrom: iso(s.csatFrom) },
          metrics: s.metrics,
          notMeasured: reasons(s.notMeasured),
        })),
      },
      200,
    );
  });

  app.openapi(history, async (c) => {
    const caller = workspacePrincipalOf(c);
    const { weeks } = c.req.valid('query');
    const ws = await c.var.deps.db
      .selectFrom('workspaces')
      .select('timezone')
      .where('id', '=', caller.workspaceId)
      .executeTakeFirstOrThrow();
    const first = completedWeeks(new Date(), ws.timezone, weeks)[0]?.label ?? '9999-12-31';
    const rows = await metrics.listWeekly(c.var.deps.db, caller.workspaceId, first);
    return c.json(
      {
        timezone: ws.timezone,
        weeks: rows.map((s) => ({
          provider: s.provider,
          weekStart: s.period.slice('week:'.length),
          metrics: s.metrics,
          notMeasured: reasons(s.notMeasured),
        })),
      },
      200,
    );
  });

  app.openapi(agents, async (c) => {
    const rows = await metrics.listCurrent(c.var.deps.db, workspacePrincipalOf(c).workspaceId);
    return c.json(
      { agents: rows.flatMap((s) => (s.agents ?? []).map((a) => ({ provider: s.provider, ...a }))) },
      200,
    );
  });

  app.openapi(patchWorkspace, async (c) => {
    const body = c.req.valid('json');
    if (body.timezone !== undefined && !isValidTimezone(body.timezone)) {
      throw new AppError('invalid_body', 'invalid request body', [
        { path: 'timezone', message: 'must be an IANA timezone like Europe/London' },
      ]);
    }
    const ws = await updateWorkspace(c.var.deps.db, workspacePrincipalOf(c).workspaceId, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
    });
    return c.json(
      { id: ws.id, name: ws.name, timezone: ws.timezone, createdAt: ws.createdAt.toISOString() },
      200,
    );
  });
}
