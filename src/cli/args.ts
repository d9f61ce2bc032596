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

/** One line, as every error of this CLI: a multi-line message (a configuration error, commander's) is joined. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .reduce(
      (line, part) =>
        line === '' ? part : `${line}${line.endsWith(':') || part.startsWith('(') ? ' ' : '; '}${part}`,
      '',
    );
}

interface OptionLike {
  long?: string | undefined;
  short?: string | undefined;
  required: boolean;
  optional: boolean;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short strings. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/**
 * The first option in `args` that `options` does not know, as commander words it ("unknown option '--provdier'
 * (Did you mean --provider?)"), or undefined. A value in the argument after an option that takes one is that
 * option's, whatever it looks like.
 */
export function unknownOptionIn(options: readonly OptionLike[], args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') continue;
    const isLong = arg.startsWith('--');
    const flag = isLong ? (arg.split('=')[0] ?? arg) : arg.slice(0, 2);
    const option = options.find((o) => o.long === flag || o.short === flag);
    if (!option) {
      const near = isLong
        ? options
            .map((o) => o.long)
            .filter((l): l is string => l !== undefined)
            .map((l) => ({ l, d: distance(flag.slice(2), l.slice(2)) }))
            .filter(({ l, d }) => d <= Math.max(1, Math.floor((l.length - 2) * 0.4)))
            .sort((x, y) => x.d - y.d)[0]
        : undefined;
      return `unknown option '${flag}'${near ? ` (Did you mean ${near.l}?)` : ''}`;
    }
    const inline = isLong ? arg.includes('=') : arg.length > 2;
    if (option.required && !inline) i++;
    else if (option.optional && !inline && !(args[i + 1] ?? '-').startsWith('-')) i++;
  }
  return undefined;
}
