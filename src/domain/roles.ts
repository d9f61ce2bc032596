import type { WorkspaceRole } from '../db/schema.ts';

export type { WorkspaceRole };

/**
 * The minimum a route demands. `public`: anyone; `authenticated`: any signed-in person or API key, with or without a workspace;
 * `member` / `admin` / `owner`: that role or higher in the caller's workspace
 * (https://docs.forepost.ai/help/teammates).
 */
export type MinRole = 'public' | 'authenticated' | WorkspaceRole;

const RANK: Record<WorkspaceRole, number> = { member: 1, admin: 2, owner: 3 };

export function hasRole(actual: WorkspaceRole, required: WorkspaceRole): boolean {
  return RANK[actual] >= RANK[required];
}

export type Principal =
  | { kind: 'api_key'; apiKeyId: string; userId: null; workspaceId: string; role: WorkspaceRole }
  | {
      kind: 'session';
      apiKeyId: null;
      userId: string;
      email: string;
      workspaceId: string | null;
      role: WorkspaceRole | null;
    };

/** A principal that has a workspace (what `member` and above guarantee to a handler). */
export type WorkspacePrincipal = Principal & { workspaceId: string; role: WorkspaceRole };
