import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './db/embedded.ts';
import { PROVIDER_IDS, type ProviderId } from './providers/types.ts';
import { approveAtHelpdesk, waitFor } from '../test/helpers.ts';
import { createWorkspaceKey, startServe, type ServeProcess } from '../test/processes.ts';

/**
 * Sandbox mode across a real restart of `deskpulse serve` on the same data dir: the emulators keep the OAuth grants
 * they issued, so connections made by OAuth still refresh afterwards instead of turning needs_reauth.
 */
let dir: string;
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function connectByOAuth(base: string, key: string, provider: ProviderId): Promise<void> {
  const auth = { authorization: `Bearer ${key}` };
  const query = provider === 'zendesk' ? '?subdomain=acme' : '';
  const start = await fetch(`${base}/integrations/${provider}/start${query}`, { headers: auth });
  expect(start.status, provider).toBe(200);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  expect(authorizeUrl.startsWith(`${base}/_sandbox/${provider}/`)).toBe(true);
  const { code, state } = await approveAtHelpdesk(authorizeUrl);
  const completed = await fetch(`${base}/integrations/${provider}/complete`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ code, state, ...(provider === 'zendesk' ? { subdomain: 'acme' } : {}) }),
  });
  expect(completed.status, `${provider}: ${await completed.clone().text()}`).toBe(200);
}

async function refresh(base: string, key: string, provider: ProviderId) {
  const auth = { authorization: `Bearer ${key}` };
  const queued = await fetch(`${base}/integrations/${provider}/refresh`, { method: 'POST', headers: auth });
  expect(queued.status, provider).toBe(202);
  const { refreshId } = (await queued.json()) as { refreshId: string };
  return waitFor(
    `the ${provider} refresh to finish`,
    async () => {
      const r = (await (await fetch(`${base}/refreshes/${refreshId}`, { headers: auth })).json()) as {
        state: string;
        error: { code: string } | null;
      };
      return r.state === 'succeeded' || r.state === 'failed' ? r : false;
    },
    60_000,
    200,
  );
}

describe('sandbox OAuth across a restart', () => {
  it('keeps every OAuth connection working after deskpulse serve restarts', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-sandbox-restart-'));
    // No minute tick: connecting makes a connection due, and a tick would queue the refreshes asked for below.
    const env = { DESKPULSE_DATA_DIR: dir, DESKPULSE_SCHEDULER: '0' };
    // The same port after the restart: the sandbox's URLs (and the OAuth redirect URIs) are built from it.
    const port = await freePort();
    const before = await startServe(env, { port });
    running.push(before);
    const key = await createWorkspaceKey(env);
    for (const provider of PROVIDER_IDS) await connectByOAuth(before.base, key, provider);
    expect(await before.stop()).toBe(0);

    const after = await startServe(env, { port });
    running.push(after);
    for (const provider of PROVIDER_IDS) {
      expect(await refresh(after.base, key, provider), provider).toMatchObject({
        state: 'succeeded',
        error: null,
      });
    }
    const list = (await (
      await fetch(`${after.base}/integrations/connections`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { connections: { provider: string; authType: string; status: string }[] };
    expect(list.connections.map((c) => [c.provider, c.authType, c.status]).sort()).toEqual(
      [...PROVIDER_IDS].sort().map((p) => [p, 'oauth', 'ok']),
    );
    expect(await after.stop()).toBe(0);
    // What kept them: the grants, hashed, in the data dir, readable by this user only.
    for (const provider of PROVIDER_IDS) {
      const file = path.join(dir, 'sandbox', `${provider}-oauth.json`);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
  }, 180_000);
});
