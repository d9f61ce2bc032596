#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=20
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
// The V8 flags keep a streaming CSV import's resident memory flat (ARCHITECTURE.md, "CSV import"): a 2 MB
// young generation instead of 16 MB, and a full GC once the old generation has grown by 20 % rather than by a
// multiple of itself, as Postgres' answers (strings) and parse garbage pass through. bench/csv and bench/api start
// the server with these same flags, read from this line (bench/node-flags.ts); `npm start` runs this file directly.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/deskpulse.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('deskpulse: error: not built yet: run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
await import(entry.href);
