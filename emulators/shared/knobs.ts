import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import type { EmulatorKnobs } from './types.ts';

/** Applied before routing, so every route (consent page included) is slowed down and can fail. */
export function knobsMiddleware(
  knobs: EmulatorKnobs,
  unavailable: (c: Context) => Response,
): MiddlewareHandler {
  return async (c, next) => {
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      return unavailable(c);
    }
    await next();
    return undefined;
  };
}
