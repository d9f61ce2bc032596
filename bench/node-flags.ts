import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * What `deskpulse` runs with in production: the environment assignments and node flags of bin/deskpulse.js's
 * `#!/usr/bin/env -S NAME=VALUE … node --flag …` line (`npm start` and `npx deskpulse` execute the file). A bench that
 * starts the server as `node <flags> bin/deskpulse.js serve` with that environment measures what ships.
 * BENCH_NODE_FLAGS="…" replaces the flags, BENCH_NODE_ENV="NAME=VALUE …" the assignments (an A/B run; empty: none).
 */
const shebang = /^#!\/usr\/bin\/env -S ((?:\w+=\S+ )*)node((?: --[\w-]+(?:=\S+)?)*)/.exec(
  readFileSync(path.resolve('bin/deskpulse.js'), 'utf8'),
);
if (!shebang && (process.env.BENCH_NODE_FLAGS === undefined || process.env.BENCH_NODE_ENV === undefined)) {
  // A bench that quietly ran without them would measure something that does not ship.
  throw new Error('bin/deskpulse.js: its #! line is not `#!/usr/bin/env -S [NAME=VALUE …] node [--flag …]`');
}
const words = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean);

export const DESKPULSE_NODE_FLAGS: string[] = words(process.env.BENCH_NODE_FLAGS ?? shebang?.[2]);

export const DESKPULSE_NODE_ENV: Record<string, string> = Object.fromEntries(
  words(process.env.BENCH_NODE_ENV ?? shebang?.[1]).map((a) => {
    const m = /^(\w+)=(.*)$/.exec(a);
    if (!m) throw new Error(`BENCH_NODE_ENV: ${a} is not NAME=VALUE`);
    return [m[1] as string, m[2] as string];
  }),
);

/** How a bench's summary names the server it ran. */
export const serverCommand = (extra = ''): string =>
  [
    ...Object.entries(DESKPULSE_NODE_ENV).map(([k, v]) => `${k}=${v}`),
    'node',
    ...DESKPULSE_NODE_FLAGS,
    'bin/deskpulse.js serve',
    extra,
  ]
    .filter(Boolean)
    .join(' ');

/** `--cpu-prof` into BENCH_CPU_PROF=<dir> when it is set: the server's profile is left there. */
export const CPU_PROF_FLAGS: string[] = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
  : [];
