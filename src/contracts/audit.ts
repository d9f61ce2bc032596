import { z } from '@hono/zod-openapi';
import { orNull } from './common.ts';
import { ProviderIdSchema } from './integrations.ts';

/** Every action the audit log records: who did what, to what, when (`GET /audit`). */
export const AUDIT_ACTIONS = [
  'connection.connect',
  'connection.reconnect',
  'connection.disconnect',
  'connection.refresh_failed',
  'connection.recovered',
  'connection.degraded',
  'connection.schedule',
  'webhook.create',
  'webhook.delete',
  'keys.rotate',
  'keys.retire',
  'import.create',
  'import.delete',
  'apikey.create',
  'apikey.revoke',
  'invite.create',
  'invite.revoke',
  'invite.accept',
  'member.remove',
  'member.role_change',
  'auth.sign_in_failed',
  'auth.password_set',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS).openapi('AuditAction');

const ACTION_LIST = z
  .string()
  .max(1000)
  .transform((v, ctx) => {
    const actions = v
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    for (const a of actions) {
      if (!(AUDIT_ACTIONS as readonly string[]).includes(a)) {
        ctx.addIssue({ code: 'custom', message: `unknown action ${a.slice(0, 40)}` });
        return z.NEVER;
      }
    }
    return actions as (typeof AUDIT_ACTIONS)[number][];
  });

/** An opaque position in the log: where the next page starts. */
const CURSOR = z.string().regex(/^[0-9]{1,18}$/, 'must be a cursor from nextCursor');

export const AuditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: CURSOR.optional().openapi({ description: 'The `nextCursor` of the previous page' }),
  before: z
    .string()
    .regex(/^[0-9]{1,18}$/, 'must be an audit event id')
    .optional()
    .openapi({ description: 'Events older than this event id (the same as `cursor`)' }),
  action: ACTION_LIST.optional().openapi({
    type: 'string',
    description: 'Only these actions, comma-separated (e.g. `apikey.create,apikey.revoke`)',
  }),
  actor: z.string().min(1).max(254).optional().openapi({
    description: "Only events by this user id, API key id (key_…) or the person's email",
  }),
  since: z.iso.datetime({ offset: true }).optional().openapi({
    description: 'Only events at or after this instant (ISO 8601)',
  }),
});

export const AuditTargetSchema = z
  .object({
    kind: z.string().openapi({ description: 'api_key, invite, user, webhook, import…' }),
    id: z.string(),
    label: z.string().nullable(),
  })
  .openapi('AuditTarget');

export const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.string().openapi({ description: "The person's email, `api key key_…`, or what Deskpulse ran" }),
    actorKind: z.enum(['user', 'api_key', 'system']),
    actorId: z.string().nullable(),
    action: z.string(),
    target: orNull(AuditTargetSchema),
    provider: orNull(ProviderIdSchema),
    outcome: z.string(),
    detail: z.string().nullable(),
  })
  .openapi('AuditEvent');

export type AuditEventDto = z.infer<typeof AuditEventSchema>;

export const AuditPageSchema = z
  .object({
    events: z.array(AuditEventSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for older events; null at the end' }),
  })
  .openapi('AuditPage');

export const toAuditEventDto = (e: {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorLabel: string;
  action: string;
  target: { kind: string; id: string; label: string | null } | null;
  provider: z.infer<typeof ProviderIdSchema> | null;
  outcome: string;
  detail: string | null;
}): z.infer<typeof AuditEventSchema> => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorLabel,
  actorKind: e.actorUserId ? 'user' : e.actorApiKeyId ? 'api_key' : 'system',
  actorId: e.actorUserId ?? e.actorApiKeyId,
  action: e.action,
  target: e.target,
  provider: e.provider,
  outcome: e.outcome,
  detail: e.detail,
});
