import { z } from '@hono/zod-openapi';

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_body' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const RoleSchema = z.enum(['owner', 'admin', 'member']).openapi('Role');
export const AssignableRoleSchema = z.enum(['admin', 'member']).openapi('AssignableRole');
export const IdParamSchema = z.object({ id: z.string().min(1).max(64) });
