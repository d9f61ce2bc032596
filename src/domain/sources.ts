import type { Db } from '../db/client.ts';
import * as sources from '../db/repositories/sources.ts';
import type { ProviderId } from '../metrics/helpdesks.ts';
import type { SnapshotSource } from '../metrics/types.ts';
import { newId } from './ids.ts';

/**
 * The source a (re)connected connection measures through, decided in the connect's transaction. The same
 * helpdesk account keeps its history; another account ends the current source ('account_changed', still
 * readable) and resumes that account's earlier history or starts a new one — two accounts never mix.
 */
export async function attachConnectionSource(
  trx: Db,
  c: {
    connectionId: string;
    workspaceId: string;
    provider: ProviderId;
    account: { id: string; name: string };
    isSandbox: boolean;
  },
): Promise<SnapshotSource> {
  const live = await sources.findLiveSource(trx, c.connectionId);
  if (live?.account?.id === c.account.id) {
    if (live.account.name !== c.account.name) await sources.renameSourceAccount(trx, live.id, c.account.name);
    return { ...live, account: c.account };
  }
  if (live) await sources.endSource(trx, live.id, 'account_changed');
  const earlier = await sources.findEndedAccountSource(trx, {
    workspaceId: c.workspaceId,
    provider: c.provider,
    accountId: c.account.id,
  });
  if (earlier) {
    await sources.resumeSource(trx, earlier.id, {
      connectionId: c.connectionId,
      accountName: c.account.name,
      isSandbox: c.isSandbox,
    });
    return { ...earlier, account: c.account, sandbox: c.isSandbox, endedAt: null, endReason: null };
  }
  return sources.insertSource(trx, {
    id: newId('src'),
    workspaceId: c.workspaceId,
    kind: 'connection',
    provider: c.provider,
    account: c.account,
    connectionId: c.connectionId,
    isSandbox: c.isSandbox,
  });
}

/** A disconnect ends the connection's source: its numbers stay readable, marked `disconnected`. */
export async function endConnectionSource(trx: Db, connectionId: string): Promise<void> {
  const live = await sources.findLiveSource(trx, connectionId);
  if (live) await sources.endSource(trx, live.id, 'disconnected');
}

export const liveSourceOf = sources.findLiveSource;
