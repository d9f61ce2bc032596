import type { z } from 'zod';
import type { Result } from '../lib/result.ts';
import type { ProviderId } from '../metrics/helpdesks.ts';
import type { CsvFormat } from '../metrics/imports.ts';
import type { MetricsRequest, MetricsSnapshot, Progress } from '../metrics/types.ts';
import type { Pacer } from './pacer.ts';

export { PROVIDER_IDS, type ProviderId } from '../metrics/helpdesks.ts';

/** Expected failures of a helpdesk call; anything else is a bug and throws. */
export type ProviderError =
  | { code: 'unauthorized'; detail: string } // needs re-auth; never retried
  | { code: 'rate_limited'; retryAfterMs: number; detail: string }
  | { code: 'upstream_unavailable'; detail: string } // retried with backoff
  | { code: 'unexpected_response'; detail: string }; // schema drift; surfaced, not hidden

/** How a request proves who it is. Secrets live here only between decryption and the HTTP call. */
export type Credential =
  { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface Account {
  id: string;
  name: string;
}

/** Connection parameters such as Zendesk's subdomain or Intercom's region; validated before use in any URL. */
export type ConnectionParams = Record<string, string>;

export interface ParamSpec {
  pattern: RegExp;
  required: boolean;
  description: string;
}

/** Where a provider lives for one connection: real hosts, configured overrides, or the sandbox emulator. */
export interface ProviderEndpoints {
  authorizeUrl: string | undefined;
  tokenUrl: string | undefined;
  apiBaseUrl: string;
}

/** Configured host overrides (tests, proxies, the sandbox emulators); unset means the provider's real hosts. */
export interface EndpointOverrides {
  oauthBaseUrl: string | undefined;
  apiBaseUrl: string | undefined;
}

export interface OAuthConfig {
  /** `null`: the provider takes no scope parameter (sending one breaks the flow). */
  scopes: string[] | null;
  /** PKCE S256 is sent only where the provider documents or tolerates it (RFC 9700 §2.1.1). */
  pkce: boolean;
  clientAuth: 'client_secret_basic' | 'client_secret_post';
  /** How the token endpoint wants its body; standard OAuth is form-encoded. */
  tokenBody: 'form' | 'json';
  /** `none`: no refresh token; `reuse`: may return the same or a new one; `rotating`: always new, old one dies. */
  refresh: 'none' | 'reuse' | 'rotating';
  /** Where the token response says when the access token expires. */
  expiry: 'never' | 'expires_in' | 'expires_at';
  /** Extra numeric parameters of every token request (Zendesk's requested lifetimes). */
  tokenRequestExtras?: Record<string, number>;
}

export interface ProviderSettings {
  clientId: string | undefined;
  clientSecret: string | undefined;
  endpoints: (params: ConnectionParams) => ProviderEndpoints;
  /** True when the in-process emulator stands in for the helpdesk. */
  isSandbox: boolean;
}

export interface ProviderContext {
  endpoints: ProviderEndpoints;
  params: ConnectionParams;
  fetch: typeof fetch;
  /** Rate-limit state shared by the calls of one refresh (providers/http.ts). */
  pacer?: Pacer;
  /**
   * Told about every HTTP answer `callProvider` gets (each 429 it waits out included) and about network
   * errors/timeouts as `'network'`. The domain passes a closure that counts by provider (lib/telemetry.ts).
   */
  onResponse?: (status: number | 'network') => void;
}

/** One field of the API-token form, as the dashboard renders it. */
export interface TokenField {
  name: string;
  label: string;
  /** `secret` fields are masked and never shown again. */
  kind: 'text' | 'email' | 'secret' | 'choice';
  required: boolean;
  /** Where the user finds the value, shown under the field. */
  help: string;
  /** For `choice`. */
  choices?: readonly string[];
}

export interface TokenConnect {
  /** Body of `POST /integrations/:provider/token`. */
  body: z.ZodType;
  /** The body's fields, in order, for forms (src/providers/registry.integration.test.ts checks they match). */
  fields: readonly TokenField[];
  /** Splits a validated body into the secret we encrypt and the non-secret params we keep beside it. */
  toStored: (body: unknown) => { secret: string; params: ConnectionParams };
}

export function defineTokenConnect<S extends z.ZodType>(
  body: S,
  fields: readonly TokenField[],
  toStored: (b: z.infer<S>) => { secret: string; params: ConnectionParams },
): TokenConnect {
  return { body, fields, toStored: (b) => toStored(body.parse(b)) };
}

/**
 * The environment variables that point a provider elsewhere (tests, proxies, the emulators). Client id and
 * secret are always `<ID>_CLIENT_ID` / `<ID>_CLIENT_SECRET`; src/config/ parses them all.
 */
export interface ProviderEnv {
  /** Overrides the API base URL. */
  apiBaseUrl: string;
  /** A placeholder the API base URL must contain (Zendesk's per-account host). */
  apiBaseUrlPlaceholder?: string;
  /** Overrides the OAuth host; null where OAuth lives on the API host. */
  oauthBaseUrl: string | null;
}

/** What sandbox mode's emulator of this helpdesk accepts, so every connection can be tried offline. */
export interface SandboxDemo {
  /** A body of `POST /integrations/:provider/token` the sandbox accepts (its secret opens only the emulator). */
  tokenBody: Record<string, string>;
  /** The emulated account that body connects to. */
  account: Account;
}

export interface Provider {
  id: ProviderId;
  displayName: string;
  env: ProviderEnv;
  sandbox: SandboxDemo;
  params: Record<string, ParamSpec>;
  oauth: OAuthConfig;
  /** Env variables OAuth needs beyond `<P>_CLIENT_ID` / `<P>_CLIENT_SECRET`. */
  oauthRequires?: 'oauthBaseUrl'[];
  /** Real hosts unless overridden; `params` are already validated against `params`. */
  endpoints: (overrides: EndpointOverrides, params: ConnectionParams) => ProviderEndpoints;
  /** The overrides that point this provider at an emulator served from `base`. */
  emulatorOverrides: (base: string) => EndpointOverrides;
  tokenConnect: TokenConnect;
  /** Builds the request credential from the stored secret (Zendesk API tokens are HTTP Basic). */
  credentialFor: (secret: string, authType: 'oauth' | 'token', params: ConnectionParams) => Credential;
  /** Identity call: verifies a credential and names the helpdesk account. */
  verify: (credential: Credential, ctx: ProviderContext) => Promise<Result<Account, ProviderError>>;
  /** Live metrics from the helpdesk's own API (docs/metrics.md). */
  metrics?: MetricsAdapter;
  /** The helpdesk's own CSV export, for import (docs/csv-import.md); absent where it has none (Plain). */
  csv?: CsvFormat;
  /** Revocation at the helpdesk where it offers one; absent where revocation is UI-only. */
  revoke?: (credential: Credential, ctx: ProviderContext) => Promise<Result<void, ProviderError>>;
}

export interface AdapterContext extends ProviderContext {
  credential: Credential;
  onProgress?: (p: Progress) => void;
}

/** One per provider: `fetch` does all I/O and returns zod-parsed raw pages; `toSnapshot` is pure. */
export interface MetricsAdapter<Raw = unknown> {
  /**
   * The shortest refresh interval the helpdesk's rate limits allow for one connection (the scheduler's lower
   * bound for `refreshIntervalMinutes`); each adapter cites the limit it derives from.
   */
  minRefreshIntervalMinutes: number;
  fetch(ctx: AdapterContext, req: MetricsRequest): Promise<Result<Raw, ProviderError>>;
  toSnapshot(raw: Raw, req: MetricsRequest): MetricsSnapshot;
}
