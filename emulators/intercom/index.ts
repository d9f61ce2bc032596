import type { ProviderModule } from '../shared/context.ts';
import { apiTokenPrincipal } from '../shared/grants.ts';
import { intercomError } from './errors.ts';
import { intercomVersionCheck, INTERCOM_ME_PATH, mountIntercomIdentity } from './identity.ts';
import { INTERCOM_UNINSTALL_PATH, mountIntercomOAuth } from './oauth.ts';

/**
 * One emulator stands for every region: the US, EU and AU hosts (api.intercom.io, api.eu.intercom.io,
 * api.au.intercom.io, https://developers.intercom.com/building-apps/docs/rest-apis) all map to it, and
 * `app.region` in `GET /me` comes from the account.
 */
export const intercomProvider: ProviderModule = {
  id: 'intercom',
  defaultAccount: { id: 'emu0intercom', name: 'Sandbox Intercom workspace', region: 'US' },
  // Ignored: Intercom access tokens do not expire.
  defaultAccessTokenLifetimeSeconds: 0,
  // Placeholder until this provider's data API lands; see docs/metrics/intercom.md.
  defaultRateLimit: { limit: 10_000, windowMs: 60_000 },
  unavailable: (c) => intercomError(c, 503, 'service_unavailable', 'Service Unavailable'),
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, seed.account ?? ctx.account));
    }
  },
  mount(app, ctx) {
    app.use(INTERCOM_ME_PATH, intercomVersionCheck());
    app.use(INTERCOM_UNINSTALL_PATH, intercomVersionCheck());
    mountIntercomOAuth(app, ctx);
    mountIntercomIdentity(app, ctx);
  },
};
