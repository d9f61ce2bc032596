import type { Context, Hono } from 'hono';
import type { Dataset } from '../dataset/types.ts';
import type { OAuthStore } from './store.ts';
import type {
  ApiTokenSeed,
  EmulatorAccount,
  EmulatorKnobs,
  EmulatorStats,
  OAuthClient,
  ProviderId,
  RateLimit,
} from './types.ts';

/** Everything a provider's routes need; built once per emulator by `createEmulator`. */
export interface EmulatorContext {
  provider: ProviderId;
  clients: readonly OAuthClient[];
  apiTokens: readonly ApiTokenSeed[];
  account: EmulatorAccount;
  store: OAuthStore;
  knobs: EmulatorKnobs;
  stats: EmulatorStats;
  basePath: string;
  now(): number;
  dataset: Dataset;
}

/** A provider is data (defaults) plus the routes that carry its quirks. */
export interface ProviderModule {
  id: ProviderId;
  defaultAccount: EmulatorAccount;
  defaultAccessTokenLifetimeSeconds: number;
  /** The provider's documented rate limit (the emulator's default `knobs.rateLimit`). */
  defaultRateLimit: RateLimit | null;
  /** The provider's 503 body, answered while `knobs.failNext > 0`. */
  unavailable: (c: Context) => Response;
  /** Registers pre-provisioned API tokens with the provider's binding rules. */
  seedApiTokens(ctx: EmulatorContext): void;
  mount(app: Hono, ctx: EmulatorContext): void;
}

export function findClient(ctx: EmulatorContext, clientId: string | undefined): OAuthClient | undefined {
  return clientId === undefined ? undefined : ctx.clients.find((client) => client.clientId === clientId);
}

/** Absolute base of the emulator as the caller reached it, for links the provider embeds in bodies. */
export function publicBase(c: Context, ctx: EmulatorContext): string {
  return new URL(c.req.url).origin + ctx.basePath;
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
