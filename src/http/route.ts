import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import type { MinRole } from '../domain/roles.ts';
import { ErrorResponseSchema } from '../contracts/common.ts';
import { authorize } from './authorize.ts';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});

/**
 * Every route is declared through here with its minimum role. The role is enforced by `authorize` and published
 * in the OpenAPI document as `x-min-role`, which the role-matrix test walks so no route escapes it.
 */
export function defineRoute<const R extends Omit<RouteConfig, 'middleware'>>(minRole: MinRole, config: R) {
  return createRoute({
    ...config,
    'x-min-role': minRole,
    ...(minRole === 'public' ? {} : { security: [{ apiKey: [] }, { session: [] }] }),
    middleware: [authorize(minRole)] as const,
    responses: {
      ...config.responses,
      400: errorResponse('Invalid request'),
      ...(minRole === 'public'
        ? {}
        : {
            401: errorResponse('Not signed in, or API key invalid/revoked'),
            403: errorResponse('Role too low'),
            404: errorResponse('Not found, or not a member of any workspace'),
          }),
    },
  });
}

export const jsonContent = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
});
