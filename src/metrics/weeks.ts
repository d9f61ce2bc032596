import { TZDate } from '@date-fns/tz';
import { addWeeks } from 'date-fns/addWeeks';
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
  // Each Monday once (a week ends where the next starts): a snapshot of 520 weeks costs 521 zone lookups.
  const mondays: TZDate[] = [];
  for (let i = count; i >= 0; i--) mondays.push(addWeeks(thisMonday, -i));
  const weeks: Week[] = [];
  for (let k = 0; k < count; k++) {
    const start = mondays[k] as TZDate;
    weeks.push({
      start: new Date(start.getTime()),
      end: new Date((mondays[k + 1] as TZDate).getTime()),
      label: `${String(start.getFullYear()).padStart(4, '0')}-${pad2(start.getMonth() + 1)}-${pad2(start.getDate())}`,
    });
  }
  return weeks;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ICU's zone names by their lower case (ICU lists some under an older name: Asia/Calcutta for Asia/Kolkata). */
let zonesByLowerCase: Map<string, string> | undefined;

/**
 * A valid timezone as the tz database spells it, whatever case it was given in (`europe/london` →
 * `Europe/London`, `est` → `EST`): the name a workspace or an import keeps and shows. A name given in its own
 * spelling is kept as given, never swapped for what it links to (`EST` stays, not `America/Panama`).
 */
export function canonicalTimezone(timezone: string): string {
  zonesByLowerCase ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  const listed = zonesByLowerCase.get(timezone.toLowerCase());
  if (listed !== undefined) return listed;
  // UTC, GMT, EST, EST5EDT: the tz database writes its names without a region in capitals.
  if (!timezone.includes('/') && isValidTimezone(timezone.toUpperCase())) return timezone.toUpperCase();
  // A link ICU lists under its target (asia/kolkata, us/eastern): written in lower case, ICU's name for it
  // (Asia/Calcutta, America/New_York); written with capitals, as given.
  if (timezone === timezone.toLowerCase()) {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  }
  return timezone;
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
