import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/*
 * Every snapshot names its source. Switching a Zendesk connection to another account starts that account's own
 * history (the old one stays, marked `account_changed`), switching back resumes it, and a disconnected
 * helpdesk's numbers stay readable, marked `disconnected`, in every read.
 */
let helpdesks: TestHelpdesks;
let t: TestApp;

interface Source {
  id: string;
  kind: string;
  provider: string | null;
  account: { id: string; name: string } | null;
  status: string;
  endedAt: string | null;
}
interface MetricsBody {
  providers: { provider: string | null; source: Source; metrics: { weeklyVolume: number | null } }[];
}
interface HistoryBody {
  weeks: { source: Source; weekStart: string }[];
}

beforeAll(async () => {
  const dataset = generateDataset({ seed: 11, conversations: 400, now: Date.now() });
  helpdesks = await startHelpdesks(() => ({
    dataset,
    apiTokens: [
      { token: 'acme-zendesk-token', subdomain: 'acme' },
      { token: 'globex-zendesk-token', subdomain: 'globex' },
    ],
  }));
  t = await createTestApp(helpdesks.env);
}, 60_000);
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

describe('sourced snapshots', () => {
  it('keeps one history per helpdesk account and marks ended sources in every read', async () => {
    const { keys, workspace } = await seedWorkspace(t);
    const connect = async (subdomain: string) => {
      const res = await t.request('/integrations/zendesk/token', {
        method: 'POST',
        key: keys.admin,
        json: { subdomain, email: `ops@${subdomain}.test`, apiToken: `${subdomain}-zendesk-token` },
      });
      expect(res.status).toBe(200);
    };
    const refresh = async () => {
      const res = await t.request('/integrations/zendesk/refresh', { method: 'POST', key: keys.admin });
      expect(res.status).toBe(202);
      const { refreshId } = (await res.json()) as { refreshId: string };
      return waitFor('the refresh', async () => {
        const r = (await (await t.request(`/refreshes/${refreshId}`, { key: keys.member })).json()) as {
          state: string;
          historyWeeks: number;
        };
        return r.state === 'succeeded' || r.state === 'failed' ? r : false;
      });
    };
    const metrics = async () =>
      (await (await t.request('/metrics', { key: keys.member })).json()) as MetricsBody;
    const history = async () =>
      (await (await t.request('/metrics/history?weeks=12', { key: keys.member })).json()) as HistoryBody;
    const rows = async () =>
      (await metrics()).providers.map((p) => ({
        account: p.source.account?.id,
        status: p.source.status,
        ended: p.source.endedAt !== null,
      }));

    await connect('acme');
    expect(await refresh()).toMatchObject({ state: 'succeeded', historyWeeks: 12 });
    const acme = (await metrics()).providers[0]?.source;
    expect(acme).toMatchObject({ kind: 'connection', provider: 'zendesk', status: 'live' });
    expect(acme?.account).toEqual({ id: 'acme', name: 'acme.zendesk.com' });

    // Another account: the old history is kept and labelled; the new one backfills its own weeks.
    await connect('globex');
    expect(await rows()).toEqual([{ account: 'acme', status: 'account_changed', ended: true }]);
    expect(await refresh()).toMatchObject({ state: 'succeeded', historyWeeks: 12 });
    expect(await rows()).toEqual([
      { account: 'globex', status: 'live', ended: false },
      { account: 'acme', status: 'account_changed', ended: true },
    ]);
    const weeks = (await history()).weeks;
    expect(weeks.filter((w) => w.source.account?.id === 'acme')).toHaveLength(12);
    expect(weeks.filter((w) => w.source.account?.id === 'globex')).toHaveLength(12);

    // Back to the first account: its history resumes (same source), so only the last week is redone.
    await connect('acme');
    expect(await refresh()).toMatchObject({ state: 'succeeded', historyWeeks: 1 });
    const resumed = (await metrics()).providers.find((p) => p.source.status === 'live')?.source;
    expect(resumed?.id).toBe(acme?.id);

    // Disconnected: the numbers stay, marked, in the current read and in the history.
    expect(
      (await t.request('/integrations/connections?provider=zendesk', { method: 'DELETE', key: keys.admin }))
        .status,
    ).toBe(204);
    expect(await rows()).toEqual([
      { account: 'acme', status: 'disconnected', ended: true },
      { account: 'globex', status: 'account_changed', ended: true },
    ]);
    const after = (await history()).weeks;
    expect(after.every((w) => w.source.status !== 'live')).toBe(true);
    expect(after.filter((w) => w.source.status === 'disconnected')).toHaveLength(12);

    // The CLI's --json is the API's body.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.resolve('bin/deskpulse.js'), 'metrics', '--workspace', workspace.id, '--json'],
      { env: cliEnv(t, helpdesks) },
    );
    expect(JSON.parse(stdout)).toEqual(await metrics());
  }, 120_000);
});
