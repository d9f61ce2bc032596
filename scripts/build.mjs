// Compiles the service and CLI into dist/ (plain JavaScript, one bundle plus lazily loaded chunks), so
// `npm start` and `npx deskpulse` never run TypeScript through tsx. Runs as `npm run build` and from `prepare`
// (every `npm ci`); the test setup runs it too, so CLI tests exercise what ships.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist');

await rm(out, { recursive: true, force: true });
await build({
  entryPoints: { deskpulse: path.join(root, 'src/cli/main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm packages load from node_modules as usual; only our code is bundled.
  packages: 'external',
  sourcemap: true,
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
// Files read at run time next to the code that reads them (src/db/migrate.ts, emulators/plain/graphql.ts).
await mkdir(path.join(out, 'migrations'));
await cp(path.join(root, 'src/db/migrations'), path.join(out, 'migrations'), { recursive: true });
await cp(path.join(root, 'emulators/plain/plain-schema.graphql'), path.join(out, 'plain-schema.graphql'));
