import type { z } from 'zod';
import type { Config } from '../config/index.ts';
import { providers } from '../providers/index.ts';
import { PROVIDER_IDS } from '../metrics/helpdesks.ts';
import type { Provider, ProviderId, ProviderSettings } from '../providers/types.ts';

/** The in-process emulators of sandbox mode: where they are mounted and the OAuth client they know. */
export interface Sandbox {
  baseUrl: (id: ProviderId) => string;
  clientId: string;
  clientSecret: string;
}

export interface ResolvedProvider {
  provider: Provider;
  settings: ProviderSettings;
  /** The first env variable OAuth still needs (the seed's "missing FRONT_CLIENT_ID"), if any. */
  missingForOAuth: string | undefined;
}

/**
 * Real hosts and credentials from config; or, in sandbox mode, the emulator for a provider that has no real
 * configuration at all (no client id/secret, no host override).
 */
export function resolveProvider(
  config: Config,
  id: ProviderId,
  sandbox: Sandbox | undefined,
): ResolvedProvider {
  const provider = providers[id];
  const c = config.providers[id];
  const isConfigured = Boolean(c.clientId || c.clientSecret || c.oauthBaseUrl || c.apiBaseUrl);
  if (config.sandbox && sandbox && !isConfigured) {
    const overrides = provider.emulatorOverrides(sandbox.baseUrl(id));
    return {
      provider,
      settings: {
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        endpoints: (params) => provider.endpoints(overrides, params),
        isSandbox: true,
      },
      missingForOAuth: undefined,
    };
  }
  const env = id.toUpperCase();
  const missing = [
    !c.clientId && `${env}_CLIENT_ID`,
    !c.clientSecret && `${env}_CLIENT_SECRET`,
    ...(provider.oauthRequires ?? []).map((k) => !c[k] && provider.env[k]),
  ].find((m): m is string => Boolean(m));
  const overrides = { oauthBaseUrl: c.oauthBaseUrl, apiBaseUrl: c.apiBaseUrl };
  return {
    provider,
    settings: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      endpoints: (params) => provider.endpoints(overrides, params),
      isSandbox: false,
    },
    missingForOAuth: missing,
  };
}

export interface ConnectionParamInfo {
  name: string;
  /** The helpdesks taking it, with what it means for each. */
  description: string;
}

/** Every connection parameter some provider takes (the start endpoint's query); each provider validates its own. */
export function connectionParams(): ConnectionParamInfo[] {
  const byName = new Map<string, string[]>();
  for (const p of Object.values(providers)) {
    for (const [name, spec] of Object.entries(p.params)) {
      byName.set(name, [...(byName.get(name) ?? []), `${p.displayName}: ${spec.description}`]);
    }
  }
  return [...byName].map(([name, uses]) => ({ name, description: `${uses.join('; ')}` }));
}

/** What the dashboard needs to offer a helpdesk: OAuth (configured or not), the token form, the sandbox. */
export function providerCatalog(resolve: (id: ProviderId) => ResolvedProvider) {
  return PROVIDER_IDS.map((id) => {
    const { provider, settings, missingForOAuth } = resolve(id);
    return {
      id,
      displayName: provider.displayName,
      oauth: { available: missingForOAuth === undefined, missing: missingForOAuth ?? null },
      sandbox: settings.isSandbox,
      sandboxToken: settings.isSandbox ? { ...provider.sandbox.tokenBody } : null,
      params: Object.entries(provider.params).map(([name, spec]) => ({
        name,
        description: spec.description,
        required: spec.required,
        pattern: spec.pattern.source,
      })),
      tokenFields: provider.tokenConnect.fields.map((f) => ({
        name: f.name,
        label: f.label,
        kind: f.kind,
        required: f.required,
        help: f.help,
        ...(f.choices ? { choices: [...f.choices] } : {}),
      })),
      minRefreshIntervalMinutes: provider.metrics?.minRefreshIntervalMinutes ?? 60,
      csvFormat: provider.csv?.id ?? null,
    };
  });
}

/** Each helpdesk's API-token body (`tokenConnect.body` in src/providers/<p>/index.ts), for the API document. */
export function tokenConnectBodies(): Record<ProviderId, z.ZodType> {
  return Object.fromEntries(Object.values(providers).map((p) => [p.id, p.tokenConnect.body])) as Record<
    ProviderId,
    z.ZodType
  >;
}
