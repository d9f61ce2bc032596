import { front } from './front/index.ts';
import { intercom } from './intercom/index.ts';
import { plain } from './plain/index.ts';
import type { Provider, ProviderId } from './types.ts';
import { zendesk } from './zendesk/index.ts';

export const providers: Record<ProviderId, Provider> = { intercom, front, plain, zendesk };
export { PROVIDER_IDS, type ProviderId } from './types.ts';
