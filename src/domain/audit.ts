import type { Db } from '../db/client.ts';
import * as audit from '../db/repositories/audit.ts';
import type { ProviderId } from '../providers/types.ts';
import type { Principal } from './roles.ts';

export type AuditEvent = audit.AuditEvent;
export type AuditAction =
  | 'connection.connect'
  | 'connection.reconnect'
  | 'connection.disconnect'
  | 'connection.refresh_failed'
  | 'connection.recovered'
  | 'connection.degraded'
  | 'connection.schedule'
  | 'webhook.create'
  | 'webhook.delete'
  | 'keys.rotate'
  | 'import.create'
  | 'import.delete';

/** Who did it: a person, a workspace API key, or Deskpulse itself (background refresh, CLI). */
export type Actor = Principal | { kind: 'system'; label: string };

export async function recordAudit(
  db: Db,
  e: {
    workspaceId: string;
    actor: Actor;
    action: AuditAction;
    provider: ProviderId | null;
    outcome: string;
    detail?: string;
  },
): Promise<void> {
  const a = e.actor;
  await audit.insertAuditEvent(db, {
    workspaceId: e.workspaceId,
    actorUserId: a.kind === 'session' ? a.userId : null,
    actorApiKeyId: a.kind === 'api_key' ? a.apiKeyId : null,
    actorLabel: a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label,
    action: e.action,
    provider: e.provider,
    outcome: e.outcome,
    detail: e.detail ?? null,
  });
}

export const listAudit = audit.listAuditEvents;
