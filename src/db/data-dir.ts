import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { randomToken } from '../lib/crypto.ts';
import { generateKey, type KeySource, parseKeyring } from '../lib/keyring.ts';

const SecretsSchema = z.object({
  pgPassword: z.string().min(16),
  authSecret: z.string().min(32),
  encryptionKeys: z.string().min(1).optional(),
});
export type DataDirSecrets = z.infer<typeof SecretsSchema> & { encryptionKeys: string };

const fileOf = (dataDir: string) => path.join(dataDir, 'secrets.json');

function readSecrets(dataDir: string): z.infer<typeof SecretsSchema> {
  return SecretsSchema.parse(JSON.parse(readFileSync(fileOf(dataDir), 'utf8')));
}

/** Atomic replace, so a reader never sees half a file. */
function writeSecrets(dataDir: string, secrets: DataDirSecrets): void {
  const tmp = `${fileOf(dataDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  renameSync(tmp, fileOf(dataDir));
}

/**
 * Secrets the embedded quick start generates on first run so nothing needs configuring: the database password,
 * the session secret and the token encryption keyring. File mode 0600. Production sets DATABASE_URL,
 * DESKPULSE_AUTH_SECRET and DESKPULSE_ENCRYPTION_KEYS instead.
 */
export async function loadOrCreateDataDirSecrets(
  dataDir: string,
): Promise<{ secrets: DataDirSecrets; created: string[] }> {
  const file = fileOf(dataDir);
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    const fresh = { pgPassword: randomToken(24), authSecret: randomToken(32) };
    await writeFile(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' }).catch((e: unknown) => {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  }
  const created: string[] = [];
  const current = readSecrets(dataDir);
  if (!current.encryptionKeys) {
    writeSecrets(dataDir, { ...current, encryptionKeys: generateKey('k1') });
    created.push('encryptionKeys');
  }
  const secrets = readSecrets(dataDir);
  if (!secrets.encryptionKeys) throw new Error('data dir secrets lost their encryption keys');
  return { secrets: { ...secrets, encryptionKeys: secrets.encryptionKeys }, created };
}

/** Puts a new current key in front of the data dir's keyring (older keys stay for decryption). */
export function addDataDirKey(dataDir: string): string {
  const secrets = readSecrets(dataDir);
  const existing = secrets.encryptionKeys ? parseKeyring(secrets.encryptionKeys) : [];
  let n = existing.length + 1;
  while (existing.some((k) => k.id === `k${n}`)) n++;
  const key = generateKey(`k${n}`);
  writeSecrets(dataDir, {
    ...secrets,
    encryptionKeys: [key, secrets.encryptionKeys].filter(Boolean).join(','),
  });
  return `k${n}`;
}

/**
 * Removes a key from the data dir's keyring (`deskpulse keys retire`): never the current one, and only once no
 * row is sealed under it (the caller checks). Running processes drop it at their next encryption.
 */
export function retireDataDirKey(dataDir: string, id: string): void {
  const secrets = readSecrets(dataDir);
  const keys = secrets.encryptionKeys ? parseKeyring(secrets.encryptionKeys) : [];
  if (!keys.some((k) => k.id === id)) throw new Error(`no key ${id} in ${fileOf(dataDir)}`);
  if (keys[0]?.id === id) throw new Error(`${id} is the current key`);
  const kept = secrets.encryptionKeys
    ?.split(',')
    .map((s) => s.trim())
    .filter((pair) => pair && pair.slice(0, pair.indexOf(':')) !== id)
    .join(',');
  if (!kept) throw new Error('the keyring would be empty');
  writeSecrets(dataDir, { ...secrets, encryptionKeys: kept });
}

/** Lets a running process pick up a key added by `deskpulse keys rotate --new-key` (checked by file mtime). */
export function dataDirKeySource(dataDir: string): KeySource {
  let seen = statSync(fileOf(dataDir)).mtimeMs;
  return {
    changed: () => {
      const mtime = statSync(fileOf(dataDir)).mtimeMs;
      if (mtime === seen) return undefined;
      seen = mtime;
      const spec = readSecrets(dataDir).encryptionKeys;
      return spec ? parseKeyring(spec) : undefined;
    },
  };
}

/** Whether the data dir holds a Deskpulse database: the embedded cluster and the secrets that open it. */
export function hasDataDirDatabase(dataDir: string): boolean {
  return existsSync(fileOf(dataDir)) && existsSync(path.join(dataDir, 'pg', 'PG_VERSION'));
}

const ServerSchema = z.object({ pid: z.number().int(), url: z.string(), publicUrl: z.string() });
/** A `deskpulse serve` running on this data dir, as it recorded itself (`<dataDir>/servers/<pid>.json`). */
export type RunningServer = z.infer<typeof ServerSchema>;

/** One record per serving process: a second `serve` on the data dir neither overwrites nor removes the first's. */
const serversDirOf = (dataDir: string) => path.join(dataDir, 'servers');

/**
 * Records the serving process beside Postgres's own postmaster.pid, so commands run on the same data dir find it
 * (the CLI reaches the sandbox helpdesks inside it). Returns the cleanup for its shutdown.
 */
export function recordRunningServer(dataDir: string, server: Omit<RunningServer, 'pid'>): () => void {
  const dir = serversDirOf(dataDir);
  const file = path.join(dir, `${process.pid}.json`);
  const tmp = `${file}.tmp`;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, ...server }, null, 2), { mode: 0o644 });
  renameSync(tmp, file);
  return () => rmSync(file, { force: true });
}

/** A server recorded in the data dir whose process is alive (the latest recorded, when several are). */
export function findRunningServer(dataDir: string): RunningServer | undefined {
  const dir = serversDirOf(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return undefined;
  }
  const alive: { server: RunningServer; at: number }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const server = ServerSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      process.kill(server.pid, 0);
      alive.push({ server, at: statSync(file).mtimeMs });
    } catch (e) {
      // A record of a process that is gone (killed, so it could not remove it): removed. Half written: skipped.
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(file, { force: true });
    }
  }
  return alive.sort((a, b) => b.at - a.at)[0]?.server;
}
