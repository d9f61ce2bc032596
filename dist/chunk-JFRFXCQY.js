// src/metrics/weeks.ts
import { TZDate } from '@date-fns/tz';
import { addWeeks } from 'date-fns/addWeeks';
import { format } from 'date-fns/format';
import { startOfWeek } from 'date-fns/startOfWeek';
function completedWeeks(now, timezone, count) {
  const local = new TZDate(now.getTime(), timezone);
  const thisMonday = startOfWeek(local, { weekStartsOn: 1 });
  const weeks = [];
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
function isValidTimezone(timezone) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export { completedWeeks, isValidTimezone };
//# sourceMappingURL=chunk-JFRFXCQY.js.map
