import { TZDate } from '@date-fns/tz';
import { minutes as zendeskMinutes } from '../zendesk/data.ts';
import type { Dataset, DatasetConversation } from './types.ts';

/**
 * The dataset as an importer of an export file sees it: `groundTruth(asExported(d, o), req, caps)` is what
 * an import of that file must compute, where `groundTruth(d, …)` is what the connected API gives. Files
 * lose what the APIs keep:
 * - Zendesk's CSV export writes times to the minute (`YYYY-MM-DD HH:MM`) and first reply time in whole
 *   minutes (`minutes`), and has no rating time at all, so a rating is dated by the ticket's `Updated at`
 *   (`ratedAtFromUpdatedAt`).
 * - Intercom's conversation export has the last rating but not when it was given: without the CSAT export
 *   beside it, the rating is dated by `Conversation updated at` (`ratedAtFromUpdatedAt`).
 * - No export writes a UTC offset (`timezone`): in the hour a DST fall-back repeats, the wall-clock text
 *   names two instants, and it reads back as the earlier one (date-fns' TZDate and Temporal's default
 *   `compatible` disambiguation agree).
 * First response comes from a duration column (Zendesk minutes, Intercom and generic seconds), so it is kept
 * as a duration from the read-back creation; Front has none and replays two timestamps (`firstResponseFrom`).
 */
export interface AsExportedOptions {
  /** Times truncated to the minute; first response rounded to whole minutes as Zendesk does. */
  minutes?: boolean | undefined;
  /** Each rating dated by its conversation's (exported) `updatedAt`. */
  ratedAtFromUpdatedAt?: boolean | undefined;
  /** Times written as wall-clock text in this timezone and read back from it. */
  timezone?: string | undefined;
  /** `duration` (default): creation + the file's first-response duration; `timestamps`: the reply's time. */
  firstResponseFrom?: 'duration' | 'timestamps' | undefined;
}

const MINUTE = 60_000;

/** Wall-clock time in `timezone`, parsed back; only a repeated (fall-back) hour changes the instant. */
function readBack(ms: number, timezone: string): number {
  const l = new TZDate(ms, timezone);
  return new TZDate(
    l.getFullYear(),
    l.getMonth(),
    l.getDate(),
    l.getHours(),
    l.getMinutes(),
    l.getSeconds(),
    l.getMilliseconds(),
    timezone,
  ).getTime();
}

function timeAsWritten(o: AsExportedOptions): (ms: number) => number {
  return (ms) => {
    const shown = o.minutes ? Math.floor(ms / MINUTE) * MINUTE : ms;
    return o.timezone === undefined ? shown : readBack(shown, o.timezone);
  };
}

function firstReplyAsRead(
  c: DatasetConversation,
  createdAt: number,
  o: AsExportedOptions,
  time: (ms: number) => number,
): number | null {
  if (c.firstAgentReplyAt === null) return null;
  if (o.firstResponseFrom === 'timestamps') return time(c.firstAgentReplyAt);
  const duration = o.minutes
    ? (zendeskMinutes(c.createdAt, c.firstAgentReplyAt).calendar ?? 0) * MINUTE
    : c.firstAgentReplyAt - c.createdAt;
  return createdAt + duration;
}

function conversationAsRead(c: DatasetConversation, o: AsExportedOptions): DatasetConversation {
  const time = timeAsWritten(o);
  const createdAt = time(c.createdAt);
  const updatedAt = time(c.updatedAt);
  return {
    ...c,
    createdAt,
    updatedAt,
    closedAt: c.closedAt === null ? null : time(c.closedAt),
    firstAgentReplyAt: firstReplyAsRead(c, createdAt, o, time),
    rating:
      c.rating === null
        ? null
        : { ...c.rating, ratedAt: o.ratedAtFromUpdatedAt ? updatedAt : time(c.rating.ratedAt) },
  };
}

/** A transformed copy; `d` is not modified. Fields no option names are left as they are. */
export function asExported(d: Dataset, o: AsExportedOptions = {}): Dataset {
  return {
    ...d,
    agents: d.agents.map((a) => ({ ...a })),
    conversations: d.conversations.map((c) => conversationAsRead(c, o)),
  };
}
