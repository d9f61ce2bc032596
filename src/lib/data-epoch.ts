let epoch = 0;

/**
 * This process's count of writes to the database: every statement other than a read that completes on a pool
 * made by `createPool` (src/db/client.ts), a transaction's COMMIT included, moves it. The read cache
 * (src/http/read-cache.ts) drops everything when it moves, so the process that changed something reads its own
 * write at once; other processes see it when their entries expire (ARCHITECTURE.md, "Hot reads").
 */
export const dataEpoch = (): number => epoch;

export function dataChanged(): void {
  epoch++;
}

const READ_VERBS = new Set(['select', 'begin', 'rollback', 'show', 'set']);

/**
 * Whether a statement can change what a later read sees: anything but one plain read or a transaction's start
 * or rollback. A `WITH` query may write, and so may a string of several statements: both count as writes.
 */
export function mayWrite(sql: string): boolean {
  const verb = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase();
  return verb === undefined || !READ_VERBS.has(verb) || /;\s*\S/.test(sql);
}
