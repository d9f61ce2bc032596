import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { groundTruth } from '../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../emulators/dataset/types.ts';
import * as refreshes from '../db/repositories/refreshes.ts';
import { requestRefresh, runRefresh } from '../domain/metrics.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/deskpulse.js');

let dataset: Dataset;
let helpdesks: TestHelpdesks;
let t: TestApp;
let env: NodeJS.ProcessEnv;
let workspaceId: string;

beforeAll(async () => {
  dataset = generateDataset({ seed: 3, conversations: 1200, now: Date.now() });
  helpdesks = await startHelpdesks(() => ({ dataset, apiTokens: [{ token: 'cli-front-token' }] }));
  t = await createTestApp(helpdesks.env);
  const { keys, workspace } = await seedWorkspace(t);
  workspaceId = workspace.id;
  await t.request('/integrations/front/token', {
    method: 'POST',
    key: keys.admin,
    json: { apiToken: 'cli-front-token' },
  });
  env = cliEnv(t, helpdesks);
}, 60_000);
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

describe('deskpulse refresh and metrics', () => {
  it('refreshes a connection and prints its metrics as JSON, equal to the ground truth', async () => {
    const { stdout } = await run(
      process.execPath,
      [BIN, 'refresh', '--provider', 'front', '--workspace', workspaceId, '--json'],
      { env },
    );
    const out = JSON.parse(stdout) as {
      provider: string;
      measuredAt: string;
      metrics: Record<string, number | null>;
    };
    expect(out.provider).toBe('front');
    const truth = groundTruth(
      dataset,
      { now: new Date(out.measuredAt), timezone: 'UTC', historyWeeks: 12 },
      { csatMeanScore: true, deflectionRate: false },
    );
    expect(out.metrics).toEqual(truth.current);
  }, 120_000);

  it('prints a readable table where null reads as not measured, never 0', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'metrics', '--workspace', workspaceId], { env });
    expect(stdout).toMatch(/^front — measured /);
    expect(stdout).toMatch(/weeklyVolume\s+\d+/);
    expect(stdout).toMatch(/csat\s+\d+\.\d %/);
    expect(stdout).toMatch(/utilisation\s+—\s+capacity is not measurable/);
    expect(stdout).toMatch(/deflectionRate\s+—\s+\S/);
  }, 60_000);

  it('refuses an unknown provider and a provider that is not connected, with one line', async () => {
    const bad = await run(
      process.execPath,
      [BIN, 'refresh', '--provider', 'hubspot', '--workspace', workspaceId],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Allowed choices are intercom, front, plain, zendesk') as string,
    });
    const missing = await run(
      process.execPath,
      [BIN, 'refresh', '--provider', 'zendesk', '--workspace', workspaceId],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'deskpulse: error: no zendesk connection in this workspace\n',
    });
  }, 60_000);

  it('follows a refresh already in flight instead of running a second one', async () => {
    const deps = { ...t.deps, resolve: t.deps.resolveProvider };
    // Queued without a job: only the test runs it, once the command is following it.
    const { refresh: inFlight } = await requestRefresh(deps, {
      workspaceId,
      provider: 'front',
      actor: { kind: 'system', label: 'test' },
    });
    const child = spawn(
      process.execPath,
      [BIN, 'refresh', '--provider', 'front', '--workspace', workspaceId, '--json'],
      {
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // 'close', not 'exit': the output is read whole by then.
    const exited = new Promise<number | null>((r) => child.once('close', r));
    await waitFor('the command to follow the refresh', () =>
      Promise.resolve(stderr.includes('following it')),
    );
    expect(stderr).toBe(`a refresh of front is already queued (${inFlight.id}): following it\n`);
    expect((await runRefresh(deps, inFlight.id)).state).toBe('succeeded');
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      provider: 'front',
      source: { kind: 'connection', status: 'live' },
    });
    const rows = await t.deps.db
      .selectFrom('metric_refreshes')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('queued_at', '>=', inFlight.queuedAt)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([inFlight.id]);
  }, 60_000);

  it('stops at the manual refresh limit with one line saying when to try again', async () => {
    const deps = { ...t.deps, resolve: t.deps.resolveProvider };
    const { refresh } = await requestRefresh(deps, {
      workspaceId,
      provider: 'front',
      actor: { kind: 'system', label: 'test' },
    });
    await refreshes.finishRefresh(t.deps.db, refresh.id, { state: 'succeeded' });
    const limited = await run(
      process.execPath,
      [BIN, 'refresh', '--provider', 'front', '--workspace', workspaceId],
      {
        env: { ...env, DESKPULSE_MANUAL_REFRESH_LIMIT: '1' },
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(limited).toMatchObject({ code: 1, stdout: '' });
    expect((limited as { stderr: string }).stderr).toMatch(
      /^deskpulse: error: front was refreshed by hand \d+ times in the last 60 minutes, the most allowed; try again in \d+ s \(its scheduled refreshes go on\)\n$/,
    );
  }, 60_000);
});
