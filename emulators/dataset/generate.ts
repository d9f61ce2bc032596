import { createRandom, type Random } from './random.ts';
import type { Dataset, DatasetAgent, DatasetConversation, DatasetRating } from './types.ts';
import { openConversation } from './conversation.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Wednesday 2026-11-18 15:30:00 UTC: the default `now`, so a seed alone reproduces a dataset. */
export const DEFAULT_NOW = Date.UTC(2026, 10, 18, 15, 30, 0);
export const DEFAULT_WEEKS = 16;
export const DEFAULT_CONVERSATIONS = 2000;

export interface GenerateOptions {
  seed: number;
  /** Conversations to create (spam included). Default 2000. */
  conversations?: number | undefined;
  /** Weeks of history before `now` over which conversations are created. Default 16. */
  weeks?: number | undefined;
  /** The instant the dataset describes (epoch ms or Date), floored to a whole second. Default DEFAULT_NOW. */
  now?: number | Date | undefined;
  /** Helpdesk agents. Default `defaultAgentCount(conversations)`. */
  agents?: number | undefined;
  /** false: nobody rated anything. Default true. */
  ratings?: boolean | undefined;
  /** false: every conversation is closed by `now` (nothing open or snoozed). Default true. */
  openConversations?: boolean | undefined;
}

/**
 * The shape of the helpdesk, as probabilities and log-normal durations (median, sigma in log space). Chosen to
 * look like a mid-size B2B support team: see README.md for what each knob produces.
 */
export const MODEL = {
  /** Marked spam or deleted; excluded from every metric. */
  spam: 0.02,
  /** Of spam, left sitting in the inbox instead of being closed, so exclusion from openNow is tested. */
  spamLeftOpen: 0.2,
  /** Of non-spam conversations, handled by the AI agent, which closes most of them within minutes. */
  aiHandled: 0.15,
  aiCloseMs: { median: 6 * MINUTE, sigma: 0.8 },
  /** Of AI-closed conversations, reopened by the customer and handed to a human. */
  aiEscalated: 0.06,
  /** Of human-handled conversations, never answered by a human (closed without reply, or still waiting). */
  neverReplied: 0.05,
  /** Of human-handled conversations, never closed at all: the old tail of the backlog. */
  forgotten: 0.003,
  /** First human reply, scaled per agent by a speed factor; off-hours arrivals usually wait for Monday/08:00. */
  firstReplyMs: { median: 35 * MINUTE, sigma: 1.4 },
  offHoursWaitsForBusinessHours: 0.75,
  /** Conversations answered in exactly one reply before closing; the rest take 2 + geometric(0.5) replies. */
  oneReply: 0.45,
  nextReplyMs: { median: 3 * HOUR, sigma: 1.3 },
  closeAfterReplyMs: { median: 5 * HOUR, sigma: 1.3 },
  closeWithoutReplyMs: { median: 2 * DAY, sigma: 1 },
  spamCloseMs: { median: 10 * MINUTE, sigma: 1 },
  /** Of closed conversations, reopened by the customer; a reopened one may be reopened again. */
  reopen: 0.08,
  reopenAgain: 0.15,
  reopenAfterCloseMs: { median: 36 * HOUR, sigma: 1 },
  /** Of reopened conversations, closed again (the rest stay open). */
  closeAfterReopen: 0.93,
  closeAfterReopenMs: { median: 8 * HOUR, sigma: 1.2 },
  /** Of open conversations waiting on the customer, snoozed rather than left open. */
  snoozedWhenWaiting: 0.35,
  /** Of conversations closed at least once, rated (AI-resolved ones less often). */
  rated: 0.36,
  ratedAiResolved: 0.2,
  ratedAfterCloseMs: { median: 90 * MINUTE, sigma: 1.6 },
  /** Star mix (1..5): normally mostly 4–5; after a slow or missing first reply, noticeably worse. */
  scores: [0.04, 0.03, 0.06, 0.2, 0.67],
  scoresWhenSlow: [0.15, 0.1, 0.15, 0.25, 0.35],
  slowFirstReplyMs: DAY,
  /** Unassigned: AI-resolved ones mostly; queued ones (open, no reply yet) often; the rest rarely. */
  unassignedAiResolved: 0.4,
  unassignedQueued: 0.4,
  unassigned: 0.02,
  /** Week-over-week growth across the whole span (0.2 = the last week is ~20% busier than the first). */
  growth: 0.2,
} as const;

/** Arrival weight by UTC day of week (0 = Sunday): weekends are quiet, Friday tails off. */
const DAY_WEIGHTS = [0.28, 1, 1.05, 1, 0.95, 0.85, 0.32] as const;
/** Arrival weight by UTC hour: business-hour peaks with a lunch dip, a quiet night. */
const HOUR_WEIGHTS = [
  0.12, 0.1, 0.08, 0.08, 0.1, 0.15, 0.25, 0.45, 0.75, 0.95, 1, 1, 0.85, 0.95, 1, 0.95, 0.85, 0.7, 0.5, 0.4,
  0.32, 0.25, 0.2, 0.15,
] as const;
const BUSINESS_START_HOUR = 8;
const BUSINESS_END_HOUR = 18;

// prettier-ignore
const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemi', 'Liam',
  'Maya', 'Nikhil', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Victor', 'Wen', 'Yusuf',
];
// prettier-ignore
const LAST_NAMES = [
  'Adams', 'Bauer', 'Chen', 'Diaz', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski',
  'Lopez', 'Moreau', 'Novak', 'Okafor', 'Patel', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga',
  'Weber', 'Zhou',
];

/** About one agent per 2000 conversations, at least 5, at most 60. */
export function defaultAgentCount(conversations: number): number {
  return Math.min(60, Math.max(5, Math.round(conversations / 2000)));
}

interface AgentProfile {
  id: string;
  /** Share of the assignment load. */
  weight: number;
  /** Multiplies first-reply times (below 1: faster than the team). */
  speed: number;
  /** Gets new conversations created in [from, to). */
  from: number;
  to: number;
}

/**
 * A reproducible helpdesk: same options ⇒ identical dataset (JSON-equal), on any platform. Every timestamp is a
 * whole second and ≤ `now`; the invariants are listed in README.md and tested in generate.test.ts.
 */
export function generateDataset(o: GenerateOptions): Dataset {
  const conversationCount = o.conversations ?? DEFAULT_CONVERSATIONS;
  const weeks = o.weeks ?? DEFAULT_WEEKS;
  const agentCount = o.agents ?? defaultAgentCount(conversationCount);
  const rawNow = o.now === undefined ? DEFAULT_NOW : typeof o.now === 'number' ? o.now : o.now.getTime();
  const now = Math.floor(rawNow / SECOND) * SECOND;
  assertCount('conversations', conversationCount);
  assertCount('agents', agentCount);
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new RangeError(`weeks must be an integer ≥ 1, got ${weeks}`);
  if (!Number.isFinite(now)) throw new RangeError('now must be a valid instant');

  const rng = createRandom(o.seed);
  const start = now - weeks * WEEK;
  const { agents, profiles } = makeAgents(agentCount, rng, now);
  const createdAts = arrivalTimes(conversationCount, start, now, rng);
  const sim = new Simulator(rng, now, profiles, o.ratings ?? true, o.openConversations ?? true);
  const conversations = new Array<DatasetConversation>(conversationCount);
  for (let i = 0; i < conversationCount; i++) {
    conversations[i] = sim.conversation(`c${String(i + 1).padStart(6, '0')}`, createdAts[i] as number);
  }
  return { seed: o.seed, now, agents, conversations };
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be an integer ≥ 0, got ${value}`);
}

function makeAgents(
  count: number,
  rng: Random,
  now: number,
): { agents: DatasetAgent[]; profiles: AgentProfile[] } {
  const first = shuffle(FIRST_NAMES, rng);
  const last = shuffle(LAST_NAMES, rng);
  const agents: DatasetAgent[] = [];
  const profiles: AgentProfile[] = [];
  for (let i = 0; i < count; i++) {
    const id = `a${String(i + 1).padStart(3, '0')}`;
    // (i mod 24, (i + ⌊i/24⌋) mod 24) is a distinct pair for i < 576; beyond that the email carries the index.
    const firstName = first[i % first.length] as string;
    const lastName = last[(i + Math.floor(i / first.length)) % last.length] as string;
    const suffix = i < first.length * last.length ? '' : String(i + 1);
    agents.push({
      id,
      name: `${firstName} ${lastName}`,
      email: `${firstName}.${lastName}${suffix}@acme.test`.toLowerCase(),
    });
    profiles.push({
      id,
      weight: 0.5 + rng.next(),
      speed: rng.logNormal(1, 0.35),
      from: -Infinity,
      to: Infinity,
    });
  }
  // With a real team, one agent left two months ago (listed, but no recent conversations, so absent from the
  // per-agent rows) and one joined three weeks ago.
  if (count >= 5) {
    (profiles[count - 2] as AgentProfile).to = now - 8 * WEEK;
    (profiles[count - 1] as AgentProfile).from = now - 3 * WEEK;
  }
  return { agents, profiles };
}

function shuffle<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Creation instants, ascending, drawn from hourly slots weighted by weekday, hour of day and growth. */
function arrivalTimes(count: number, start: number, now: number, rng: Random): Float64Array {
  const slots = Math.round((now - start) / HOUR);
  const cumulative = new Float64Array(slots);
  let total = 0;
  for (let s = 0; s < slots; s++) {
    const t = start + s * HOUR;
    const day = DAY_WEIGHTS[utcDayOfWeek(t)] as number;
    const hour = HOUR_WEIGHTS[utcHour(t)] as number;
    total += day * hour * (1 + (MODEL.growth * s) / slots);
    cumulative[s] = total;
  }
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const slot = rng.pickCumulative(cumulative);
    // Slots end at or before `now`; the last second of a slot is excluded, so createdAt < now.
    times[i] = start + slot * HOUR + Math.floor(rng.next() * 3600) * SECOND;
  }
  return times.sort();
}

function utcDayOfWeek(t: number): number {
  return (Math.floor(t / DAY) + 4) % 7; // 1970-01-01 was a Thursday
}

function utcHour(t: number): number {
  return Math.floor((t - Math.floor(t / DAY) * DAY) / HOUR);
}

function isBusinessTime(t: number): boolean {
  const dow = utcDayOfWeek(t);
  const hour = utcHour(t);
  return dow >= 1 && dow <= 5 && hour >= BUSINESS_START_HOUR && hour < BUSINESS_END_HOUR;
}

/** The next weekday 08:00 UTC at or after t. */
function nextBusinessStart(t: number): number {
  let dayStart = Math.floor(t / DAY) * DAY;
  let candidate = dayStart + BUSINESS_START_HOUR * HOUR;
  if (t > candidate) {
    if (isBusinessTime(t)) return t;
    dayStart += DAY;
    candidate = dayStart + BUSINESS_START_HOUR * HOUR;
  }
  while (utcDayOfWeek(candidate) === 0 || utcDayOfWeek(candidate) === 6) candidate += DAY;
  return candidate;
}

interface Duration {
  median: number;
  sigma: number;
}

/**
 * Walks one conversation at a time through its life, stopping at `now`; every event time is a whole second
 * ≤ now. State lives in fields rather than per-conversation closures: at 100k conversations the closures (and
 * esbuild's name-keeping wrappers around them under tsx/vitest) cost more than the simulation itself.
 */
class Simulator {
  private readonly cumulative: Float64Array;
  private c!: DatasetConversation;
  /** The latest event so far (the next reply or close follows it). */
  private last = 0;
  private firstClosedAt: number | null = null;
  /** An agent spoke last: if the conversation is still open at `now`, it may be snoozed. */
  private waitingOnCustomer = false;

  constructor(
    private readonly rng: Random,
    private readonly now: number,
    private readonly agents: readonly AgentProfile[],
    private readonly hasRatings: boolean,
    private readonly hasOpen: boolean,
  ) {
    this.cumulative = new Float64Array(agents.length);
  }

  conversation(id: string, createdAt: number): DatasetConversation {
    const { rng, now } = this;
    const c = openConversation(id, createdAt);
    this.begin(c);
    const candidate = this.pickAgent(createdAt);

    if (rng.chance(MODEL.spam)) {
      c.spam = true;
      if (!rng.chance(MODEL.spamLeftOpen)) {
        const closeAt = createdAt + this.duration(MODEL.spamCloseMs);
        if (closeAt <= now) this.close(closeAt);
      }
      this.settleOpen();
      return c;
    }

    const forgotten = rng.chance(MODEL.forgotten);
    let aiClosedFirst = false;
    if (rng.chance(MODEL.aiHandled)) {
      const closeAt = createdAt + this.duration(MODEL.aiCloseMs);
      if (closeAt <= now) {
        this.close(closeAt);
        c.aiResolved = true;
        aiClosedFirst = true;
      }
    } else {
      const noReply = rng.chance(MODEL.neverReplied);
      const planned = noReply ? 0 : rng.chance(MODEL.oneReply) ? 1 : 2 + this.geometric(0.5);
      if (this.replies(createdAt, planned, candidate) && !forgotten) {
        const wait = noReply ? MODEL.closeWithoutReplyMs : MODEL.closeAfterReplyMs;
        const closeAt = this.last + this.duration(wait);
        if (closeAt <= now) this.close(closeAt);
      }
    }

    let reopenChance: number = aiClosedFirst ? MODEL.aiEscalated : MODEL.reopen;
    while (c.status === 'closed' && !forgotten && rng.chance(reopenChance)) {
      const reopenAt = (c.closedAt as number) + this.duration(MODEL.reopenAfterCloseMs);
      if (reopenAt > now) break;
      c.status = 'open';
      c.closedAt = null;
      c.aiResolved = false;
      c.reopens += 1;
      this.waitingOnCustomer = false;
      this.touch(reopenAt);
      const answered = this.replies(reopenAt, rng.int(1, 2), candidate);
      if (answered && rng.chance(MODEL.closeAfterReopen)) {
        const closeAt = this.last + this.duration(MODEL.closeAfterReopenMs);
        if (closeAt <= now) this.close(closeAt);
      }
      reopenChance = MODEL.reopenAgain;
    }

    this.settleOpen();

    if (this.hasRatings && this.firstClosedAt !== null) {
      const rate = c.aiResolved ? MODEL.ratedAiResolved : MODEL.rated;
      if (rng.chance(rate)) {
        const ratedAt = this.firstClosedAt + this.duration(MODEL.ratedAfterCloseMs);
        if (ratedAt <= now) {
          const slow =
            !c.aiResolved &&
            (c.firstAgentReplyAt === null || c.firstAgentReplyAt - createdAt > MODEL.slowFirstReplyMs);
          c.rating = { score: this.score(slow ? MODEL.scoresWhenSlow : MODEL.scores), ratedAt };
          this.touch(ratedAt);
        }
      }
    }

    const unassignedChance = c.aiResolved
      ? MODEL.unassignedAiResolved
      : c.status !== 'closed' && c.agentReplies === 0
        ? MODEL.unassignedQueued
        : MODEL.unassigned;
    c.assigneeId = rng.chance(unassignedChance) ? null : (candidate?.id ?? null);
    return c;
  }

  private begin(c: DatasetConversation): void {
    this.c = c;
    this.last = c.createdAt;
    this.firstClosedAt = null;
    this.waitingOnCustomer = false;
  }

  private touch(t: number): void {
    if (t > this.last) this.last = t;
    if (t > this.c.updatedAt) this.c.updatedAt = t;
  }

  private close(t: number): void {
    this.c.status = 'closed';
    this.c.closedAt = t;
    this.firstClosedAt ??= t;
    this.waitingOnCustomer = false;
    this.touch(t);
  }

  private reply(t: number): void {
    this.c.firstAgentReplyAt ??= t;
    this.c.agentReplies += 1;
    this.waitingOnCustomer = true;
    this.touch(t);
  }

  /**
   * Up to `planned` human replies, the first after the agent's first-reply delay from `from`, the next ones
   * after a back-and-forth with the customer. False when `now` came first (the conversation is still waiting).
   */
  private replies(from: number, planned: number, agent: AgentProfile | undefined): boolean {
    let t = from;
    for (let k = 0; k < planned; k++) {
      t += k === 0 ? this.firstReplyDelay(from, agent?.speed ?? 1) : this.duration(MODEL.nextReplyMs);
      if (t > this.now) return false;
      this.reply(t);
    }
    return true;
  }

  private firstReplyDelay(from: number, speed: number): number {
    const { median, sigma } = MODEL.firstReplyMs;
    let delay = this.duration({ median: median * speed, sigma });
    if (!isBusinessTime(from) && this.rng.chance(MODEL.offHoursWaitsForBusinessHours)) {
      delay += nextBusinessStart(from) - from;
    }
    return delay;
  }

  /** Still open at `now`: snoozed or open, or, when the dataset has no open conversations, closed before now. */
  private settleOpen(): void {
    if (this.c.status === 'closed') return;
    if (!this.hasOpen) {
      this.close(this.last + Math.floor((this.rng.next() * (this.now - this.last)) / SECOND) * SECOND);
      return;
    }
    this.c.status = this.waitingOnCustomer && this.rng.chance(MODEL.snoozedWhenWaiting) ? 'snoozed' : 'open';
  }

  /** Agents taking new conversations at t, weighted by load. */
  private pickAgent(t: number): AgentProfile | undefined {
    const { agents, cumulative } = this;
    if (agents.length === 0) return undefined;
    let total = 0;
    for (let i = 0; i < agents.length; i++) {
      const a = agents[i] as AgentProfile;
      if (t >= a.from && t < a.to) total += a.weight;
      cumulative[i] = total;
    }
    return total > 0 ? agents[this.rng.pickCumulative(cumulative)] : undefined;
  }

  private duration(d: Duration): number {
    return Math.max(1, Math.round(this.rng.logNormal(d.median, d.sigma) / SECOND)) * SECOND;
  }

  private geometric(p: number): number {
    let n = 0;
    while (n < 20 && !this.rng.chance(p)) n++;
    return n;
  }

  private score(weights: readonly number[]): DatasetRating['score'] {
    let r = this.rng.next();
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return (i + 1) as DatasetRating['score'];
    }
    return 5;
  }
}
