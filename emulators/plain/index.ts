import type { ProviderModule } from '../shared/context.ts';
import { apiTokenPrincipal } from '../shared/grants.ts';
import { mountPlainGraphQL, plainError } from './identity.ts';
import { mountPlainOAuth } from './oauth.ts';

/**
 * The authorization server (third parties see https://signin.auth.plain.com) and the API host
 * (https://core-api.uk.plain.com) are one server here. Machine-user API keys (`plainApiKey_…`,
 * https://help.plain.com/article/creating-api-keys) are seeded through `apiTokens`.
 */
export const plainProvider: ProviderModule = {
  id: 'plain',
  defaultAccount: { id: 'w_01EMULATORWORKSPACE0000000', name: 'Sandbox Plain workspace' },
  // Undocumented lifetime; one hour makes expiry reachable in tests and demos.
  defaultAccessTokenLifetimeSeconds: 3600,
  // API-key traffic: 450 requests/minute on Launch & Foundation, the lowest plan (Grow 600, Scale 1000):
  // https://plain.support.site/article/understanding-rate-limits-and-their-impact-on-api-usage-jwz2h8psnkd6tgbyo8acorre
  defaultRateLimit: { limit: 450, windowMs: 60_000 },
  unavailable: (c) => plainError(c, 503, 'INTERNAL_SERVER_ERROR', 'Service Unavailable'),
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    mountPlainOAuth(app, ctx);
    mountPlainGraphQL(app, ctx);
  },
};
