import * as repo from '../../db/repositories/connections/index.ts';
import { AppError } from '../../lib/app-error.ts';
import type { ProviderId } from '../../providers/types.ts';
import { recordAudit } from '../audit.ts';
import type { WorkspacePrincipal } from '../roles.ts';
import { endConnectionSource } from '../sources.ts';
import { contextFor, type ConnectionsDeps } from './deps.ts';

export async function disconnect(
  deps: ConnectionsDeps,
  caller: WorkspacePrincipal,
  id: ProviderId,
): Promise<void> {
  const connection = await repo.findConnection(deps.db, caller.workspaceId, id);
  if (!connection) throw new AppError('not_found', `no ${id} connection in this workspace`);
  const resolved = deps.resolve(id);
  let outcome = 'revocation not offered by the helpdesk; revoke the app there too';
  if (resolved.provider.revoke) {
    const secrets = await repo.readSecrets(deps.db, deps.keyring, connection);
    const credential = resolved.provider.credentialFor(
      secrets.accessToken,
      connection.authType,
      connection.params,
    );
    const revoked = await resolved.provider.revoke(credential, contextFor(resolved, connection.params));
    outcome = revoked.ok
      ? 'revoked at the helpdesk'
      : `revocation failed (${revoked.error.code}: ${revoked.error.detail})`;
  }
  // The local credential goes whatever the helpdesk said: the user asked us to forget it. Its numbers stay,
  // marked disconnected.
  await deps.db.transaction().execute(async (trx) => {
    await endConnectionSource(trx, connection.id);
    await repo.deleteConnection(trx, connection.id);
    await recordAudit(trx, {
      workspaceId: caller.workspaceId,
      actor: caller,
      action: 'connection.disconnect',
      provider: id,
      outcome: 'ok',
      detail: outcome,
    });
  });
}
