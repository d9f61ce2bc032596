import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node flags `deskpulse` runs with in production: those of bin/deskpulse.js's `#!/usr/bin/env -S node …`
 * line (`npm start` and `npx deskpulse` execute the file). A bench that starts the server as
 * `node <flags> bin/deskpulse.js serve` measures what ships. BENCH_NODE_FLAGS="…" replaces them (an A/B run;
 * empty: none).
 */
export const DESKPULSE_NODE_FLAGS: string[] = (
  process.env.BENCH_NODE_FLAGS ??
  /^#!.*\bnode((?: --[\w-]+(?:=\S+)?)*)/.exec(readFileSync(path.resolve('bin/deskpulse.js'), 'utf8'))?.[1] ??
  ''
)
  .split(' ')
  .filter(Boolean);

/** `--cpu-prof` into BENCH_CPU_PROF=<dir> when it is set: the server's profile is left there. */
export const CPU_PROF_FLAGS: string[] = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
  : [];
