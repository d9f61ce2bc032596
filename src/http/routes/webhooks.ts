import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CreatedWebhookSchema,
  CreateWebhookBodySchema,
  DeliveriesQuerySchema,
  WebhookDeliverySchema,
  WebhookParamSchema,
  WebhookSchema,
  toDeliveryDto,
  toWebhookDto,
} from '../../contracts/webhooks.ts';
import * as webhooks from '../../domain/webhooks.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';

const create = defineRoute('admin', {
  method: 'post',
  path: '/webhooks',
  operationId: 'createWebhook',
  tags: ['Webhooks'],
  summary: 'Register a webhook endpoint (the signing secret is shown once)',
  request: { body: { ...json(CreateWebhookBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...json(CreatedWebhookSchema) } },
});

const list = defineRoute('admin', {
  method: 'get',
  path: '/webhooks',
  operationId: 'listWebhooks',
  tags: ['Webhooks'],
  summary: "The workspace's webhook endpoints (never their secrets)",
  responses: { 200: { description: 'Endpoints', ...json(z.object({ webhooks: z.array(WebhookSchema) })) } },
});

const remove = defineRoute('admin', {
  method: 'delete',
  path: '/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags: ['Webhooks'],
  summary: 'Delete a webhook endpoint and its delivery log',
  request: { params: WebhookParamSchema },
  responses: { 204: { description: 'Deleted' } },
});

const deliveries = defineRoute('admin', {
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: "An endpoint's deliveries, newest first, each with its attempts",
  request: { params: WebhookParamSchema, query: DeliveriesQuerySchema },
  responses: {
    200: { description: 'Deliveries', ...json(z.object({ deliveries: z.array(WebhookDeliverySchema) })) },
  },
});

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const { endpoint, secret } = await webhooks.registerWebhook(
      c.get('deps'),
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    return c.json({ ...toWebhookDto(endpoint), secret }, 201);
  });
  app.openapi(list, async (c) => {
    const all = await webhooks.listWebhooks(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    return c.json({ webhooks: all.map(toWebhookDto) }, 200);
  });
  app.openapi(remove, async (c) => {
    await webhooks.deleteWebhookAs(c.get('deps').db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(deliveries, async (c) => {
    const list = await webhooks.listWebhookDeliveries(
      c.get('deps').db,
      workspacePrincipalOf(c).workspaceId,
      c.req.valid('param').id,
      c.req.valid('query').limit,
    );
    return c.json({ deliveries: list.map(toDeliveryDto) }, 200);
  });
}
