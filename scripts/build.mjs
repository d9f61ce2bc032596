// Compiles the service and CLI into dist/ (plain JavaScript, one bundle plus lazily loaded chunks), so
// `npm start` and `npx deskpulse` never run TypeScript through tsx, and builds the dashboard (web/) into
// dist/web with a gzip and a brotli copy of every text asset, served by src/http/web.ts. Runs as `npm run build`
// and from `prepare` (every `npm ci`); the test setup runs it too, so tests exercise what ships.
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { build as buildWeb } from 'vite';

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

await buildWeb({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
for (const entry of await readdir(path.join(out, 'web'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath, entry.name);
  const body = await readFile(file);
  await writeFile(`${file}.gz`, await gzip(body, { level: 9 }));
  await writeFile(
    `${file}.br`,
    await brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  );
}
