import type { EmulatorContext } from './context.ts';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the current window ends and the budget refills. */
  resetAt: number;
  /** How long to wait before retrying (0 when allowed). */
  retryAfterMs: number;
}

const windows = new WeakMap<EmulatorContext, { start: number; used: number }>();

/**
 * A fixed-window counter over `knobs.rateLimit`, shared by one emulator's data endpoints. Each provider turns the
 * decision into its own headers and 429 body. Also counts `stats.dataRequests` / `stats.rateLimited`.
 */
export function takeRequest(ctx: EmulatorContext): RateDecision {
  ctx.stats.dataRequests++;
  const rl = ctx.knobs.rateLimit;
  const now = ctx.now();
  if (!rl) return { allowed: true, limit: Infinity, remaining: Infinity, resetAt: now, retryAfterMs: 0 };
  let w = windows.get(ctx);
  if (!w || now >= w.start + rl.windowMs) {
    w = { start: now - (now % rl.windowMs), used: 0 };
    windows.set(ctx, w);
  }
  const resetAt = w.start + rl.windowMs;
  if (w.used >= rl.limit) {
    ctx.stats.rateLimited++;
    return { allowed: false, limit: rl.limit, remaining: 0, resetAt, retryAfterMs: resetAt - now };
  }
  w.used++;
  return { allowed: true, limit: rl.limit, remaining: rl.limit - w.used, resetAt, retryAfterMs: 0 };
}
