import type { Hono } from 'hono';

export type ProviderId = 'intercom' | 'front' | 'zendesk' | 'plain';

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
}

export interface EmulatorKnobs {
  accessTokenLifetimeSeconds: number;
  forceInvalidGrant: boolean;
  latencyMs: number;
  failNext: number;
}

export interface EmulatorStats {
  tokenRequests: number;
  refreshRequests: number;
  revocations: number;
  identityRequests: number;
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
