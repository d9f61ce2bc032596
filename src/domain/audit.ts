import type { AUDIT_ACTIONS } from '../contracts/audit.ts';
import type { Db } from '../db/client.ts';
import * as audit from '../db/repositories/audit.ts';
import type { ProviderId } from '../providers/types.ts';
import type { Principal } from './roles.ts';

export type AuditEvent = audit.AuditEvent;
export type AuditTarget = audit.AuditTarget;
/** The actions are the API's vocabulary (src/contracts/audit.ts), so `GET /audit?action=` can name them. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it: a person, a workspace API key, or Deskpulse itself (background refresh, CLI). */
export type Actor = Principal | { kind: 'system'; label: string };

export const actorLabel = (a: Actor): string =>
  a.kind === 'session' ? a.email : a.kind === 'api_key' ? `api key ${a.apiKeyId}` : a.label;

export async function recordAudit(
  db: Db,
  e: {
    workspaceId: string;
    actor: Actor;
    action: AuditAction;
    provider: ProviderId | null;
    outcome: string;
    detail?: string;
    /** What the action was done to, when it is not the workspace or a connection (`provider` says which). */
    target?: AuditTarget;
  },
): Promise<void> {
  const a = e.actor;
  await audit.insertAuditEvent(db, {
    workspaceId: e.workspaceId,
    actorUserId: a.kind === 'session' ? a.userId : null,
    actorApiKeyId: a.kind === 'api_key' ? a.apiKeyId : null,
    actorLabel: actorLabel(a),
    action: e.action,
    provider: e.provider,
    outcome: e.outcome,
    detail: e.detail ?? null,
    target: e.target ?? null,
  });
}

/**
 * One page of the workspace's log, newest first, and the cursor of the next (null at the end). Filters: any of
 * `actions`, an actor (user id, API key id or email), events at or after `since`.
 */
export async function listAudit(
  db: Db,
  workspaceId: string,
  options: {
    limit: number;
    before?: string | undefined;
    actions?: AuditAction[] | undefined;
    actor?: string | undefined;
    since?: Date | undefined;
  },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const rows = await audit.listAuditEvents(db, workspaceId, { ...options, limit: options.limit + 1 });
  const events = rows.slice(0, options.limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > options.limit && last ? last.id : null };
}
