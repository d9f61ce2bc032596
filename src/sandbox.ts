import type { Hono } from 'hono';
import type { Config } from './config/index.ts';
import type { Sandbox } from './domain/provider-settings.ts';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { PROVIDER_IDS, type ProviderId } from './metrics/helpdesks.ts';
import { providers } from './providers/index.ts';

const PATH = (id: ProviderId) => `/_sandbox/${id}`;

/**
 * Sandbox mode (DESKPULSE_SANDBOX, never in production): the four emulated helpdesks run inside this process
 * under /_sandbox/<provider>, with an OAuth client registered for our callback URLs, so every real flow works
 * offline. The OAuth grants they issue are kept in `<data dir>/sandbox/<provider>-oauth.json` (hashed, 0600), so
 * a demo's OAuth connections keep working after a restart; their helpdesk data is regenerated from its seed.
 *
 * The settings are cheap and known at once; the emulators themselves (and graphql-js) load after the server
 * listens, so they cost the start-up nothing.
 */
export function sandboxSettings(config: Config, authSecret: string): Sandbox {
  return {
    baseUrl: (id) => `${config.publicUrl}${PATH(id)}`,
    clientId: 'deskpulse-sandbox',
    // Derived, not random, so every process on the same data dir (API, worker, CLI) presents the same client.
    clientSecret: createHmac('sha256', authSecret)
      .update('deskpulse sandbox oauth client')
      .digest('base64url'),
  };
}

export async function loadSandboxApps(config: Config, sandbox: Sandbox): Promise<Record<ProviderId, Hono>> {
  const [{ generateDataset }, { createEmulator }] = await Promise.all([
    import('../emulators/dataset/generate.ts'),
    import('../emulators/index.ts'),
  ]);
  // One demo helpdesk's worth of conversations (16 weeks up to now), served by all four in their own shapes.
  const dataset = generateDataset({ seed: 42, conversations: 3000, now: Date.now() });
  const apps = {} as Record<ProviderId, Hono>;
  for (const id of PROVIDER_IDS) {
    const demo = providers[id].sandbox;
    // The demo token body, split as a real connection would store it: the secret and its parameters.
    const { secret, params } = providers[id].tokenConnect.toStored(demo.tokenBody);
    apps[id] = createEmulator(id, {
      basePath: PATH(id),
      dataset,
      stateFile: path.join(config.dataDir, 'sandbox', `${id}-oauth.json`),
      account: demo.account,
      clients: [
        {
          clientId: sandbox.clientId,
          clientSecret: sandbox.clientSecret,
          redirectUris: [`${config.publicUrl}/integrations/${id}/callback`],
        },
      ],
      apiTokens: [
        {
          token: secret,
          account: demo.account,
          ...(params.email && params.subdomain ? { email: params.email, subdomain: params.subdomain } : {}),
        },
      ],
    }).app;
  }
  return apps;
}
