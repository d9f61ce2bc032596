import type { ConnectionStatus, LastErrorKind, ProviderId, RefreshStatus } from '../../schema.ts';

/**
 * The helpdesk_connections repository, split by operation (this file: the row and its mapping;
 * credentials.ts: the only code that seals or opens a helpdesk credential; health.ts: refresh outcomes;
 * schedule.ts: slots, sweeps and idle checks). `Connection` (what everything else sees)
 * carries no secret; `ConnectionSecrets` exists only between a decrypt here and an HTTP call in providers/.
 */
export interface Connection {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  authType: 'oauth' | 'token';
  status: ConnectionStatus;
  params: Record<string, string>;
  accountId: string | null;
  accountName: string | null;
  isSandbox: boolean;
  hasRefreshToken: boolean;
  accessTokenExpiresAt: Date | null;
  encryptionKeyId: string;
  connectedAt: Date;
  connectedByUserId: string | null;
  tokenRefreshedAt: Date | null;
  lastRefreshedAt: Date | null;
  lastRefreshStatus: RefreshStatus | null;
  lastError: string | null;
  /** Which step failed last (token refresh, metrics refresh, idle check); null when nothing is failing. */
  lastErrorKind: LastErrorKind | null;
  /** Per-connection override of the hourly schedule; null = the default. */
  refreshIntervalMinutes: number | null;
  nextRefreshAt: Date;
  /** Start of the current run of failed refreshes (null after a success). */
  failingSince: Date | null;
  consecutiveFailures: number;
}

export interface ConnectionSecrets {
  accessToken: string;
  refreshToken: string | undefined;
}

export const COLUMNS = [
  'id',
  'workspace_id',
  'provider',
  'auth_type',
  'status',
  'params',
  'account_id',
  'account_name',
  'is_sandbox',
  'refresh_token_ct',
  'access_token_expires_at',
  'encryption_key_id',
  'connected_at',
  'connected_by_user_id',
  'token_refreshed_at',
  'last_refreshed_at',
  'last_refresh_status',
  'last_error',
  'last_error_kind',
  'refresh_interval_minutes',
  'next_refresh_at',
  'failing_since',
  'consecutive_failures',
] as const;

export type Row = {
  id: string;
  workspace_id: string;
  provider: ProviderId;
  auth_type: 'oauth' | 'token';
  status: ConnectionStatus;
  params: Record<string, string>;
  account_id: string | null;
  account_name: string | null;
  is_sandbox: boolean;
  refresh_token_ct: string | null;
  access_token_expires_at: Date | null;
  encryption_key_id: string;
  connected_at: Date;
  connected_by_user_id: string | null;
  token_refreshed_at: Date | null;
  last_refreshed_at: Date | null;
  last_refresh_status: RefreshStatus | null;
  last_error: string | null;
  last_error_kind: LastErrorKind | null;
  refresh_interval_minutes: number | null;
  next_refresh_at: Date;
  failing_since: Date | null;
  consecutive_failures: number;
};

export const toConnection = (r: Row): Connection => ({
  id: r.id,
  workspaceId: r.workspace_id,
  provider: r.provider,
  authType: r.auth_type,
  status: r.status,
  params: r.params,
  accountId: r.account_id,
  accountName: r.account_name,
  isSandbox: r.is_sandbox,
  hasRefreshToken: r.refresh_token_ct !== null,
  accessTokenExpiresAt: r.access_token_expires_at,
  encryptionKeyId: r.encryption_key_id,
  connectedAt: r.connected_at,
  connectedByUserId: r.connected_by_user_id,
  tokenRefreshedAt: r.token_refreshed_at,
  lastRefreshedAt: r.last_refreshed_at,
  lastRefreshStatus: r.last_refresh_status,
  lastError: r.last_error,
  lastErrorKind: r.last_error_kind,
  refreshIntervalMinutes: r.refresh_interval_minutes,
  nextRefreshAt: r.next_refresh_at,
  failingSince: r.failing_since,
  consecutiveFailures: r.consecutive_failures,
});
