import type { ColumnType, Generated } from 'kysely';

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
  created_by_user_id: string | null;
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

export interface Database {
  workspaces: WorkspacesTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  invites: InvitesTable;
  auth_user: AuthUserTable;
}
