import type { ProviderModule } from '../shared/context.ts';
import { apiTokenPrincipal } from '../shared/grants.ts';
import { INTERCOM_ADMINS_PATH, INTERCOM_SEARCH_PATH, mountIntercomData } from './data.ts';
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
  // 10,000 calls per minute per app, "evenly distributed into 10 second windows" (1,666 per 10 s):
  // https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting
  defaultRateLimit: { limit: 1666, windowMs: 10_000 },
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
    app.use(INTERCOM_SEARCH_PATH, intercomVersionCheck());
    app.use(INTERCOM_ADMINS_PATH, intercomVersionCheck());
    mountIntercomData(app, ctx);
  },
};
