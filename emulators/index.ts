import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { EmulatorContext, ProviderModule } from './shared/context.ts';
import { knobsMiddleware } from './shared/knobs.ts';
import { OAuthStore } from './shared/store.ts';
import type { Emulator, EmulatorOptions, ProviderId, RunningEmulator } from './shared/types.ts';
import { frontProvider } from './front/index.ts';
import { intercomProvider } from './intercom/index.ts';
import { plainProvider } from './plain/index.ts';
import { zendeskProvider } from './zendesk/index.ts';

export type {
  ApiTokenSeed,
  Emulator,
  EmulatorAccount,
  EmulatorKnobs,
  EmulatorOptions,
  EmulatorStats,
  OAuthClient,
  ProviderId,
  RateLimit,
  RunningEmulator,
} from './shared/types.ts';
export type { Dataset, DatasetAgent, DatasetConversation, DatasetRating } from './dataset/types.ts';

const providers: Record<ProviderId, ProviderModule> = {
  intercom: intercomProvider,
  front: frontProvider,
  zendesk: zendeskProvider,
  plain: plainProvider,
};

export function createEmulator(provider: ProviderId, options: EmulatorOptions = {}): Emulator {
  const module = providers[provider];
  const now = options.now ?? Date.now;
  const store = new OAuthStore(now, options.stateFile);
  const ctx: EmulatorContext = {
    provider,
    clients: options.clients ?? [],
    apiTokens: options.apiTokens ?? [],
    account: options.account ?? module.defaultAccount,
    store,
    knobs: {
      accessTokenLifetimeSeconds: module.defaultAccessTokenLifetimeSeconds,
      forceInvalidGrant: false,
      omitRefreshToken: false,
      latencyMs: 0,
      failNext: 0,
      rateLimit: module.defaultRateLimit,
      failDataNext: 0,
    },
    stats: {
      tokenRequests: 0,
      refreshRequests: 0,
      revocations: 0,
      identityRequests: 0,
      dataRequests: 0,
      rateLimited: 0,
    },
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
    now,
    dataset: options.dataset ?? { seed: 0, now: now(), agents: [], conversations: [] },
  };
  module.seedApiTokens(ctx);

  const app = new Hono();
  app.use('*', knobsMiddleware(ctx.knobs, module.unavailable));
  module.mount(app, ctx);
  // Never echo request details: the request may carry a token.
  app.onError((_error, c) => c.text('Internal Server Error', 500));

  return {
    provider,
    app,
    knobs: ctx.knobs,
    stats: ctx.stats,
    revokeAccessToken(token) {
      const grantId = store.grantOfToken(token);
      if (grantId === undefined) throw new Error(`${provider} emulator: that token was not issued here`);
      store.revokeGrant(grantId);
    },
    issuedTokens: () => store.issuedTokens(),
  };
}

/** Serves the emulator on 127.0.0.1 with an OS-assigned port; `url` includes `basePath` when given. */
export async function startEmulator(
  provider: ProviderId,
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const emulator = createEmulator(provider, options);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const root = basePath === '' ? emulator.app : new Hono().route(basePath, emulator.app);
  // @hono/node-server returns an http.Server unless createServer is overridden, which it is not here.
  const server = serve({ fetch: (request) => root.fetch(request), hostname: '127.0.0.1', port: 0 }) as Server;
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this close() waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}
