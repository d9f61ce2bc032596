import { SingleBar } from 'cli-progress';
import { recordAudit } from '../domain/audit.ts';
import {
  describeCounts,
  rotateEncryption,
  sealedOutside,
  sealedUnder,
  sweepExpiringTokens,
  type ConnectionsDeps,
} from '../domain/connections/index.ts';
import { resolveProvider, type Sandbox } from '../domain/provider-settings.ts';
import { addDataDirKey, findRunningServer, retireDataDirKey, type RunningServer } from '../db/data-dir.ts';
import { openDatabase, type OpenedDatabase } from '../db/open.ts';
import { AppError } from '../lib/app-error.ts';
import { generateKey } from '../lib/keyring.ts';
import { sandboxSettings } from '../sandbox.ts';
import type { CliContext } from './context.ts';

/** A progress bar on stderr while there is a terminal to draw it on; silent in pipes and CI logs. */
export function progress(label: string) {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (done: number, total: number) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

/**
 * The sandbox helpdesks live inside the running `deskpulse serve` (their state is its memory): at the URL it
 * recorded in the data dir, whatever PORT this command sees.
 */
function sandboxOf(ctx: CliContext, authSecret: string): { settings?: Sandbox; server?: RunningServer } {
  if (!ctx.config.sandbox) return {};
  const server = findRunningServer(ctx.config.dataDir);
  const config = server ? { ...ctx.config, publicUrl: server.publicUrl } : ctx.config;
  return { settings: sandboxSettings(config, authSecret), ...(server ? { server } : {}) };
}

export async function withConnections<T>(
  ctx: CliContext,
  fn: (deps: ConnectionsDeps, db: OpenedDatabase) => Promise<T>,
) {
  const database = await openDatabase(ctx.config, ctx.logger, { create: false });
  try {
    const sandbox = sandboxOf(ctx, database.authSecret);
    return await fn(
      {
        db: database.db,
        keyring: database.keyring,
        config: ctx.config,
        logger: ctx.logger,
        resolve: (id) => {
          const resolved = resolveProvider(ctx.config, id, sandbox.settings);
          // Before anything is called or written: a refresh against no helpdesk would mark the connection failing.
          if (resolved.settings.isSandbox && !sandbox.server) {
            throw new AppError(
              'not_ready',
              `the sandbox ${id} helpdesk runs inside \`deskpulse serve\`, and none is running on ${ctx.config.dataDir}: start it first`,
            );
          }
          return resolved;
        },
      },
      database,
    );
  } finally {
    await database.close();
  }
}

export async function runRefreshTokens(ctx: CliContext, opts: { json?: boolean }): Promise<void> {
  await withConnections(ctx, async (deps) => {
    const bar = progress('refreshing tokens');
    const result = await sweepExpiringTokens(deps, { onProgress: bar.update });
    bar.stop();
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(result)}\n`
        : `${result.checked} due, ${result.refreshed} refreshed, ${result.skipped} skipped, ${result.failed} failed\n`,
    );
    if (result.failed > 0) {
      throw new AppError(
        'upstream_error',
        `${result.failed} token refresh(es) failed; GET /audit and /integrations/connections say why`,
      );
    }
  });
}

export async function runKeysRotate(ctx: CliContext, opts: { newKey?: boolean }): Promise<void> {
  await withConnections(ctx, async (deps, database) => {
    if (opts.newKey) {
      if (database.keySource === 'env') {
        throw new AppError(
          'invalid_body',
          'DESKPULSE_ENCRYPTION_KEYS is set: put the new key first there (deskpulse keys generate), restart every process, then run keys rotate',
        );
      }
      const id = addDataDirKey(ctx.config.dataDir);
      process.stderr.write(
        `added key ${id} to ${ctx.config.dataDir}/secrets.json; running servers pick it up\n`,
      );
    }
    const bar = progress('re-encrypting');
    const result = await rotateEncryption(deps, { onProgress: bar.update });
    bar.stop();
    // A process still encrypting under an older key (one not restarted with a new DESKPULSE_ENCRYPTION_KEYS)
    // would leave rows behind that the loop above cannot see coming: check every table once more.
    const left = await sealedOutside(deps.db, result.currentKeyId);
    if (left.keys.length > 0) {
      throw new AppError(
        'conflict',
        `${describeCounts(left)} are still sealed under ${left.keys.join(', ')}: a process is still encrypting with an older key; give every process the new key (restart it), then run keys rotate again`,
      );
    }
    await auditEveryWorkspace(deps.db, 'keys.rotate', `credentials sealed under key ${result.currentKeyId}`);
    process.stdout.write(
      `re-encrypted ${describeCounts(result.perStore)}; every secret is under key ${result.currentKeyId} (verified)\n`,
    );
  });
}

async function auditEveryWorkspace(
  db: ConnectionsDeps['db'],
  action: 'keys.rotate' | 'keys.retire',
  detail: string,
) {
  const workspaces = await db.selectFrom('workspaces').select('id').execute();
  for (const w of workspaces) {
    await recordAudit(db, {
      workspaceId: w.id,
      actor: { kind: 'system', label: `deskpulse ${action.replace('.', ' ')}` },
      action,
      provider: null,
      outcome: 'ok',
      detail,
    });
  }
}

/**
 * `deskpulse keys retire ID`: refuses while any row of any table (connections, webhook secrets, OAuth states) is
 * sealed under ID, and never retires the current key. Then removes ID from the data dir's keyring, or — when the
 * keyring comes from DESKPULSE_ENCRYPTION_KEYS — says to remove it there.
 */
export async function runKeysRetire(ctx: CliContext, id: string): Promise<void> {
  await withConnections(ctx, async (deps, database) => {
    const ids = deps.keyring.keyIds;
    if (!ids.includes(id))
      throw new AppError('not_found', `no encryption key ${id} (keys: ${ids.join(', ')})`);
    if (ids[0] === id) {
      throw new AppError(
        'conflict',
        `${id} is the current key: add a new one and re-encrypt first (${
          database.keySource === 'env'
            ? 'put a new key first in DESKPULSE_ENCRYPTION_KEYS, restart, then deskpulse keys rotate'
            : 'deskpulse keys rotate --new-key'
        })`,
      );
    }
    const under = await sealedUnder(deps.db, id);
    if (under.connections + under.webhookSecrets + under.oauthStates > 0) {
      throw new AppError(
        'conflict',
        `cannot retire ${id}: ${describeCounts(under)} are still sealed under it; run deskpulse keys rotate first`,
      );
    }
    if (database.keySource === 'env') {
      process.stdout.write(
        `no secret is sealed under ${id}: remove ${id} from DESKPULSE_ENCRYPTION_KEYS in every process's environment and restart them\n`,
      );
      return;
    }
    retireDataDirKey(ctx.config.dataDir, id);
    await auditEveryWorkspace(deps.db, 'keys.retire', `key ${id} removed from the keyring`);
    process.stdout.write(
      `retired ${id}: removed from ${ctx.config.dataDir}/secrets.json; no secret was sealed under it\n`,
    );
  });
}

export function runKeysGenerate(id: string): void {
  process.stdout.write(`${generateKey(id)}\n`);
}
