/**
 * The helpdesks Deskpulse measures. One spelling everywhere: the folder under src/providers/, the registry key,
 * the URL segment, the database enum value and the env prefix (upper-cased). Adding a helpdesk is its folder,
 * this line and its registry entry in src/providers/index.ts; src/providers/registry.test.ts names anything
 * else that is missing.
 */
export const PROVIDER_IDS = ['intercom', 'front', 'plain', 'zendesk'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const isProviderId = (s: string): s is ProviderId => (PROVIDER_IDS as readonly string[]).includes(s);
