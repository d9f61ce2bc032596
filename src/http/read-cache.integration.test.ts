import { describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { dataEpoch } from '../lib/data-epoch.ts';
import { READ_CACHE_TTL_MS } from './read-cache.ts';
import { seedWorkspace, waitFor } from '../../test/helpers.ts';
import { twoApiProcesses } from '../../test/processes.ts';

/**
 * The hot reads answer from memory (src/http/read-cache.ts). The promises: the process that wrote reads its write
 * at once, whichever way the write came (an API call, a refresh or import in the worker, any statement on its
 * pools); another process sees it within a second. Two processes: this one (the test app) and a
 * `deskpulse serve --no-worker` child on the same database.
 */
const WITHIN_MS = 1000;

const procs = twoApiProcesses();

const nameHere = async (key: string) =>
  ((await (await procs.t.request('/me', { key })).json()) as { workspace: { name: string } }).workspace.name;
const nameThere = async (key: string) =>
  (
    (await (await fetch(`${procs.base}/me`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      workspace: { name: string };
    }
  ).workspace.name;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the read cache', () => {
  it('keeps answers for less than the promise', () => {
    expect(READ_CACHE_TTL_MS).toBeLessThan(WITHIN_MS);
  });

  it('answers repeated reads from memory, not one query each', async () => {
    const { keys } = await seedWorkspace(procs.t);
    // The first use of a key writes its last_used_at outside the request (a write: every answer is loaded anew
    // after it), so the loop starts once that write is done.
    const before = dataEpoch();
    await procs.t.request('/metrics', { key: keys.member });
    await waitFor('the key’s last_used_at to be written', async () => dataEpoch() !== before);
    await procs.t.request('/metrics', { key: keys.member });
    let checkouts = 0;
    const count = () => checkouts++;
    const started = Date.now();
    procs.t.handle.pool.on('acquire', count);
    try {
      for (let i = 0; i < 20; i++)
        expect((await procs.t.request('/metrics', { key: keys.member })).status).toBe(200);
    } finally {
      procs.t.handle.pool.off('acquire', count);
    }
    // At most the key's row and the answer read once more each time the half-second passes meanwhile (a loaded
    // machine may take longer than one), against 40 or more without the caches.
    const windows = Math.ceil((Date.now() - started) / READ_CACHE_TTL_MS);
    expect(checkouts).toBeLessThanOrEqual(2 * windows);
  });

  it('shows this process its own write at once: through the API', async () => {
    const { keys } = await seedWorkspace(procs.t, 'Before');
    expect(await nameHere(keys.owner)).toBe('Before');
    const patched = await procs.t.request('/workspace', {
      method: 'PATCH',
      key: keys.owner,
      json: { name: 'After' },
    });
    expect(patched.status).toBe(200);
    expect(await nameHere(keys.owner)).toBe('After');
  });

  it('shows this process its own write at once: any statement on its pools, a transaction at its commit', async () => {
    const { workspace, keys } = await seedWorkspace(procs.t, 'Before');
    expect(await nameHere(keys.member)).toBe('Before');
    await procs.t.deps.db
      .updateTable('workspaces')
      .set({ name: 'Plain' })
      .where('id', '=', workspace.id)
      .execute();
    expect(await nameHere(keys.member)).toBe('Plain');

    await procs.t.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('workspaces').set({ name: 'Committed' }).where('id', '=', workspace.id).execute();
      // A read while the transaction is open still sees the committed name, and keeps it only until the commit.
      expect(await nameHere(keys.member)).toBe('Plain');
    });
    expect(await nameHere(keys.member)).toBe('Committed');
  });

  it('counts writes, not reads', async () => {
    const handle = createDb(procs.t.deps.config.databaseUrl ?? '', { max: 1 });
    try {
      const before = dataEpoch();
      await handle.db.selectFrom('workspaces').select('id').limit(1).execute();
      await handle.pool.query('select 1');
      expect(dataEpoch()).toBe(before);
      await handle.pool.query("update workspaces set name = name where id = 'none'");
      expect(dataEpoch()).toBeGreaterThan(before);
      const afterUpdate = dataEpoch();
      await new Promise<void>((resolve, reject) =>
        // pg's callback form, as pg-pool's own query uses it.
        handle.pool.query("delete from workspaces where id = 'none'", (e: Error | undefined) =>
          e ? reject(e) : resolve(),
        ),
      );
      expect(dataEpoch()).toBeGreaterThan(afterUpdate);
    } finally {
      await handle.close();
    }
  });

  it('shows another process the write within a second', async () => {
    const { keys } = await seedWorkspace(procs.t, 'Before');
    expect([await nameHere(keys.owner), await nameThere(keys.owner)]).toEqual(['Before', 'Before']);
    await procs.t.request('/workspace', { method: 'PATCH', key: keys.owner, json: { name: 'After' } });
    expect(await nameHere(keys.owner)).toBe('After');
    await sleep(WITHIN_MS);
    expect(await nameThere(keys.owner)).toBe('After');
  });

  it('keeps callers apart: the same path answers each workspace its own', async () => {
    const a = await seedWorkspace(procs.t, 'Alpha');
    const b = await seedWorkspace(procs.t, 'Beta');
    expect([await nameHere(a.keys.member), await nameHere(b.keys.member)]).toEqual(['Alpha', 'Beta']);
    const me = async (key: string) =>
      ((await (await procs.t.request('/me', { key })).json()) as { role: string }).role;
    expect([await me(a.keys.owner), await me(a.keys.member)]).toEqual(['owner', 'member']);
  });
});
