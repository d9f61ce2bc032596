import type { Db } from '../client.ts';
import type { ProviderId } from '../schema.ts';

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
    })
    .execute();
}

export async function listAuditEvents(
  db: Db,
  workspaceId: string,
  options: { limit: number; before?: string },
): Promise<AuditEvent[]> {
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.before) q = q.where('id', '<', options.before);
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
  }));
}
