import { sql } from 'kysely';
import type { Db } from '../client.ts';

/**
 * The failed sign-ins of the sliding-window limiter (src/domain/sign-in-guard.ts), shared by every API process
 * through Postgres. `accountHash` is a hash of the normalised email; the email itself is never stored.
 */
export interface SignInKey {
  accountHash: string;
  address: string;
}

export type Reservation =
  | { ok: true; id: string }
  /** `retryAt`: when enough failures will have left the window for one more attempt. */
  | { ok: false; retryAt: Date; by: 'account' | 'address' };

/**
 * Counts the failures of the account and of the address within the window and, when both are under their
 * limits, records this attempt as one more (deleted again by `forgiveAttempt` if the password turns out right).
 * Transaction-scoped advisory locks on the two keys make check-and-record atomic across processes, so fifty
 * parallel guesses cannot all slip under a limit of ten.
 */
export async function reserveAttempt(
  db: Db,
  key: SignInKey,
  limits: { windowSeconds: number; perAccount: number; perAddress: number },
): Promise<Reservation> {
  return db.transaction().execute(async (trx) => {
    // The database's clock, so API processes on different hosts measure the window alike.
    const { now } = (await sql<{ now: Date }>`select now() as now`.execute(trx)).rows[0] ?? {
      now: new Date(),
    };
    const since = new Date(now.getTime() - limits.windowSeconds * 1000);
    // One lock per key, taken in a fixed order so two attempts never wait on each other crosswise.
    const locks = [`sign-in account ${key.accountHash}`, `sign-in address ${key.address}`].sort();
    for (const lock of locks)
      await sql`select pg_advisory_xact_lock(hashtextextended(${lock}, 0))`.execute(trx);
    // Failures that left the window no longer count; forgetting them here keeps the busy keys' rows few.
    await trx
      .deleteFrom('sign_in_failures')
      .where('at', '<', since)
      .where((eb) => eb.or([eb('account_hash', '=', key.accountHash), eb('address', '=', key.address)]))
      .execute();
    /** When the `limit`-th newest failure of a key leaves the window; undefined while the key is under it. */
    const blockedUntil = async (column: 'account_hash' | 'address', value: string, limit: number) => {
      const row = await trx
        .selectFrom('sign_in_failures')
        .select('at')
        .where(column, '=', value)
        .where('at', '>=', since)
        .orderBy('at', 'desc')
        .offset(limit - 1)
        .limit(1)
        .executeTakeFirst();
      return row && new Date(row.at.getTime() + limits.windowSeconds * 1000);
    };
    const account = await blockedUntil('account_hash', key.accountHash, limits.perAccount);
    const address = await blockedUntil('address', key.address, limits.perAddress);
    if (account || address) {
      const by = account && (!address || account >= address) ? 'account' : 'address';
      const retryAt = by === 'account' ? account : address;
      return { ok: false, retryAt: retryAt ?? now, by };
    }
    const row = await trx
      .insertInto('sign_in_failures')
      .values({ account_hash: key.accountHash, address: key.address, at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true, id: String(row.id) };
  });
}

/**
 * The attempt was a success: it is not a failure, and the account's earlier failures from the same address are
 * forgiven (a typo or two). Failures from other addresses stay: the owner signing in must not reset the count
 * of someone guessing at the account from elsewhere.
 */
export async function forgiveAttempt(db: Db, id: string, key: SignInKey): Promise<void> {
  await db
    .deleteFrom('sign_in_failures')
    .where((eb) =>
      eb.or([
        eb('id', '=', id),
        eb.and([eb('account_hash', '=', key.accountHash), eb('address', '=', key.address)]),
      ]),
    )
    .execute();
}

/** An operator set the account's password: its failures from every address are forgotten (the lock lifts). */
export async function forgetAccountFailures(db: Db, accountHash: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('account_hash', '=', accountHash).execute();
}

/** The daily prune: failures older than any window (at most a day) are noise. */
export async function deleteFailuresBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('sign_in_failures').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
