import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/**
 * An instant as the wall-clock text of `timezone`, with no offset, as the helpdesks' CSV exports write it
 * (date-fns patterns: `yyyy-MM-dd HH:mm` for Zendesk, `yyyy-MM-dd HH:mm:ss` for Intercom and Front). Seconds
 * and minutes are truncated, never rounded: formatting drops what the pattern does not show.
 */
export function wallClock(ms: number, timezone: string, pattern: string): string {
  return format(new TZDate(ms, timezone), pattern);
}

/** Empty for a missing instant, as every export leaves a never-happened time blank. */
export function wallClockOrEmpty(ms: number | null, timezone: string, pattern: string): string {
  return ms === null ? '' : wallClock(ms, timezone, pattern);
}

/**
 * `YYYY-MM-DD HH:MM[:SS]` in `timezone` back to an instant; null for any other text. A time in the hour a DST
 * fall-back repeats is the earlier instant (as Temporal's default `compatible` disambiguation reads it).
 */
export function parseWallClock(text: string, timezone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, ...number[]];
  return new TZDate(y, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, timezone).getTime();
}
