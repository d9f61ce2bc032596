/** Helpdesk connections, one operation per file. */
export * from './deps.ts';
export { connectWithToken, validateParams } from './connect.ts';
export { completeOAuth, redirectUriFor, startOAuth, STATE_TTL_MS, workspaceOfState } from './oauth.ts';
export { disconnect } from './disconnect.ts';
export {
  credentialFor,
  isDue,
  REFRESH_MARGIN_MS,
  sweepExpiringTokens,
  type SweepResult,
} from './credentials.ts';
export { IDLE_TOUCH_MS, touchIdleConnections } from './idle.ts';
export { rotateEncryption, sealedOutside, sealedUnder, describeCounts } from '../keys.ts';
