import type { ColumnType, Generated } from 'kysely';
import type { ProviderId } from '../metrics/helpdesks.ts';

export type { ProviderId } from '../metrics/helpdesks.ts';

export type WorkspaceRole = 'owner' | 'admin' | 'member';
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface WorkspacesTable {
  id: string;
  name: string;
  timezone: Generated<string>;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: WorkspaceRole;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  role: WorkspaceRole;
  secret_hash: string;
  created_by_kind: 'user' | 'api_key' | 'system';
  created_by_user_id: string | null;
  created_by_api_key_id: string | null;
  created_by_label: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface InvitesTable {
  id: string;
  workspace_id: string;
  role: WorkspaceRole;
  token_hash: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by_user_id: string | null;
  revoked_at: Date | null;
}

export interface AuthUserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  createdAt: CreatedAt;
}

export type ConnectionStatus = 'ok' | 'needs_reauth' | 'degraded';
export type RefreshStatus =
  'ok' | 'unauthorized' | 'rate_limited' | 'upstream_unavailable' | 'unexpected_response';

/** Which step failed last: the token refresh, a metrics refresh, or the idle check. */
export type LastErrorKind = 'token_refresh' | 'metrics_refresh' | 'idle_check';

export interface HelpdeskConnectionsTable {
  id: string;
  workspace_id: string;
  provider: ProviderId;
  auth_type: 'oauth' | 'token';
  status: Generated<ConnectionStatus>;
  params: ColumnType<Record<string, string>, string | undefined, string>;
  account_id: string | null;
  account_name: string | null;
  is_sandbox: Generated<boolean>;
  encryption_key_id: string;
  access_token_ct: string;
  refresh_token_ct: string | null;
  access_token_expires_at: Date | null;
  scope: string | null;
  connected_at: Generated<Date>;
  connected_by_user_id: string | null;
  token_refreshed_at: Date | null;
  last_refreshed_at: Date | null;
  last_refresh_status: RefreshStatus | null;
  last_error: string | null;
  last_error_kind: LastErrorKind | null;
  updated_at: Generated<Date>;
  refresh_interval_minutes: number | null;
  next_refresh_at: Generated<Date>;
  failing_since: Date | null;
  consecutive_failures: Generated<number>;
  touched_at: Date | null;
}

export interface OAuthStatesTable {
  state_hash: string;
  workspace_id: string;
  provider: ProviderId;
  user_id: string | null;
  api_key_id: string | null;
  params: ColumnType<Record<string, string>, string, never>;
  code_verifier_ct: string | null;
  redirect_uri: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface AuditEventsTable {
  id: Generated<string>;
  workspace_id: string;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_label: string;
  action: string;
  provider: ProviderId | null;
  outcome: string;
  detail: string | null;
  target_kind: string | null;
  target_id: string | null;
  target_label: string | null;
}

export interface SignInFailuresTable {
  id: Generated<string>;
  account_hash: string;
  address: string;
  at: CreatedAt;
}

export type RefreshState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed';
/**
 * Why a refresh attempt failed: a helpdesk call's error (src/providers/types.ts ProviderError), the connection
 * gone (`not_found`), or the worker that ran it stopped (`worker_lost`).
 */
export type RefreshErrorCode =
  | 'unauthorized'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'unexpected_response'
  | 'not_found'
  | 'worker_lost';

export interface MetricRefreshesTable {
  id: string;
  workspace_id: string;
  provider: ProviderId;
  state: Generated<RefreshState>;
  requested_by: string;
  history_weeks: number;
  progress_done: Generated<number>;
  progress_total: number | null;
  queued_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  error_code: RefreshErrorCode | null;
  error_detail: string | null;
  trigger: Generated<'manual' | 'schedule'>;
  slot: Date | null;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  provider_calls: Generated<number>;
  rate_limited_calls: Generated<number>;
  heartbeat_at: Date | null;
  job_id: string | null;
}

export interface MetricSourcesTable {
  id: string;
  workspace_id: string;
  kind: 'connection' | 'import';
  provider: ProviderId | null;
  account_id: string | null;
  account_name: string | null;
  connection_id: string | null;
  is_sandbox: Generated<boolean>;
  created_at: CreatedAt;
  ended_at: Date | null;
  end_reason: 'disconnected' | 'account_changed' | 'superseded' | null;
  format: ImportFormat | null;
  agents: ColumnType<{ id: string; name: string }[] | null, string | null, string | null>;
  covers_from: Date | null;
  continues_id: string | null;
  import_id: string | null;
}

export type ImportFormat = 'zendesk' | 'intercom' | 'front' | 'generic';

export interface ImportsTable {
  id: string;
  workspace_id: string;
  source_id: string | null;
  format: ImportFormat | null;
  state: 'succeeded' | 'failed' | 'dry_run';
  file_name: string | null;
  bytes: Generated<number>;
  parts: Generated<number>;
  rows_read: Generated<number>;
  rows_accepted: Generated<number>;
  rows_rejected: Generated<number>;
  rows_duplicate: Generated<number>;
  timezone: string | null;
  as_of: Date | null;
  period_from: Date | null;
  period_to: Date | null;
  metrics: ColumnType<Record<string, number | null> | null, string | null, string | null>;
  not_measured: ColumnType<Record<string, string> | null, string | null, string | null>;
  notes: ColumnType<Record<string, string> | null, string | null, string | null>;
  row_errors: ColumnType<unknown[], string | undefined, string>;
  error_code: string | null;
  error_message: string | null;
  requested_by: string;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface ImportLedgerChunksTable {
  source_id: string;
  seq: number;
  tickets: number;
  data: Buffer;
}

export interface MetricSnapshotsTable {
  workspace_id: string;
  source_id: string;
  provider: ProviderId | null;
  period: string;
  measured_at: Date;
  window_from: Date | null;
  window_to: Date | null;
  csat_from: Date | null;
  metrics: ColumnType<Record<string, number | null>, string, string>;
  not_measured: ColumnType<Record<string, string>, string, string>;
  notes: ColumnType<Record<string, string>, string | undefined, string>;
  agents: ColumnType<unknown[] | null, string | null, string | null>;
  refresh_id: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  workspace_id: string;
  url: string;
  events: string[];
  encryption_key_id: string;
  secret_ct: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
}

export type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed';

/** One entry of a delivery's log (`webhook_deliveries.attempts`). */
export interface WebhookAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  workspace_id: string;
  event_id: string;
  event_type: string;
  body: string;
  state: Generated<WebhookDeliveryState>;
  attempts: ColumnType<WebhookAttempt[], string | undefined, string>;
  attempt_count: Generated<number>;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  created_at: CreatedAt;
  delivered_at: Date | null;
}

export interface Database {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  metric_refreshes: MetricRefreshesTable;
  metric_sources: MetricSourcesTable;
  imports: ImportsTable;
  import_ledger_chunks: ImportLedgerChunksTable;
  metric_snapshots: MetricSnapshotsTable;
  helpdesk_connections: HelpdeskConnectionsTable;
  oauth_states: OAuthStatesTable;
  audit_events: AuditEventsTable;
  sign_in_failures: SignInFailuresTable;
  workspaces: WorkspacesTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  invites: InvitesTable;
  auth_user: AuthUserTable;
}
