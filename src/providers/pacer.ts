/**
 * How long a 429 asks us to wait: Retry-After (seconds or an HTTP date, RFC 9110 §10.2.3), else a rate-limit
 * reset header (epoch seconds like Intercom's X-RateLimit-Reset, or seconds from now like RateLimit-Reset).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const value = headers.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = resetAt(headers, now);
  return reset !== undefined ? Math.max(0, reset - now) : 60_000;
}

function resetAt(headers: Headers, now: number): number | undefined {
  const raw = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n)) return n > 1e9 ? n * 1000 : now + n * 1000;
  // Plain sends an ISO-8601 instant.
  const at = Date.parse(raw);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * Shared by every call of one refresh: when the helpdesk says the budget is spent (remaining 0), later calls wait
 * for the reset instead of drawing a 429.
 */
export class Pacer {
  private until = 0;
  waits = 0;
  waitedMs = 0;

  note(headers: Headers, now = Date.now()): void {
    // Intercom/Front/Plain: X-RateLimit-Remaining; IETF draft: RateLimit-Remaining; Zendesk: X-Rate-Limit-Remaining.
    const remaining =
      headers.get('x-ratelimit-remaining') ??
      headers.get('ratelimit-remaining') ??
      headers.get('x-rate-limit-remaining');
    if (remaining === null || Number(remaining) > 0) return;
    const reset = resetAt(headers, now);
    if (reset !== undefined) this.until = Math.max(this.until, reset);
  }

  backOff(ms: number, now = Date.now()): void {
    this.until = Math.max(this.until, now + ms);
  }

  async wait(sleep: (ms: number) => Promise<void>, now = Date.now()): Promise<void> {
    const ms = this.until - now;
    if (ms <= 0) return;
    this.waits++;
    this.waitedMs += ms;
    await sleep(ms);
  }
}
