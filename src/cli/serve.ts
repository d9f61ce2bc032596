import { openDatabase } from '../db/open.ts';
import { startService } from '../main.ts';
import type { CliContext } from './context.ts';

export async function runServe({ config, logger }: CliContext): Promise<void> {
  const service = await startService(config, logger);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export async function runMigrate({ config, logger }: CliContext): Promise<void> {
  const database = await openDatabase(config, logger);
  await database.close();
  process.stdout.write('migrations are up to date\n');
}
