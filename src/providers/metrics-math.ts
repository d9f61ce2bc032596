import { completedWeeks } from '../lib/weeks.ts';
import type {
  AgentMetrics,
  MetricValues,
  MetricsRequest,
  MetricsSnapshot,
  NotMeasured,
  WeekMetrics,
} from './metrics-types.ts';

/*
 * The arithmetic of docs/metrics.md, once for every adapter: an adapter maps its raw pages into the neutral facts
 * below and `computeSnapshot` does the rest. The expressions and their order are the ones
 * emulators/dataset/ground-truth.ts lists, so snapshots are bit-identical to the ground truth, not merely close.
 * The ground truth stays a separate implementation on purpose: it is what this file is tested against.
 */

export const DAY_MS = 86_400_000;

/** The `notMeasured` reasons of docs/metrics.md; emulators/dataset/ground-truth.ts reports the same words. */
export const NOT_MEASURED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  csatMeanScoreUnsupported: "the helpdesk's rating scale is not numeric (good/bad only)",
  deflectionUnsupported: 'the helpdesk does not report AI-resolved conversations',
  noRatings: 'no ratings in the window',
  noFirstResponse: 'no conversation created in the window got a human reply',
  noneClosed: 'no conversation closed in the window',
  pointInTime: 'point-in-time metric: not reconstructible for past weeks',
} as const;

/** What the helpdesk can measure at all (docs/metrics.md: csatMeanScore null for Zendesk, deflection Intercom only). */
export interface MetricCaps {
  /** The rating scale is numeric (1–5 stars), so a mean score exists. */
  csatMeanScore: boolean;
  /** The helpdesk reports conversations resolved by its AI agent. */
  deflectionRate: boolean;
}

/** One conversation (ticket, thread) in the terms of docs/metrics.md; times in epoch ms. */
export interface ConversationFacts {
  /** null when the helpdesk did not tell (Front: created before the export began); never in a window then. */
  createdAt: number | null;
  assigneeId: string | null;
  /** The first human agent reply; null without one. */
  firstReplyAt: number | null;
  /**
   * false when the conversation got a reply whose time is not known to the second (Zendesk: minutes only and no
   * `reply_time` event); first-response medians over a window holding it are then not measured. Default true.
   */
  firstReplyKnown?: boolean;
  /** The last close, only if the conversation is closed now ("closed in the window, still closed now"). */
  closedNowAt: number | null;
  /** Exactly one human agent reply and never reopened. */
  oneTouch: boolean;
  /** Closed by the helpdesk's AI agent with no human reply. */
  aiResolved: boolean;
}

export interface RatingFact {
  /** When the rating was given (epoch ms). */
  at: number;
  /** 4–5 of 5 stars, Zendesk `good`, Front "satisfied". */
  positive: boolean;
  /** The 1–5 score; null where the scale is not numeric. */
  score: number | null;
  /** The rated conversation's assignee; null when unassigned (counts in the workspace metrics only). */
  assigneeId: string | null;
}

export interface OpenState {
  count: number;
  /** Creation of the oldest open conversation; null when nothing is open or the helpdesk did not say. */
  oldestCreatedAt: number | null;
}

export interface AgentRef {
  id: string;
  name: string;
}

export interface SnapshotInput {
  conversations: readonly ConversationFacts[];
  ratings: readonly RatingFact[];
  open: OpenState;
  /** For names; an agent missing here (removed from the helpdesk) keeps its row, named by its id. */
  agents: readonly AgentRef[];
  /** Words naming the helpdesk for the gaps only some helpdesks have. */
  reasons?: Partial<PartialDataReasons>;
}

export interface PartialDataReasons {
  /** A conversation in the window has `firstReplyKnown: false`. */
  firstReplyUnknown: string;
  /** `open.count > 0` but `open.oldestCreatedAt` is null. */
  oldestOpenUnknown: string;
}

const DEFAULT_REASONS: PartialDataReasons = {
  firstReplyUnknown: 'the first reply time of some conversations in the window is not known to the second',
  oldestOpenUnknown: 'the helpdesk counted open conversations but listed none',
};

export interface Range {
  from: number;
  to: number;
}

/** Half-open [from, to), as docs/metrics.md's windows are. */
export const inRange = (t: number | null, r: Range): t is number => t !== null && t >= r.from && t < r.to;

/** Count and oldest creation of the conversations open now. */
export function openStateOf(createdAts: Iterable<number>): OpenState {
  let count = 0;
  let oldest = Infinity;
  for (const t of createdAts) {
    count++;
    oldest = Math.min(oldest, t);
  }
  return { count, oldestCreatedAt: count === 0 ? null : oldest };
}

/** Median of an ascending list; for an even count the mean of the two middle values (docs/metrics.md). */
export function median(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2] as number;
  return ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** Nearest-rank 90th percentile of an ascending list: the value at position ⌈0.9·n⌉ (1-based). */
export function p90(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.ceil(0.9 * n) - 1] as number;
}

/** Ascending first-reply seconds over the conversations that got one; null when one of them is not known. */
function firstResponseSeconds(conversations: readonly ConversationFacts[]): Float64Array | null {
  const values: number[] = [];
  for (const c of conversations) {
    if (c.firstReplyKnown === false) return null;
    if (c.createdAt !== null && c.firstReplyAt !== null) values.push((c.firstReplyAt - c.createdAt) / 1000);
  }
  return Float64Array.from(values).sort();
}

function csatOf(ratings: readonly RatingFact[], range: Range) {
  let responses = 0;
  let positive = 0;
  let scored = 0;
  let scoreSum = 0;
  for (const r of ratings) {
    if (!inRange(r.at, range)) continue;
    responses++;
    if (r.positive) positive++;
    if (r.score !== null) {
      scored++;
      scoreSum += r.score;
    }
  }
  return {
    percent: responses === 0 ? null : (100 * positive) / responses,
    responses,
    meanScore: scored === 0 ? null : scoreSum / scored,
  };
}

function windowed(
  input: SnapshotInput,
  range: Range,
  ratingRange: Range,
  caps: MetricCaps,
): { values: MetricValues; notMeasured: NotMeasured } {
  const notMeasured: NotMeasured = { utilisation: NOT_MEASURED.utilisation };
  const created = input.conversations.filter((c) => inRange(c.createdAt, range));

  const csat = csatOf(input.ratings, ratingRange);
  if (csat.responses === 0) notMeasured.csat = NOT_MEASURED.noRatings;
  let csatMeanScore: number | null = null;
  if (!caps.csatMeanScore) notMeasured.csatMeanScore = NOT_MEASURED.csatMeanScoreUnsupported;
  else if (csat.responses === 0) notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
  else csatMeanScore = csat.meanScore;

  const seconds = firstResponseSeconds(created);
  const noReply =
    seconds === null
      ? (input.reasons?.firstReplyUnknown ?? DEFAULT_REASONS.firstReplyUnknown)
      : seconds.length === 0
        ? NOT_MEASURED.noFirstResponse
        : null;
  if (noReply !== null) {
    notMeasured.firstResponseSeconds = noReply;
    notMeasured.firstResponseP90Seconds = noReply;
  }

  let resolved = 0;
  let oneTouch = 0;
  let aiResolved = 0;
  for (const c of input.conversations) {
    if (!inRange(c.closedNowAt, range)) continue;
    resolved++;
    if (c.oneTouch) oneTouch++;
    if (c.aiResolved) aiResolved++;
  }
  if (resolved === 0) notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
  let deflectionRate: number | null = null;
  if (!caps.deflectionRate) notMeasured.deflectionRate = NOT_MEASURED.deflectionUnsupported;
  else if (resolved === 0) notMeasured.deflectionRate = NOT_MEASURED.noneClosed;
  else deflectionRate = (100 * aiResolved) / resolved;

  return {
    values: {
      weeklyVolume: created.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      csatMeanScore,
      firstResponseSeconds: seconds === null ? null : median(seconds),
      firstResponseP90Seconds: seconds === null ? null : p90(seconds),
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: resolved === 0 ? null : (100 * oneTouch) / resolved,
      deflectionRate,
      utilisation: null,
    },
    notMeasured,
  };
}

/** Agents with ≥1 assigned conversation created in the 30-day window, sorted by agentId (docs/metrics.md). */
function agentRows(input: SnapshotInput, week: Range, month: Range): AgentMetrics[] {
  const byAgent = new Map<string, ConversationFacts[]>();
  for (const c of input.conversations) {
    if (c.assigneeId === null) continue;
    let list = byAgent.get(c.assigneeId);
    if (list === undefined) byAgent.set(c.assigneeId, (list = []));
    list.push(c);
  }
  const names = new Map(input.agents.map((a) => [a.id, a.name]));
  const rows: AgentMetrics[] = [];
  for (const [agentId, assigned] of byAgent) {
    if (!assigned.some((c) => inRange(c.createdAt, month))) continue;
    const recent = assigned.filter((c) => inRange(c.createdAt, week));
    const csat = csatOf(
      input.ratings.filter((r) => r.assigneeId === agentId),
      month,
    );
    const seconds = firstResponseSeconds(recent);
    rows.push({
      agentId,
      name: names.get(agentId) ?? agentId,
      tickets: recent.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      firstResponseSeconds: seconds === null ? null : median(seconds),
    });
  }
  return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

/** The snapshot of docs/metrics.md from neutral facts: 7/30-day windows ending at `req.now`, then history weeks. */
export function computeSnapshot(
  input: SnapshotInput,
  req: MetricsRequest,
  caps: MetricCaps,
): MetricsSnapshot {
  const now = req.now.getTime();
  const week: Range = { from: now - 7 * DAY_MS, to: now };
  const month: Range = { from: now - 30 * DAY_MS, to: now };

  const current = windowed(input, week, month, caps);
  const { count, oldestCreatedAt } = input.open;
  current.values.openNow = count;
  if (count === 0) current.values.backlogAgeDays = 0;
  else if (oldestCreatedAt !== null)
    current.values.backlogAgeDays = Math.floor((now - oldestCreatedAt) / DAY_MS);
  else
    current.notMeasured.backlogAgeDays =
      input.reasons?.oldestOpenUnknown ?? DEFAULT_REASONS.oldestOpenUnknown;

  const weeks: WeekMetrics[] = completedWeeks(req.now, req.timezone, req.historyWeeks).map((w) => {
    const range = { from: w.start.getTime(), to: w.end.getTime() };
    const { values, notMeasured } = windowed(input, range, range, caps);
    notMeasured.openNow = NOT_MEASURED.pointInTime;
    notMeasured.backlogAgeDays = NOT_MEASURED.pointInTime;
    return { weekStart: w.label, values, notMeasured };
  });

  return {
    measuredAt: req.now.toISOString(),
    window: {
      from: new Date(week.from).toISOString(),
      to: req.now.toISOString(),
      csatFrom: new Date(month.from).toISOString(),
    },
    current: current.values,
    notMeasured: current.notMeasured,
    agents: agentRows(input, week, month),
    weeks,
  };
}
