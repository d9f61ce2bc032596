import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { freePort } from '../db/embedded.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  type TestApp,
  type TestHelpdesks,
  waitFor,
} from '../../test/helpers.ts';

/** `serve --no-worker` and `deskpulse worker` as separate processes on one Postgres: the API queues, a worker runs. */
const BIN = path.resolve('bin/deskpulse.js');

let helpdesks: TestHelpdesks;
let t: TestApp;
const children: ChildProcess[] = [];

beforeAll(async () => {
  helpdesks = await startHelpdesks(() => ({
    dataset: generateDataset({ seed: 5, conversations: 800, now: Date.now() }),
    apiTokens: [{ token: 'split-front-token' }],
  }));
  // This process only sets up data: no worker here, or it would take the job.
  t = await createTestApp(helpdesks.env, { worker: false });
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t.close();
  await helpdesks.close();
});

function start(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
  children.push(child);
  return { child, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

describe('API and worker processes', () => {
  it('queues a refresh in the API process and runs it in a separate worker process', async () => {
    const { keys } = await seedWorkspace(t);
    await t.request('/integrations/front/token', {
      method: 'POST',
      key: keys.admin,
      json: { apiToken: 'split-front-token' },
    });
    const port = await freePort();
    const env = cliEnv(t, helpdesks, { PORT: String(port), LOG_LEVEL: 'warn' });
    const api = start(['serve', '--no-worker'], env);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the API to be ready',
      () =>
        fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      20_000,
    );
    const auth = { authorization: `Bearer ${keys.admin}` };
    const queued = await fetch(`${base}/integrations/front/refresh`, { method: 'POST', headers: auth });
    expect(queued.status).toBe(202);
    const { refreshId } = (await queued.json()) as { refreshId: string };
    const state = async () =>
      ((await (await fetch(`${base}/refreshes/${refreshId}`, { headers: auth })).json()) as { state: string })
        .state;

    await new Promise((r) => setTimeout(r, 2000));
    expect(await state()).toBe('queued');

    const worker = start(['worker'], env);
    const final = await waitFor('the refresh to finish', async () => {
      const now = await state();
      return now !== 'queued' && now !== 'running' && now;
    });
    expect(final).toBe('succeeded');

    worker.child.kill('SIGTERM');
    api.child.kill('SIGTERM');
    expect({ worker: await worker.exited, api: await api.exited }).toEqual({ worker: 0, api: 0 });
  }, 90_000);
});
