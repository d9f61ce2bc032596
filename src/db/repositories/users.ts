import type { Db } from '../client.ts';

export interface User {
  id: string;
  email: string;
  name: string;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db
    .selectFrom('auth_user')
    .select(['id', 'email', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('auth_user').select(['id', 'email', 'name']).where('id', '=', id).executeTakeFirst();
}

/** Removes an account with its sessions and credentials (better-auth's tables cascade). */
export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('auth_user').where('id', '=', id).execute();
}
