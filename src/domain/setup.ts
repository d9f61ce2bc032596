import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { deleteUser } from '../db/repositories/users.ts';
import { AppError } from '../lib/app-error.ts';
import { createWorkspace, type Workspace } from './workspaces.ts';

/*
 * First-run setup, as Grafana and Metabase do it: while no workspace exists, the dashboard asks for a workspace
 * name and its owner's email and password, and signs the owner in. After that, people join by invite.
 */

export async function isSetUp(db: Db): Promise<boolean> {
  const row = await db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Refuses setup once a workspace exists (the API answers 409 then). */
export async function assertNotSetUp(db: Db): Promise<void> {
  if (await isSetUp(db)) {
    throw new AppError('conflict', 'Deskpulse is already set up: sign in, or ask an admin for an invite');
  }
}

/**
 * The first workspace, owned by the account just created. Serialised, so two setups racing make one workspace:
 * the loser's account is removed again and it gets the 409.
 */
export async function createFirstWorkspace(
  db: Db,
  input: { name: string; ownerUserId: string },
): Promise<Workspace> {
  const created = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('deskpulse first-run setup'))`.execute(trx);
    if (await isSetUp(trx)) return null;
    return createWorkspace(trx, input);
  });
  if (created === null) {
    await deleteUser(db, input.ownerUserId);
    throw new AppError('conflict', 'Deskpulse was set up by someone else meanwhile: sign in instead');
  }
  return created;
}
