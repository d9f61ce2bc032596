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
