#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/deskpulse.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('deskpulse: error: not built yet: run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
await import(entry.href);
