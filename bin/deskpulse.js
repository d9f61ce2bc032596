#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=4 --heap-growing-percent=20
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
// What this line sets keeps a streaming CSV import's resident memory flat (ARCHITECTURE.md, "CSV import"): glibc's
// malloc serves every block of 128 KiB or more with its own mapping, returned to the system when freed (its
// default raises that threshold as large blocks are freed, and a freed block then stays in the process's heap);
// a 4 MB young generation instead of 16 MB; and a full GC once the old generation has grown by 20 % rather than
// by a multiple of itself. bench/csv and bench/api start the server with these same settings, read from this line
// (bench/node-flags.ts); `npm start` runs this file directly.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/deskpulse.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('deskpulse: error: not built yet: run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
// Read by malloc when this process started; the processes it starts (Postgres, above all) keep their own default.
delete process.env.MALLOC_MMAP_THRESHOLD_;
await import(entry.href);
