import type { Db } from '../client.ts';

export interface Workspace {
  id: string;
  name: string;
  timezone: string;
  createdAt: Date;
}

export async function insertWorkspace(db: Db, row: { id: string; name: string }): Promise<Workspace> {
  const r = await db.insertInto('workspaces').values(row).returningAll().executeTakeFirstOrThrow();
  return { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}

export async function findWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  const r = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}

/** Every workspace, oldest first (the CLI's `workspace list`). */
export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at }));
}

export async function updateWorkspace(
  db: Db,
  id: string,
  patch: { name?: string; timezone?: string },
): Promise<Workspace> {
  const r = await db
    .updateTable('workspaces')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: r.id, name: r.name, timezone: r.timezone, createdAt: r.created_at };
}
