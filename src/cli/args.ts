import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';

/** Validates a flag with zod and reports the flag's own words on failure. */
export const parseWith =
  <T>(schema: z.ZodType<T>) =>
  (value: string): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? 'invalid value');
    return r.data;
  };
