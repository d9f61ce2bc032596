import type { Hono } from 'hono';
import { publicBase, type EmulatorContext } from '../shared/context.ts';
import { bearerToken } from '../shared/http.ts';
import { frontError } from './errors.ts';

export const FRONT_ME_PATH = '/me';

export function mountFrontIdentity(app: Hono, ctx: EmulatorContext): void {
  // `IdentityResponse` of core-api.json: `{ _links.self, id: "cmp_…", name }` for OAuth and API tokens alike.
  app.get(FRONT_ME_PATH, (c) => {
    ctx.stats.identityRequests += 1;
    const token = bearerToken(c);
    const found = token === null ? null : ctx.store.findAccess(token, null);
    if (!found?.ok) {
      const message = found?.reason === 'expired' ? 'Expired token' : 'Invalid token';
      return frontError(c, 401, 'Unauthorized', message);
    }
    const account = found.record.principal.account;
    return c.json({
      _links: { self: `${publicBase(c, ctx)}${FRONT_ME_PATH}` },
      id: account.id,
      name: account.name,
    });
  });
}
