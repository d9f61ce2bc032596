// emulators/dataset/random.ts
function splitmix32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 2654435769) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 2246822507);
    z = Math.imul(z ^ (z >>> 13), 3266489909);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
function createRandom(seed) {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const normal = () => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    pickCumulative(cumulative) {
      const total = cumulative[cumulative.length - 1];
      if (total === void 0 || total <= 0) throw new RangeError('pickCumulative needs a positive total');
      const target = next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > target) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

// emulators/dataset/conversation.ts
function openConversation(id, createdAt, fields = {}) {
  return {
    id,
    createdAt,
    status: 'open',
    spam: false,
    assigneeId: null,
    firstAgentReplyAt: null,
    agentReplies: 0,
    aiResolved: false,
    closedAt: null,
    reopens: 0,
    rating: null,
    updatedAt: createdAt,
    ...fields,
  };
}

// emulators/dataset/generate.ts
var SECOND = 1e3;
var MINUTE = 60 * SECOND;
var HOUR = 60 * MINUTE;
var DAY = 24 * HOUR;
var WEEK = 7 * DAY;
var DEFAULT_NOW = Date.UTC(2026, 10, 18, 15, 30, 0);
var DEFAULT_WEEKS = 16;
var DEFAULT_CONVERSATIONS = 2e3;
var MODEL = {
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
  forgotten: 3e-3,
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
};
var DAY_WEIGHTS = [0.28, 1, 1.05, 1, 0.95, 0.85, 0.32];
var HOUR_WEIGHTS = [
  0.12, 0.1, 0.08, 0.08, 0.1, 0.15, 0.25, 0.45, 0.75, 0.95, 1, 1, 0.85, 0.95, 1, 0.95, 0.85, 0.7, 0.5, 0.4,
  0.32, 0.25, 0.2, 0.15,
];
var BUSINESS_START_HOUR = 8;
var BUSINESS_END_HOUR = 18;
var FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Nikhil',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Yusuf',
];
var LAST_NAMES = [
  'Adams',
  'Bauer',
  'Chen',
  'Diaz',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Novak',
  'Okafor',
  'Patel',
  'Quist',
  'Rossi',
  'Silva',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Zhou',
];
function defaultAgentCount(conversations) {
  return Math.min(60, Math.max(5, Math.round(conversations / 2e3)));
}
function generateDataset(o) {
  const conversationCount = o.conversations ?? DEFAULT_CONVERSATIONS;
  const weeks = o.weeks ?? DEFAULT_WEEKS;
  const agentCount = o.agents ?? defaultAgentCount(conversationCount);
  const rawNow = o.now === void 0 ? DEFAULT_NOW : typeof o.now === 'number' ? o.now : o.now.getTime();
  const now = Math.floor(rawNow / SECOND) * SECOND;
  assertCount('conversations', conversationCount);
  assertCount('agents', agentCount);
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new RangeError(`weeks must be an integer \u2265 1, got ${weeks}`);
  if (!Number.isFinite(now)) throw new RangeError('now must be a valid instant');
  const rng = createRandom(o.seed);
  const start = now - weeks * WEEK;
  const { agents, profiles } = makeAgents(agentCount, rng, now);
  const createdAts = arrivalTimes(conversationCount, start, now, rng);
  const sim = new Simulator(rng, now, profiles, o.ratings ?? true, o.openConversations ?? true);
  const conversations = new Array(conversationCount);
  for (let i = 0; i < conversationCount; i++) {
    conversations[i] = sim.conversation(`c${String(i + 1).padStart(6, '0')}`, createdAts[i]);
  }
  return { seed: o.seed, now, agents, conversations };
}
function assertCount(name, value) {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be an integer \u2265 0, got ${value}`);
}
function makeAgents(count, rng, now) {
  const first = shuffle(FIRST_NAMES, rng);
  const last = shuffle(LAST_NAMES, rng);
  const agents = [];
  const profiles = [];
  for (let i = 0; i < count; i++) {
    const id = `a${String(i + 1).padStart(3, '0')}`;
    const firstName = first[i % first.length];
    const lastName = last[(i + Math.floor(i / first.length)) % last.length];
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
  if (count >= 5) {
    profiles[count - 2].to = now - 8 * WEEK;
    profiles[count - 1].from = now - 3 * WEEK;
  }
  return { agents, profiles };
}
function shuffle(items, rng) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
function arrivalTimes(count, start, now, rng) {
  const slots = Math.round((now - start) / HOUR);
  const cumulative = new Float64Array(slots);
  let total = 0;
  for (let s = 0; s < slots; s++) {
    const t = start + s * HOUR;
    const day = DAY_WEIGHTS[utcDayOfWeek(t)];
    const hour = HOUR_WEIGHTS[utcHour(t)];
    total += day * hour * (1 + (MODEL.growth * s) / slots);
    cumulative[s] = total;
  }
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const slot = rng.pickCumulative(cumulative);
    times[i] = start + slot * HOUR + Math.floor(rng.next() * 3600) * SECOND;
  }
  return times.sort();
}
function utcDayOfWeek(t) {
  return (Math.floor(t / DAY) + 4) % 7;
}
function utcHour(t) {
  return Math.floor((t - Math.floor(t / DAY) * DAY) / HOUR);
}
function isBusinessTime(t) {
  const dow = utcDayOfWeek(t);
  const hour = utcHour(t);
  return dow >= 1 && dow <= 5 && hour >= BUSINESS_START_HOUR && hour < BUSINESS_END_HOUR;
}
function nextBusinessStart(t) {
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
var Simulator = class {
  constructor(rng, now, agents, hasRatings, hasOpen) {
    this.rng = rng;
    this.now = now;
    this.agents = agents;
    this.hasRatings = hasRatings;
    this.hasOpen = hasOpen;
    this.cumulative = new Float64Array(agents.length);
  }
  rng;
  now;
  agents;
  hasRatings;
  hasOpen;
  cumulative;
  c;
  /** The latest event so far (the next reply or close follows it). */
  last = 0;
  firstClosedAt = null;
  /** An agent spoke last: if the conversation is still open at `now`, it may be snoozed. */
  waitingOnCustomer = false;
  conversation(id, createdAt) {
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
    let reopenChance = aiClosedFirst ? MODEL.aiEscalated : MODEL.reopen;
    while (c.status === 'closed' && !forgotten && rng.chance(reopenChance)) {
      const reopenAt = c.closedAt + this.duration(MODEL.reopenAfterCloseMs);
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
  begin(c) {
    this.c = c;
    this.last = c.createdAt;
    this.firstClosedAt = null;
    this.waitingOnCustomer = false;
  }
  touch(t) {
    if (t > this.last) this.last = t;
    if (t > this.c.updatedAt) this.c.updatedAt = t;
  }
  close(t) {
    this.c.status = 'closed';
    this.c.closedAt = t;
    this.firstClosedAt ??= t;
    this.waitingOnCustomer = false;
    this.touch(t);
  }
  reply(t) {
    this.c.firstAgentReplyAt ??= t;
    this.c.agentReplies += 1;
    this.waitingOnCustomer = true;
    this.touch(t);
  }
  /**
   * Up to `planned` human replies, the first after the agent's first-reply delay from `from`, the next ones
   * after a back-and-forth with the customer. False when `now` came first (the conversation is still waiting).
   */
  replies(from, planned, agent) {
    let t = from;
    for (let k = 0; k < planned; k++) {
      t += k === 0 ? this.firstReplyDelay(from, agent?.speed ?? 1) : this.duration(MODEL.nextReplyMs);
      if (t > this.now) return false;
      this.reply(t);
    }
    return true;
  }
  firstReplyDelay(from, speed) {
    const { median, sigma } = MODEL.firstReplyMs;
    let delay = this.duration({ median: median * speed, sigma });
    if (!isBusinessTime(from) && this.rng.chance(MODEL.offHoursWaitsForBusinessHours)) {
      delay += nextBusinessStart(from) - from;
    }
    return delay;
  }
  /** Still open at `now`: snoozed or open, or, when the dataset has no open conversations, closed before now. */
  settleOpen() {
    if (this.c.status === 'closed') return;
    if (!this.hasOpen) {
      this.close(this.last + Math.floor((this.rng.next() * (this.now - this.last)) / SECOND) * SECOND);
      return;
    }
    this.c.status = this.waitingOnCustomer && this.rng.chance(MODEL.snoozedWhenWaiting) ? 'snoozed' : 'open';
  }
  /** Agents taking new conversations at t, weighted by load. */
  pickAgent(t) {
    const { agents, cumulative } = this;
    if (agents.length === 0) return void 0;
    let total = 0;
    for (let i = 0; i < agents.length; i++) {
      const a = agents[i];
      if (t >= a.from && t < a.to) total += a.weight;
      cumulative[i] = total;
    }
    return total > 0 ? agents[this.rng.pickCumulative(cumulative)] : void 0;
  }
  duration(d) {
    return Math.max(1, Math.round(this.rng.logNormal(d.median, d.sigma) / SECOND)) * SECOND;
  }
  geometric(p) {
    let n = 0;
    while (n < 20 && !this.rng.chance(p)) n++;
    return n;
  }
  score(weights) {
    let r = this.rng.next();
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i + 1;
    }
    return 5;
  }
};
export { DEFAULT_CONVERSATIONS, DEFAULT_NOW, DEFAULT_WEEKS, MODEL, defaultAgentCount, generateDataset };
//# sourceMappingURL=generate-TFHHOJBG.js.map
