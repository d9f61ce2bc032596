import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import type { Progress } from '../metrics/types.ts';
import {
  createTestApp,
  seedTokenConnections,
  startHelpdesks,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';
import { requestRefresh, runRefresh } from './metrics.ts';

/**
 * Progress is written at most every 250 ms while a refresh runs; the last count reported must still reach the row,
 * or a finished refresh shows something like 1,650 / 2,329 after all 2,329 were fetched.
 */
let helpdesks: TestHelpdesks;
let t: TestApp;

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 8, conversations: 2329, now: Date.now() }),
    apiTokens: [{ token: 'progress-intercom-token' }],
  }));
  // No latency: every page arrives within the 250 ms of the previous write, so only a flush writes the last one.
  t = await createTestApp(helpdesks.env, { worker: false });
}, 60_000);
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

describe('refresh progress', () => {
  it('shows the last count reported once the refresh has finished', async () => {
    const [c] = await seedTokenConnections(t, [{ provider: 'intercom', token: 'progress-intercom-token' }]);
    if (!c) throw new Error('no connection');
    const deps = { ...t.deps, resolve: t.deps.resolveProvider };
    const requested = await requestRefresh(deps, {
      workspaceId: c.workspaceId,
      provider: 'intercom',
      actor: { kind: 'system', label: 'test' },
    });
    const reported: Progress[] = [];
    const done = await runRefresh(deps, requested.refresh.id, { onProgress: (p) => reported.push(p) });
    expect(done.state).toBe('succeeded');
    expect(reported.length).toBeGreaterThan(2);
    const last = reported.at(-1);
    expect(last?.done).toBe(last?.total);
    expect({ done: done.progressDone, total: done.progressTotal }).toEqual({
      done: last?.done,
      total: last?.total,
    });
  });
});
