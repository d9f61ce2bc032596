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

/**
 * A named schema or null. `.nullable()` on a schema registered with `.openapi('Name')` rewrites the component
 * itself as nullable (zod-to-openapi 9 with zod 4: the wrapper inherits the name), so every use of `Role` looked
 * nullable and `user: null` failed `allOf: [User, …]`; a union publishes `anyOf: [{$ref}, {type: null}]`.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

export const RoleSchema = z.enum(['owner', 'admin', 'member']).openapi('Role');
export const AssignableRoleSchema = z.enum(['admin', 'member']).openapi('AssignableRole');
export const IdParamSchema = z.object({ id: z.string().min(1).max(64) });
