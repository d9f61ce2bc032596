import type { Hono } from 'hono';
import type { Dataset } from '../dataset/types.ts';

import type { ProviderId } from '../../src/metrics/helpdesks.ts';

export type { ProviderId };

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** The helpdesk workspace a credential belongs to (Intercom app, Front company, Plain workspace). */
export interface EmulatorAccount {
  id: string;
  name: string;
  /** Intercom only: `app.region` in `GET /me` (`US`, `EU`, `AU`). */
  region?: string;
}

export interface ApiTokenSeed {
  token: string;
  account?: EmulatorAccount;
  /** Zendesk only: the agent email of `{email}/token:{api_token}`; when unset any email is accepted. */
  email?: string;
  /** Zendesk only: the subdomain the token belongs to; when unset it works on every subdomain. */
  subdomain?: string;
}

export interface EmulatorOptions {
  clients?: OAuthClient[];
  apiTokens?: ApiTokenSeed[];
  /** Prefix under which `app` is mounted; only used to build absolute links the provider returns. */
  basePath?: string;
  /** Workspace every OAuth consent grants (Zendesk ignores it: the account is the subdomain). */
  account?: EmulatorAccount;
  /** Clock in epoch milliseconds, so tests can expire codes and tokens without waiting. */
  now?: () => number;
  /** The helpdesk data the API endpoints serve (conversations, agents, ratings); empty when unset. */
  dataset?: Dataset;
  /**
   * A file the OAuth grants it issues are kept in (hashed) across restarts, as sandbox mode does in the data dir
   * (emulators/shared/store.ts); unset: memory only.
   */
  stateFile?: string;
}

export interface RateLimit {
  /** Requests allowed per window, counted across every data endpoint (per emulator = per account). */
  limit: number;
  windowMs: number;
}

export interface EmulatorKnobs {
  accessTokenLifetimeSeconds: number;
  forceInvalidGrant: boolean;
  /**
   * Answer refresh grants without a `refresh_token` (the client keeps its old one), as Front may ("the same, or
   * new refresh_token") and RFC 6749 §6 allows. Front only.
   */
  omitRefreshToken: boolean;
  latencyMs: number;
  failNext: number;
  /** The provider's documented limit by default; tests and benchmarks lower it; null turns it off. */
  rateLimit: RateLimit | null;
  /** Answer the next N data requests with 5xx in the provider's shape (mid-refresh failures). */
  failDataNext: number;
}

export interface EmulatorStats {
  tokenRequests: number;
  refreshRequests: number;
  revocations: number;
  identityRequests: number;
  /** Data API calls answered (any status), and how many of them were 429s. */
  dataRequests: number;
  rateLimited: number;
}

export interface Emulator {
  provider: ProviderId;
  app: Hono;
  knobs: EmulatorKnobs;
  stats: EmulatorStats;
  revokeAccessToken(token: string): void;
  issuedTokens(): { access: string[]; refresh: string[] };
}

export interface RunningEmulator {
  url: string;
  emulator: Emulator;
  close(): Promise<void>;
}
