import type { ProviderModule } from '../shared/context.ts';
import { apiTokenPrincipal } from '../shared/grants.ts';
import { frontError } from './errors.ts';
import { mountFrontAnalytics } from './analytics.ts';
import { mountFrontData } from './data.ts';
import { mountFrontIdentity } from './identity.ts';
import { mountFrontOAuth } from './oauth.ts';

/** app.frontapp.com (authorize, token) and api2.frontapp.com (`/me`, data, analytics) are one server here. */
export const frontProvider: ProviderModule = {
  id: 'front',
  defaultAccount: { id: 'cmp_emu1', name: 'Sandbox Front company' },
  // The access token "will expire after an hour": https://dev.frontapp.com/docs/oauth
  defaultAccessTokenLifetimeSeconds: 3600,
  // Partner OAuth integrations get their own 120 requests per minute per company (API tokens share the plan's
  // 50/100/200 rpm): https://dev.frontapp.com/docs/rate-limiting
  defaultRateLimit: { limit: 120, windowMs: 60_000 },
  unavailable: (c) => frontError(c, 503, 'Service Unavailable', 'The service is temporarily unavailable.'),
  seedApiTokens(ctx) {
    // API tokens are company-level and do not expire: https://dev.frontapp.com/docs/create-and-revoke-api-tokens
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    mountFrontOAuth(app, ctx);
    mountFrontIdentity(app, ctx);
    mountFrontData(app, ctx);
    mountFrontAnalytics(app, ctx);
  },
};
