import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspaceKey, startServe, type ServeProcess } from '../../test/processes.ts';

/**
 * SIGTERM to `deskpulse serve` on its embedded Postgres: everything that talks to the database (pool, pg-boss,
 * the health probe) has closed its connections before the server is stopped, so Postgres never has a session to
 * end with "terminating connection due to administrator command", and nothing is logged as an error.
 */
let dir: string;
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('deskpulse serve shutting down', () => {
  it('closes every connection before it stops Postgres', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-shutdown-'));
    const env = { DESKPULSE_DATA_DIR: dir };
    let key: string | undefined;
    // Several start/stop cycles, right after start-up and under load: the connections a pool has just asked to
    // close are the ones a hasty stop catches.
    for (let cycle = 0; cycle < 4; cycle++) {
      const serve = await startServe(env);
      running.push(serve);
      key ??= await createWorkspaceKey(env);
      const headers = { authorization: `Bearer ${key}` };
      if (cycle % 2 === 1) {
        await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            fetch(`${serve.base}/${i % 2 ? 'readyz' : 'integrations/connections'}`, { headers }).then((r) =>
              r.arrayBuffer(),
            ),
          ),
        );
      }
      expect(await serve.stop()).toBe(0);
      expect(serve.output()).not.toMatch(/terminating connection/);
      expect(serve.logs.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
      expect(serve.logs.at(-1)?.msg).toBe('shutting down');
    }
  }, 180_000);
});
