import { sql, type RawBuilder } from 'kysely';
import type { Keyring } from '../lib/keyring.ts';
import type { Db } from './client.ts';

/**
 * A table holding sealed secrets: which columns are ciphertexts, and the associated data each was sealed with.
 * Every ciphertext names its own key (`v1.<keyId>.…`, src/lib/keyring.ts), so rotation selects per field: a row
 * whose access token is under the new key but whose kept refresh token is not still counts as not rotated.
 */
export interface SealedTable {
  table: 'helpdesk_connections' | 'webhook_endpoints' | 'oauth_states';
  /** Primary key column. */
  id: string;
  /** Columns the associated data is built from (the id included). */
  context: string[];
  fields: { column: string; aad: (row: Record<string, string>) => string }[];
  /** A column summarising the key of the row's fields, kept up to date for queries and tests; optional. */
  keyColumn?: string;
}

const keyOf = (column: string): RawBuilder<string> => sql<string>`split_part(${sql.ref(column)}, '.', 2)`;

/** Per key id: how many rows have at least one field sealed under it. */
export async function countSealedByKey(db: Db, t: SealedTable): Promise<Record<string, number>> {
  const parts = t.fields.map(
    (f) =>
      sql`select ${sql.ref(t.id)} as id, ${keyOf(f.column)} as k from ${sql.table(t.table)}
        where ${sql.ref(f.column)} is not null`,
  );
  const r = await sql<{ k: string; n: string }>`select k, count(distinct id) as n
    from (${sql.join(parts, sql` union all `)}) as sealed group by k`.execute(db);
  return Object.fromEntries(r.rows.map((row) => [row.k, Number(row.n)]));
}

/**
 * Re-seals, under the current key, every field of up to `limit` rows that has one sealed by another key. Rows
 * another transaction holds (a token refresh in flight) are skipped for a later batch. Returns the rows done.
 */
export async function resealBatch(db: Db, keyring: Keyring, t: SealedTable, limit: number): Promise<number> {
  const current = keyring.currentKeyId;
  const stale = sql.join(
    t.fields.map((f) => sql`(${sql.ref(f.column)} is not null and ${keyOf(f.column)} <> ${current})`),
    sql` or `,
  );
  const columns = [...new Set([...t.context, ...t.fields.map((f) => f.column)])];
  return db.transaction().execute(async (trx) => {
    const rows = await sql<Record<string, string | null>>`select ${sql.join(columns.map((c) => sql.ref(c)))}
      from ${sql.table(t.table)} where ${stale} limit ${limit} for update skip locked`.execute(trx);
    for (const row of rows.rows) {
      const context = row as Record<string, string>;
      const sets = t.fields.flatMap((f) => {
        const ct = row[f.column];
        if (ct === null || ct === undefined || keyring.keyIdOf(ct) === current) return [];
        const aad = f.aad(context);
        return [sql`${sql.ref(f.column)} = ${keyring.encrypt(keyring.decrypt(ct, aad), aad)}`];
      });
      if (t.keyColumn) sets.push(sql`${sql.ref(t.keyColumn)} = ${current}`);
      await sql`update ${sql.table(t.table)} set ${sql.join(sets)}
        where ${sql.ref(t.id)} = ${context[t.id]}`.execute(trx);
    }
    return rows.rows.length;
  });
}
