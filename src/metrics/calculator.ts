import type {
  AgentMetrics,
  MetricKey,
  MetricValues,
  MetricsRequest,
  MetricsSnapshot,
  NotMeasured,
  WeekMetrics,
} from './types.ts';
import { completedWeeks, type Week } from './weeks.ts';

/*
 * The arithmetic of docs/metrics.md, once for every source: a helpdesk adapter or an importer maps its data into
 * the neutral facts below and feeds them, one conversation at a time, to a `MetricsFold`, which keeps only what
 * the metrics need (first-response values for medians and P90, counters per window, agent and week — never the
 * conversations themselves). The expressions and their order are the ones emulators/dataset/ground-truth.ts
 * lists, so snapshots are bit-identical to the ground truth, not merely close, whatever order facts arrive in.
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

/** What the source can measure at all (docs/metrics.md: csatMeanScore null for Zendesk, deflection Intercom only). */
export interface MetricCaps {
  /** The rating scale is numeric (1–5 stars), so a mean score exists. */
  csatMeanScore: boolean;
  /** The source reports conversations resolved by the helpdesk's AI agent. */
  deflectionRate: boolean;
  /**
   * Metrics this source cannot measure at all, with the reason — an export whose file lacks the columns. They
   * are null in every window and agent row, whatever the facts say.
   */
  unsupported?: Partial<Record<MetricKey, string>>;
}

/** One conversation (ticket, thread) in the terms of docs/metrics.md; times in epoch ms. */
export interface ConversationFacts {
  /** null when the source did not tell (Front: created before the export began); never in a window then. */
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
  /** Creation of the oldest open conversation; null when nothing is open or the source did not say. */
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

/**
 * First-response seconds of the conversations created in a window; `unknown` once one of them is not known.
 * Kept as counts by value when the values repeat (an export's whole minutes): then a window of a million
 * conversations costs its few hundred distinct values, not a million numbers. The sorted list is the same.
 */
class FirstResponses {
  private values: number[] = [];
  private counts: Map<number, number> | null = null;
  private counted = 0;
  private triedCounts = false;
  unknown = false;

  add(c: ConversationFacts): void {
    if (this.unknown) return;
    if (c.firstReplyKnown === false) {
      this.unknown = true;
      this.values = [];
      this.counts = null;
    } else if (c.createdAt !== null && c.firstReplyAt !== null) {
      const v = (c.firstReplyAt - c.createdAt) / 1000;
      const counts = this.counts;
      if (counts === null) {
        this.values.push(v);
        if (!this.triedCounts && this.values.length === COUNT_FROM) this.countValues();
        return;
      }
      counts.set(v, (counts.get(v) ?? 0) + 1);
      this.counted++;
      if (counts.size > MAX_DISTINCT) this.listValues();
    }
  }

  private countValues(): void {
    this.triedCounts = true;
    const counts = new Map<number, number>();
    for (const v of this.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > COUNT_FROM / 4) return;
    this.counts = counts;
    this.counted = this.values.length;
    this.values = [];
  }

  private listValues(): void {
    this.values = Array.from(this.sorted() ?? []);
    this.counts = null;
  }

  /** Ascending; null when one of them is not known. */
  sorted(): Float64Array | null {
    if (this.unknown) return null;
    if (this.counts === null) return Float64Array.from(this.values).sort();
    const out = new Float64Array(this.counted);
    let at = 0;
    for (const v of [...this.counts.keys()].sort((a, b) => a - b)) {
      const n = this.counts.get(v) as number;
      out.fill(v, at, at + n);
      at += n;
    }
    return out;
  }
}

/** FirstResponses: values listed before counting them is tried; distinct values counted at most. */
const COUNT_FROM = 4096;
const MAX_DISTINCT = 16_384;

class Csat {
  responses = 0;
  positive = 0;
  scored = 0;
  scoreSum = 0;

  add(r: RatingFact): void {
    this.responses++;
    if (r.positive) this.positive++;
    if (r.score !== null) {
      this.scored++;
      this.scoreSum += r.score;
    }
  }

  get percent(): number | null {
    return this.responses === 0 ? null : (100 * this.positive) / this.responses;
  }

  get meanScore(): number | null {
    return this.scored === 0 ? null : this.scoreSum / this.scored;
  }
}

/** Everything one window (the rolling 7 days, or one week) needs: conversations created and closed in it. */
class WindowTotals {
  created = 0;
  readonly replies = new FirstResponses();
  resolved = 0;
  oneTouch = 0;
  aiResolved = 0;
  readonly csat = new Csat();

  addCreated(c: ConversationFacts): void {
    this.created++;
    this.replies.add(c);
  }

  addClosed(c: ConversationFacts): void {
    this.resolved++;
    if (c.oneTouch) this.oneTouch++;
    if (c.aiResolved) this.aiResolved++;
  }

  values(caps: MetricCaps, reasons: PartialDataReasons): { values: MetricValues; notMeasured: NotMeasured } {
    const notMeasured: NotMeasured = { utilisation: NOT_MEASURED.utilisation };
    const csat = this.csat;
    if (csat.responses === 0) notMeasured.csat = NOT_MEASURED.noRatings;
    let csatMeanScore: number | null = null;
    if (!caps.csatMeanScore) notMeasured.csatMeanScore = NOT_MEASURED.csatMeanScoreUnsupported;
    else if (csat.responses === 0) notMeasured.csatMeanScore = NOT_MEASURED.noRatings;
    else csatMeanScore = csat.meanScore;

    const seconds = this.replies.sorted();
    const noReply =
      seconds === null
        ? reasons.firstReplyUnknown
        : seconds.length === 0
          ? NOT_MEASURED.noFirstResponse
          : null;
    if (noReply !== null) {
      notMeasured.firstResponseSeconds = noReply;
      notMeasured.firstResponseP90Seconds = noReply;
    }

    if (this.resolved === 0) notMeasured.oneTouchRate = NOT_MEASURED.noneClosed;
    let deflectionRate: number | null = null;
    if (!caps.deflectionRate) notMeasured.deflectionRate = NOT_MEASURED.deflectionUnsupported;
    else if (this.resolved === 0) notMeasured.deflectionRate = NOT_MEASURED.noneClosed;
    else deflectionRate = (100 * this.aiResolved) / this.resolved;

    const values: MetricValues = {
      weeklyVolume: this.created,
      csat: csat.percent,
      csatResponses: csat.responses,
      csatMeanScore,
      firstResponseSeconds: seconds === null ? null : median(seconds),
      firstResponseP90Seconds: seconds === null ? null : p90(seconds),
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: this.resolved === 0 ? null : (100 * this.oneTouch) / this.resolved,
      deflectionRate,
      utilisation: null,
    };
    for (const [key, reason] of Object.entries(caps.unsupported ?? {}) as [MetricKey, string][]) {
      values[key] = null;
      notMeasured[key] = reason;
    }
    return { values, notMeasured };
  }
}

class AgentTotals {
  /** Has a conversation created in the 30-day window (docs/metrics.md: only those agents get a row). */
  active = false;
  tickets = 0;
  readonly replies = new FirstResponses();
  readonly csat = new Csat();
}

/**
 * Which weeks a snapshot reports: the `n` most recent completed weeks, or (`covered`) every completed week from
 * the first one starting at or after the earliest instant the source says it covers (`MetricsFold.cover`) —
 * what an imported export can vouch for.
 */
export type HistoryWeeks = number | 'covered';

/** How far back `covered` reaches at the most: ten years of weeks. */
export const MAX_COVERED_WEEKS = 520;

export interface FoldRequest {
  now: Date;
  timezone: string;
  historyWeeks: HistoryWeeks;
}

/**
 * The calculator as a fold: feed it one conversation, rating and agent at a time, in any order, then read the
 * snapshot. Memory grows with the first-response values of the windows and the agents, not with conversations.
 */
export class MetricsFold {
  private readonly now: number;
  private readonly week: Range;
  private readonly month: Range;
  private readonly current = new WindowTotals();
  /** The completed weeks a fact can fall in, oldest first, and their start instants for a binary search. */
  private readonly calendar: Week[];
  private readonly starts: Float64Array;
  private readonly weeks = new Map<number, WindowTotals>();
  private readonly agents = new Map<string, AgentTotals>();
  private readonly names = new Map<string, string>();
  private open: OpenState = { count: 0, oldestCreatedAt: null };
  private coveredFrom = Infinity;
  private readonly reasons: PartialDataReasons;

  constructor(
    private readonly req: FoldRequest,
    private readonly caps: MetricCaps,
    reasons: Partial<PartialDataReasons> = {},
  ) {
    this.now = req.now.getTime();
    this.week = { from: this.now - 7 * DAY_MS, to: this.now };
    this.month = { from: this.now - 30 * DAY_MS, to: this.now };
    this.reasons = { ...DEFAULT_REASONS, ...reasons };
    const n = req.historyWeeks === 'covered' ? MAX_COVERED_WEEKS : req.historyWeeks;
    this.calendar = completedWeeks(req.now, req.timezone, n);
    this.starts = Float64Array.from(this.calendar, (w) => w.start.getTime());
  }

  /** The completed week holding `t`, or undefined outside the calendar. */
  private weekOf(t: number | null): WindowTotals | undefined {
    const starts = this.starts;
    const n = starts.length;
    if (t === null || n === 0 || t < (starts[0] as number)) return undefined;
    const last = this.calendar[n - 1] as Week;
    if (t >= last.end.getTime()) return undefined;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    let totals = this.weeks.get(lo);
    if (totals === undefined) this.weeks.set(lo, (totals = new WindowTotals()));
    return totals;
  }

  private agent(id: string): AgentTotals {
    let a = this.agents.get(id);
    if (a === undefined) this.agents.set(id, (a = new AgentTotals()));
    return a;
  }

  addConversation(c: ConversationFacts): void {
    if (inRange(c.createdAt, this.week)) this.current.addCreated(c);
    this.weekOf(c.createdAt)?.addCreated(c);
    if (inRange(c.closedNowAt, this.week)) this.current.addClosed(c);
    this.weekOf(c.closedNowAt)?.addClosed(c);
    if (c.assigneeId === null) return;
    const a = this.agent(c.assigneeId);
    if (inRange(c.createdAt, this.month)) a.active = true;
    if (inRange(c.createdAt, this.week)) {
      a.tickets++;
      a.replies.add(c);
    }
  }

  addRating(r: RatingFact): void {
    if (inRange(r.at, this.month)) {
      this.current.csat.add(r);
      if (r.assigneeId !== null) this.agent(r.assigneeId).csat.add(r);
    }
    this.weekOf(r.at)?.csat.add(r);
  }

  nameAgent(a: AgentRef): void {
    this.names.set(a.id, a.name);
  }

  setOpen(open: OpenState): void {
    this.open = open;
  }

  /** For `historyWeeks: 'covered'`: the source vouches for everything from `t` on. */
  cover(t: number): void {
    if (t < this.coveredFrom) this.coveredFrom = t;
  }

  snapshot(): MetricsSnapshot {
    const now = this.now;
    const current = this.current.values(this.caps, this.reasons);
    const { count, oldestCreatedAt } = this.open;
    current.values.openNow = count;
    if (count === 0) current.values.backlogAgeDays = 0;
    else if (oldestCreatedAt !== null)
      current.values.backlogAgeDays = Math.floor((now - oldestCreatedAt) / DAY_MS);
    else current.notMeasured.backlogAgeDays = this.reasons.oldestOpenUnknown;
    // What a source cannot tell at all wins over what the count says, as for the windowed metrics.
    for (const key of ['openNow', 'backlogAgeDays'] as const) {
      const why = this.caps.unsupported?.[key];
      if (why === undefined) continue;
      current.values[key] = null;
      current.notMeasured[key] = why;
    }

    const first =
      this.req.historyWeeks === 'covered'
        ? this.calendar.findIndex((w) => w.start.getTime() >= this.coveredFrom)
        : 0;
    const weeks: WeekMetrics[] = (first < 0 ? [] : this.calendar.slice(first)).map((w, i) => {
      const totals = this.weeks.get(first + i) ?? new WindowTotals();
      const { values, notMeasured } = totals.values(this.caps, this.reasons);
      notMeasured.openNow = NOT_MEASURED.pointInTime;
      notMeasured.backlogAgeDays = NOT_MEASURED.pointInTime;
      return { weekStart: w.label, values, notMeasured };
    });

    return {
      measuredAt: this.req.now.toISOString(),
      window: {
        from: new Date(this.week.from).toISOString(),
        to: this.req.now.toISOString(),
        csatFrom: new Date(this.month.from).toISOString(),
      },
      current: current.values,
      notMeasured: current.notMeasured,
      agents: this.agentRows(),
      weeks,
    };
  }

  /** Agents with ≥1 assigned conversation created in the 30-day window, sorted by agentId (docs/metrics.md). */
  private agentRows(): AgentMetrics[] {
    const rows: AgentMetrics[] = [];
    for (const [agentId, a] of this.agents) {
      if (!a.active) continue;
      const seconds = a.replies.sorted();
      const unsupported = this.caps.unsupported ?? {};
      rows.push({
        agentId,
        name: this.names.get(agentId) ?? agentId,
        tickets: a.tickets,
        csat: unsupported.csat === undefined ? a.csat.percent : null,
        csatResponses: a.csat.responses,
        firstResponseSeconds:
          seconds === null || unsupported.firstResponseSeconds !== undefined ? null : median(seconds),
      });
    }
    return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }
}

/** The snapshot of docs/metrics.md from neutral facts: 7/30-day windows ending at `req.now`, then history weeks. */
export function computeSnapshot(
  input: SnapshotInput,
  req: MetricsRequest,
  caps: MetricCaps,
): MetricsSnapshot {
  const fold = new MetricsFold(req, caps, input.reasons);
  for (const c of input.conversations) fold.addConversation(c);
  for (const r of input.ratings) fold.addRating(r);
  for (const a of input.agents) fold.nameAgent(a);
  fold.setOpen(input.open);
  return fold.snapshot();
}
