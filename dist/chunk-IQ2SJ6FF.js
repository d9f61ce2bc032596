import {
  recordAudit,
  resolveProvider,
  rotateEncryption,
  sandboxSettings,
  sweepExpiringTokens,
} from './chunk-6W4WS6LQ.js';
import { AppError, addDataDirKey, generateKey, openDatabase } from './chunk-KYBJ2MGV.js';

// src/cli/connections.ts
import { SingleBar } from 'cli-progress';
function progress(label) {
  if (!process.stderr.isTTY) return { update: () => void 0, stop: () => void 0 };
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
async function withConnections(ctx, fn) {
  const database = await openDatabase(ctx.config, ctx.logger);
  try {
    const sandbox = ctx.config.sandbox ? sandboxSettings(ctx.config, database.authSecret) : void 0;
    return await fn(
      {
        db: database.db,
        keyring: database.keyring,
        config: ctx.config,
        logger: ctx.logger,
        resolve: (id) => resolveProvider(ctx.config, id, sandbox),
      },
      database,
    );
  } finally {
    await database.close();
  }
}
async function runRefreshTokens(ctx, opts) {
  await withConnections(ctx, async (deps) => {
    const bar = progress('refreshing tokens');
    const result = await sweepExpiringTokens(deps, { onProgress: bar.update });
    bar.stop();
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(result)}
`
        : `${result.checked} due, ${result.refreshed} refreshed, ${result.skipped} skipped, ${result.failed} failed
`,
    );
    if (result.failed > 0) {
      throw new AppError(
        'upstream_error',
        `${result.failed} token refresh(es) failed; GET /audit and /integrations/connections say why`,
      );
    }
  });
}
async function runKeysRotate(ctx, opts) {
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
        `added key ${id} to ${ctx.config.dataDir}/secrets.json; running servers pick it up
`,
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
      `re-encrypted ${result.reencrypted} connection(s); every credential is under key ${result.currentKeyId}
`,
    );
  });
}
function runKeysGenerate(id) {
  process.stdout.write(`${generateKey(id)}
`);
}

export { progress, withConnections, runRefreshTokens, runKeysRotate, runKeysGenerate };
//# sourceMappingURL=chunk-IQ2SJ6FF.js.map
