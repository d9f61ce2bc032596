import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { groundTruth } from '../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../emulators/dataset/types.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
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
});
