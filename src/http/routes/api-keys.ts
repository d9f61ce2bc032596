import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { IdParamSchema } from '../../contracts/common.ts';
import {
  ApiKeySchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  toApiKeyDto,
} from '../../contracts/identity.ts';
import * as apiKeys from '../../domain/api-keys.ts';
import { workspacePrincipalOf } from '../authorize.ts';
import type { AppEnv } from '../env.ts';
import { defineRoute, jsonContent as json } from '../route.ts';

const create = defineRoute('admin', {
  method: 'post',
  path: '/apikeys',
  operationId: 'createApiKey',
  tags: ['API keys'],
  summary: 'Create a workspace API key (the secret is shown once)',
  request: { body: { ...json(CreateApiKeyBodySchema), required: true } },
  responses: { 201: { description: 'Created', ...json(CreatedApiKeySchema) } },
});

const list = defineRoute('admin', {
  method: 'get',
  path: '/apikeys',
  operationId: 'listApiKeys',
  tags: ['API keys'],
  summary: "The workspace's API keys (never their secrets)",
  responses: { 200: { description: 'Keys', ...json(z.object({ apiKeys: z.array(ApiKeySchema) })) } },
});

const revoke = defineRoute('admin', {
  method: 'delete',
  path: '/apikeys/{id}',
  operationId: 'revokeApiKey',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' } },
});

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const { apiKey, secret } = await apiKeys.createApiKeyAs(
      c.get('deps').db,
      workspacePrincipalOf(c),
      c.req.valid('json'),
    );
    return c.json({ ...toApiKeyDto(apiKey), key: secret }, 201);
  });
  app.openapi(list, async (c) => {
    const keys = await apiKeys.listApiKeys(c.get('deps').db, workspacePrincipalOf(c).workspaceId);
    return c.json({ apiKeys: keys.map(toApiKeyDto) }, 200);
  });
  app.openapi(revoke, async (c) => {
    await apiKeys.revokeApiKeyAs(c.get('deps').db, workspacePrincipalOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
