import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';

/** What an event was done to: an API key, an invite, a member, a webhook… */
export interface AuditTarget {
  kind: string;
  id: string;
  label: string | null;
}

export interface AuditEvent {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorLabel: string;
  action: string;
  provider: ProviderId | null;
  outcome: string;
  detail: string | null;
  target: AuditTarget | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { workspaceId: string };

export async function insertAuditEvent(db: Db, e: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      workspace_id: e.workspaceId,
      actor_user_id: e.actorUserId,
      actor_api_key_id: e.actorApiKeyId,
      actor_label: e.actorLabel,
      action: e.action,
      provider: e.provider,
      outcome: e.outcome,
      detail: e.detail,
      target_kind: e.target?.kind ?? null,
      target_id: e.target?.id ?? null,
      target_label: e.target?.label ?? null,
    })
    .execute();
}

export async function listAuditEvents(
  db: Db,
  workspaceId: string,
  options: {
    limit: number;
    before?: string | undefined;
    actions?: string[] | undefined;
    actor?: string | undefined;
    since?: Date | undefined;
  },
): Promise<AuditEvent[]> {
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.before) q = q.where('id', '<', options.before);
  if (options.actions?.length) q = q.where('action', 'in', options.actions);
  if (options.since) q = q.where('at', '>=', options.since);
  const actor = options.actor;
  if (actor) {
    q = q.where((eb) =>
      eb.or([
        eb('actor_user_id', '=', actor),
        eb('actor_api_key_id', '=', actor),
        eb('actor_label', '=', actor.toLowerCase()),
      ]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorApiKeyId: r.actor_api_key_id,
    actorLabel: r.actor_label,
    action: r.action,
    provider: r.provider,
    outcome: r.outcome,
    detail: r.detail,
    target:
      r.target_kind && r.target_id ? { kind: r.target_kind, id: r.target_id, label: r.target_label } : null,
  }));
}
