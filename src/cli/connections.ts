import { SingleBar } from 'cli-progress';
import { recordAudit } from '../domain/audit.ts';
import { rotateEncryption, sweepExpiringTokens, type ConnectionsDeps } from '../domain/connections/index.ts';
import { resolveProvider, type Sandbox } from '../domain/provider-settings.ts';
import { addDataDirKey, findRunningServer, type RunningServer } from '../db/data-dir.ts';
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
    const workspaces = await deps.db.selectFrom('workspaces').select('id').execute();
    for (const w of workspaces) {
      await recordAudit(deps.db, {
        workspaceId: w.id,
        actor: { kind: 'system', label: 'deskpulse keys rotate' },
        action: 'keys.rotate',
        provider: null,
        outcome: 'ok',
        detail: `credentials sealed under key ${result.currentKeyId}`,
      });
    }
    process.stdout.write(
      `re-encrypted ${result.reencrypted} connection(s); every credential is under key ${result.currentKeyId}\n`,
    );
  });
}

export function runKeysGenerate(id: string): void {
  process.stdout.write(`${generateKey(id)}\n`);
}
