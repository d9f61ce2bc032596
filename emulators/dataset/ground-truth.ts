import { completedWeeks } from '../../src/metrics/weeks.ts';
import { NOT_MEASURED } from '../../src/metrics/calculator.ts';
import type {
  AgentMetrics,
  MetricValues,
  MetricsRequest,
  MetricsSnapshot,
  NotMeasured,
  WeekMetrics,
} from '../../src/metrics/types.ts';
import type { Dataset, DatasetConversation } from './types.ts';

/*
 * The metrics of docs/metrics.md computed straight from a dataset, for adapters to be compared against.
 *
 * Floating point: adapters must use exactly these expressions, in this order, so their results are
 * bit-identical to the ground truth rather than merely close:
 *   percentage  (100 * part) / whole            e.g. csat = (100 * positive) / rated
 *   mean score  sumOfScores / rated             (the sum of integers is exact in any order)
 *   median      sorted[(n - 1) / 2] for odd n; (sorted[n / 2 - 1] + sorted[n / 2]) / 2 for even n
 *   P90         sorted[Math.ceil(0.9 * n) - 1]  (nearest rank; 0.9 * n never rounds above the true ⌈0.9·n⌉
 *                                                for n ≤ 5,000,000, checked exhaustively)
 *   seconds     (replyMs - createdMs) / 1000    (whole seconds here, since every timestamp is one)
 *   backlog     Math.floor((now - oldestOpenCreatedAt) / 86_400_000)
 * Windows are half-open, [from, to), in epoch milliseconds; "7 days" is 7 × 86,400,000 ms, not calendar days.
 */

const DAY_MS = 86_400_000;

/** What the helpdesk can measure at all (docs/metrics.md: csatMeanScore null for Zendesk, deflection Intercom only). */
export interface GroundTruthCaps {
  /** The rating scale is numeric (1–5 stars), so a mean score exists. */
  csatMeanScore: boolean;
  /** The helpdesk reports conversations resolved by its AI agent. */
  deflectionRate: boolean;
}

// Only the words are shared: the arithmetic below stays independent of src/providers/metrics-math.ts, which it checks.
export { NOT_MEASURED };

export function groundTruth(d: Dataset, req: MetricsRequest, caps: GroundTruthCaps): MetricsSnapshot {
  const now = req.now.getTime();
  if (now < d.now) {
    // Statuses in the dataset are as of d.now; an earlier "now" cannot be reconstructed (openNow, "still closed").
    throw new RangeError(`req.now (${req.now.toISOString()}) is before the dataset's now`);
  }
  const conversations = d.conversations.filter((c) => !c.spam);
  const from = now - 7 * DAY_MS;
  const csatFrom = now - 30 * DAY_MS;

  const current = windowed(conversations, { from, to: now }, { from: csatFrom, to: now }, caps);
  const open = conversations.filter((c) => c.status !== 'closed');
  let oldestOpen = Infinity;
  for (const c of open) oldestOpen = Math.min(oldestOpen, c.createdAt);
  current.values.openNow = open.length;
  current.values.backlogAgeDays = open.length === 0 ? 0 : Math.floor((now - oldestOpen) / DAY_MS);

  const weeks: WeekMetrics[] = completedWeeks(req.now, req.timezone, req.historyWeeks).map((week) => {
    const range = { from: week.start.getTime(), to: week.end.getTime() };
    const { values, notMeasured } = windowed(conversations, range, range, caps);
    notMeasured.openNow = NOT_MEASURED.pointInTime;
    notMeasured.backlogAgeDays = NOT_MEASURED.pointInTime;
    return { weekStart: week.label, values, notMeasured };
  });

  return {
    measuredAt: req.now.toISOString(),
    window: {
      from: new Date(from).toISOString(),
      to: req.now.toISOString(),
      csatFrom: new Date(csatFrom).toISOString(),
    },
    current: current.values,
    notMeasured: current.notMeasured,
    agents: agentRows(d, conversations, now),
    weeks,
  };
}

interface Range {
  from: number;
  to: number;
}

const inRange = (t: number | null, r: Range): t is number => t !== null && t >= r.from && t < r.to;

/** Every windowed metric over `range` (ratings over `ratingRange`); openNow and backlogAgeDays left null. */
function windowed(
  conversations: readonly DatasetConversation[],
  range: Range,
  ratingRange: Range,
  caps: GroundTruthCaps,
): { values: MetricValues; notMeasured: NotMeasured } {
  const notMeasured: NotMeasured = { utilisation: NOT_MEASURED.utilisation };
  const created = conversations.filter((c) => inRange(c.createdAt, range));

  const csat = csatOf(conversations, ratingRange);
  if (csat.responses === 0) notMeasured.csat = NOT_MEASURED.noRatings;
  let csatMeanScore: number | null = null;
  if (!caps.csatMeanScore) notMeasured.csatMeanScore = NOT_MEASURED.csatMeanScoreUnsupported;
  else if (csat.responses === 0) notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
  else csatMeanScore = csat.scoreSum / csat.responses;

  const replySeconds = firstResponseSeconds(created);
  if (replySeconds.length === 0) {
    notMeasured.firstResponseSeconds = NOT_MEASURED.noFirstResponse;
    notMeasured.firstResponseP90Seconds = NOT_MEASURED.noFirstResponse;
  }

  // "Closed in the window (still closed now)": closedAt is the last close, null unless closed now.
  const resolved = conversations.filter((c) => c.status === 'closed' && inRange(c.closedAt, range));
  let oneTouch = 0;
  let aiResolved = 0;
  for (const c of resolved) {
    if (c.agentReplies === 1 && c.reopens === 0) oneTouch++;
    if (c.aiResolved) aiResolved++;
  }
  if (resolved.length === 0) notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
  let deflectionRate: number | null = null;
  if (!caps.deflectionRate) notMeasured.deflectionRate = NOT_MEASURED.deflectionUnsupported;
  else if (resolved.length === 0) notMeasured.deflectionRate = NOT_MEASURED.noneClosed;
  else deflectionRate = (100 * aiResolved) / resolved.length;

  return {
    values: {
      weeklyVolume: created.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      csatMeanScore,
      firstResponseSeconds: median(replySeconds),
      firstResponseP90Seconds: p90(replySeconds),
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: resolved.length === 0 ? null : (100 * oneTouch) / resolved.length,
      deflectionRate,
      utilisation: null,
    },
    notMeasured,
  };
}

/** Ratings given in `range`; positive = 4 or 5 stars. */
function csatOf(
  conversations: readonly DatasetConversation[],
  range: Range,
): { percent: number | null; responses: number; scoreSum: number } {
  let responses = 0;
  let positive = 0;
  let scoreSum = 0;
  for (const c of conversations) {
    if (c.rating === null || !inRange(c.rating.ratedAt, range)) continue;
    responses++;
    scoreSum += c.rating.score;
    if (c.rating.score >= 4) positive++;
  }
  return { percent: responses === 0 ? null : (100 * positive) / responses, responses, scoreSum };
}

/** First human reply − creation, in seconds, ascending, over conversations that got one. */
function firstResponseSeconds(conversations: readonly DatasetConversation[]): Float64Array {
  const values: number[] = [];
  for (const c of conversations) {
    if (c.firstAgentReplyAt !== null) values.push((c.firstAgentReplyAt - c.createdAt) / 1000);
  }
  return Float64Array.from(values).sort();
}

/** Median of an ascending list; for an even count the mean of the two middle values. */
export function median(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n % 2 === 1) return sorted[(n - 1) / 2] as number;
  return ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** Nearest-rank 90th percentile of an ascending list: the value at position ⌈0.9·n⌉ (1-based). */
export function p90(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.ceil(0.9 * n) - 1] as number;
}

/** Agents with ≥1 assigned conversation created in the 30-day window, sorted by agentId. */
function agentRows(d: Dataset, conversations: readonly DatasetConversation[], now: number): AgentMetrics[] {
  const week: Range = { from: now - 7 * DAY_MS, to: now };
  const month: Range = { from: now - 30 * DAY_MS, to: now };
  const byAgent = new Map<string, DatasetConversation[]>();
  for (const c of conversations) {
    if (c.assigneeId === null) continue;
    let list = byAgent.get(c.assigneeId);
    if (list === undefined) byAgent.set(c.assigneeId, (list = []));
    list.push(c);
  }
  const names = new Map(d.agents.map((a) => [a.id, a.name]));
  const rows: AgentMetrics[] = [];
  for (const [agentId, assigned] of byAgent) {
    if (!assigned.some((c) => inRange(c.createdAt, month))) continue;
    const recent = assigned.filter((c) => inRange(c.createdAt, week));
    const csat = csatOf(assigned, month);
    rows.push({
      agentId,
      name: names.get(agentId) ?? agentId,
      tickets: recent.length,
      csat: csat.percent,
      csatResponses: csat.responses,
      firstResponseSeconds: median(firstResponseSeconds(recent)),
    });
  }
  return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}
