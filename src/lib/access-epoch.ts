let epoch = 0;

/**
 * This process's count of changes to who may do what: a session ended, a membership was added, changed or
 * removed, an API key revoked. Caches of authentication and membership (TtlCache's `epoch`) drop everything when
 * it moves, so such a change is seen at once by the process that made it; other processes see it when their
 * entries expire (ARCHITECTURE.md, "API keys").
 */
export const accessEpoch = (): number => epoch;

export function accessChanged(): void {
  epoch++;
}
