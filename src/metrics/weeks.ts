import { TZDate } from '@date-fns/tz';
import { addWeeks } from 'date-fns/addWeeks';
import { format } from 'date-fns/format';
import { startOfWeek } from 'date-fns/startOfWeek';

export interface Week {
  /** Monday 00:00 in the timezone, as an instant. */
  start: Date;
  /** The next Monday 00:00 (exclusive). */
  end: Date;
  /** YYYY-MM-DD of the Monday, in the timezone. */
  label: string;
}

/**
 * The `count` most recent completed Monday–Sunday weeks in `timezone` that end at or before `now`, oldest
 * first. DST-safe: boundaries are local midnights, so a week can be 167 or 169 hours long.
 */
export function completedWeeks(now: Date, timezone: string, count: number): Week[] {
  const local = new TZDate(now.getTime(), timezone);
  const thisMonday = startOfWeek(local, { weekStartsOn: 1 });
  const weeks: Week[] = [];
  for (let i = count; i >= 1; i--) {
    const start = addWeeks(thisMonday, -i);
    const end = addWeeks(thisMonday, -i + 1);
    weeks.push({
      start: new Date(start.getTime()),
      end: new Date(end.getTime()),
      label: format(start, 'yyyy-MM-dd'),
    });
  }
  return weeks;
}

/** True when `timezone` is an IANA zone this runtime knows. */
export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
