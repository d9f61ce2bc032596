import type { ProviderModule } from '../shared/context.ts';
import { apiTokenPrincipal } from '../shared/grants.ts';
import { zendeskUnavailable } from './errors.ts';
import { mountZendeskData } from './data.ts';
import { mountZendeskIdentity } from './identity.ts';
import { mountZendeskOAuth } from './oauth.ts';
import { ZENDESK_SUBDOMAIN } from '../../src/providers/zendesk/auth.ts';

// Same subdomain rule the connector enforces before interpolating it into a URL (SSRF guard).

/**
 * `https://{subdomain}.zendesk.com/...` becomes `{emulator}/{subdomain}/...`, so a base-URL template
 * `http://127.0.0.1:PORT/{subdomain}` works. Codes and tokens only work on the subdomain they were issued on.
 */
export const zendeskProvider: ProviderModule = {
  id: 'zendesk',
  defaultAccount: { id: 'zendesk', name: 'Sandbox Zendesk' },
  // Upper bound for the `expires_in` a client asks for (less than 172,800 s): https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
  defaultAccessTokenLifetimeSeconds: 172_800,
  // Account-wide limit of the Enterprise plans, 700 requests a minute (Team 200, Growth/Professional 400,
  // Enterprise Plus 2,500): https://developer.zendesk.com/api-reference/introduction/rate-limits
  defaultRateLimit: { limit: 700, windowMs: 60_000 },
  unavailable: zendeskUnavailable,
  seedApiTokens(ctx) {
    for (const seed of ctx.apiTokens) {
      const realm = seed.subdomain ?? null;
      const account = seed.account ?? { id: realm ?? ctx.account.id, name: realm ?? ctx.account.name };
      ctx.store.addApiToken(seed.token, apiTokenPrincipal(ctx, account, realm, seed.email ?? null));
    }
  },
  mount(app, ctx) {
    app.use('/:subdomain/*', async (c, next) => {
      if (!ZENDESK_SUBDOMAIN.test(c.req.param('subdomain'))) return c.notFound();
      await next();
      return undefined;
    });
    mountZendeskOAuth(app, ctx);
    mountZendeskIdentity(app, ctx);
    mountZendeskData(app, ctx);
  },
};
