import type { MetricKey, WeekDto } from '../../src/contracts/metrics.ts';

/*
 * How each metric reads, the way support tools show them (Intercom Reports, Zendesk Explore): units and
 * rounding, which direction is good, and what its change is measured against — week over week, CSAT month
 * over month in percentage points (the reference product reads CSAT by its monthly trend).
 */

export type Unit = 'count' | 'percent' | 'duration' | 'days' | 'score';

export interface MetricMeta {
  key: MetricKey;
  label: string;
  unit: Unit;
  /** Up is good, down is good, or neither (volume is demand, not performance). */
  better: 'up' | 'down' | null;
  /** What the number covers. */
  window: string;
  /** Point-in-time metrics have no weekly history. */
  pointInTime?: boolean;
  /** The CSAT figures' change is month over month (4 weeks against the 4 before). */
  monthly?: boolean;
}

export const METRICS: MetricMeta[] = [
  {
    key: 'weeklyVolume',
    label: 'Weekly volume',
    unit: 'count',
    better: null,
    window: 'conversations, last 7 days',
  },
  {
    key: 'csat',
    label: 'CSAT',
    unit: 'percent',
    better: 'up',
    window: 'positive ratings, last 30 days',
    monthly: true,
  },
  {
    key: 'firstResponseSeconds',
    label: 'First response',
    unit: 'duration',
    better: 'down',
    window: 'median, last 7 days',
  },
  {
    key: 'firstResponseP90Seconds',
    label: 'First response P90',
    unit: 'duration',
    better: 'down',
    window: '90th percentile, last 7 days',
  },
  {
    key: 'openNow',
    label: 'Open now',
    unit: 'count',
    better: 'down',
    window: 'open or snoozed right now',
    pointInTime: true,
  },
  {
    key: 'backlogAgeDays',
    label: 'Backlog age',
    unit: 'days',
    better: 'down',
    window: 'oldest open conversation',
    pointInTime: true,
  },
  {
    key: 'oneTouchRate',
    label: 'One-touch resolution',
    unit: 'percent',
    better: 'up',
    window: 'closed with one reply, last 7 days',
  },
  {
    key: 'deflectionRate',
    label: 'AI deflection',
    unit: 'percent',
    better: 'up',
    window: 'closed by the AI agent, last 7 days',
  },
  {
    key: 'csatMeanScore',
    label: 'CSAT mean score',
    unit: 'score',
    better: 'up',
    window: 'of 5, last 30 days',
    monthly: true,
  },
  {
    key: 'utilisation',
    label: 'Agent utilisation',
    unit: 'percent',
    better: null,
    window: 'capacity in use',
  },
];

export const metaOf = (key: string): MetricMeta | undefined => METRICS.find((m) => m.key === key);

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${oneDecimal.format(seconds / 3600)} h`;
  return `${oneDecimal.format(seconds / 86400)} d`;
}

export function formatValue(unit: Unit, v: number): string {
  switch (unit) {
    case 'count':
      return number.format(v);
    case 'percent':
      return `${oneDecimal.format(v)} %`;
    case 'duration':
      return duration(v);
    case 'days':
      return `${number.format(v)} ${v === 1 ? 'day' : 'days'}`;
    case 'score':
      return `${oneDecimal.format(v)} / 5`;
  }
}

/** What one week's value covers, for a chart of weeks: "median, last 7 days" becomes "median, per week". */
export const weeklyWindow = (meta: MetricMeta): string =>
  meta.window.replace(/, last \d+ days$/, ', per week');

export interface Delta {
  /** Signed change as shown (one decimal): % change for counts and durations, points for percentages. */
  value: number;
  text: string;
  /** good, bad or neutral, by the metric's direction. */
  tone: 'good' | 'bad' | 'neutral';
  against: string;
}

/**
 * CSAT (or its mean score) over several weeks: each week weighted by its ratings — positive ratings over ratings,
 * the mean of every score — not a mean of weekly figures.
 */
function pooled(weeks: WeekDto[], key: 'csat' | 'csatMeanScore'): number | null {
  let total = 0;
  let responses = 0;
  for (const w of weeks) {
    const n = w.metrics.csatResponses ?? 0;
    const v = w.metrics[key];
    if (v === null || n === 0) continue;
    total += v * n;
    responses += n;
  }
  return responses === 0 ? null : total / responses;
}

/** The change of a metric over its history (oldest week first), or null when there is not enough of it. */
export function deltaOf(meta: MetricMeta, weeks: WeekDto[]): Delta | null {
  if (meta.pointInTime) return null;
  let before: number | null;
  let after: number | null;
  let against: string;
  if (meta.monthly) {
    if (weeks.length < 8) return null;
    const key = meta.key === 'csatMeanScore' ? 'csatMeanScore' : 'csat';
    after = pooled(weeks.slice(-4), key);
    before = pooled(weeks.slice(-8, -4), key);
    against = 'vs the 4 weeks before';
  } else {
    if (weeks.length < 2) return null;
    after = weeks.at(-1)?.metrics[meta.key] ?? null;
    before = weeks.at(-2)?.metrics[meta.key] ?? null;
    against = 'last week vs the week before';
  }
  if (after === null || before === null) return null;
  const points = meta.unit === 'percent' || meta.unit === 'score';
  if (!points && before === 0) return null;
  const value = points ? after - before : (100 * (after - before)) / before;
  const rounded = Math.round(value * 10) / 10;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  const text = `${sign}${oneDecimal.format(Math.abs(rounded))}${points ? (meta.unit === 'score' ? '' : ' pp') : ' %'}`;
  const tone =
    meta.better === null || rounded === 0
      ? 'neutral'
      : rounded > 0 === (meta.better === 'up')
        ? 'good'
        : 'bad';
  return { value: rounded, text, tone, against };
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago", "in 2 hours". */
export function relative(iso: string, now = Date.now()): string {
  const diff = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return rtf.format(Math.round(diff), 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 36 * 3600) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}

export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

export const shortDate = (ymd: string) =>
  new Date(`${ymd}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** The reference product's agent CSAT bands: ≥ 93 % good, 90–92 % watch, < 90 % below target. */
export function csatBand(v: number): 'good' | 'watch' | 'low' {
  return v >= 93 ? 'good' : v >= 90 ? 'watch' : 'low';
}

/**
 * IANA timezones for a picker: UTC first (browsers' `Intl.supportedValuesOf` leaves it out, so a workspace on UTC
 * would otherwise show the list's first zone as if it were chosen), and `current` when the list lacks it.
 */
export function timeZones(current?: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['Europe/London', 'America/New_York'];
  }
  const all = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  return current && !all.includes(current) ? [current, ...all] : all;
}
