import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { randomToken } from '../lib/crypto.ts';

const SecretsSchema = z.object({ pgPassword: z.string().min(16), authSecret: z.string().min(32) });
export type DataDirSecrets = z.infer<typeof SecretsSchema>;

/**
 * Secrets the embedded quick start generates on first run so nothing needs configuring. File mode 0600: only the
 * owner of the process reads them. Production sets DATABASE_URL and DESKPULSE_AUTH_SECRET instead.
 */
export async function loadOrCreateDataDirSecrets(
  dataDir: string,
): Promise<{ secrets: DataDirSecrets; created: boolean }> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    return { secrets: SecretsSchema.parse(JSON.parse(readFileSync(file, 'utf8'))), created: false };
  }
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const secrets: DataDirSecrets = { pgPassword: randomToken(24), authSecret: randomToken(32) };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(
    async (e: unknown) => {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    },
  );
  return { secrets: SecretsSchema.parse(JSON.parse(readFileSync(file, 'utf8'))), created: true };
}
