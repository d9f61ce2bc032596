import { describe, expect, it } from 'vitest';
import { DEFAULT_NOW, defaultAgentCount, generateDataset } from './generate.ts';
import { groundTruth } from './ground-truth.ts';
import { createRandom } from './random.ts';
import type { Dataset, DatasetConversation } from './types.ts';

const DAY = 86_400_000;

/** Every structural invariant of a dataset; returns the violations so a failure names the conversation. */
function violations(d: Dataset): string[] {
  const out: string[] = [];
  const agentIds = new Set(d.agents.map((a) => a.id));
  const ids = new Set<string>();
  const fail = (c: DatasetConversation, why: string) => out.push(`${c.id}: ${why}`);
  for (const c of d.conversations) {
    if (ids.has(c.id)) fail(c, 'duplicate id');
    ids.add(c.id);
    const times = [
      c.createdAt,
      c.updatedAt,
      c.firstAgentReplyAt,
      c.closedAt,
      c.rating?.ratedAt ?? null,
    ].filter((t): t is number => t !== null);
    for (const t of times) {
      if (!Number.isInteger(t) || t % 1000 !== 0) fail(c, `timestamp ${t} is not a whole second`);
      if (t > d.now) fail(c, `timestamp ${t} is after now`);
      if (t > c.updatedAt) fail(c, `timestamp ${t} is after updatedAt`);
      if (t < c.createdAt) fail(c, `timestamp ${t} is before createdAt`);
    }
    if ((c.closedAt !== null) !== (c.status === 'closed'))
      fail(c, `closedAt ${c.closedAt} with status ${c.status}`);
    if ((c.firstAgentReplyAt === null) !== (c.agentReplies === 0))
      fail(c, 'firstAgentReplyAt vs agentReplies');
    if (c.aiResolved && (c.status !== 'closed' || c.agentReplies !== 0))
      fail(c, 'aiResolved but not closed/unanswered');
    if (c.rating !== null && c.status !== 'closed' && c.reopens === 0) fail(c, 'rated but never closed');
    if (c.rating !== null && ![1, 2, 3, 4, 5].includes(c.rating.score)) fail(c, `score ${c.rating.score}`);
    if (!Number.isInteger(c.reopens) || c.reopens < 0) fail(c, `reopens ${c.reopens}`);
    if (c.assigneeId !== null && !agentIds.has(c.assigneeId)) fail(c, `unknown assignee ${c.assigneeId}`);
  }
  return out;
}

describe('createRandom', () => {
  it('is reproducible per seed and stays in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const draws = Array.from({ length: 1000 }, () => a.next());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRandom(43).next()).not.toBe(createRandom(42).next());
  });
});

describe('generateDataset', () => {
  it('is deterministic: the same seed gives identical JSON, another seed does not', () => {
    const a = JSON.stringify(generateDataset({ seed: 7, conversations: 3000 }));
    const b = JSON.stringify(generateDataset({ seed: 7, conversations: 3000 }));
    const c = JSON.stringify(generateDataset({ seed: 8, conversations: 3000 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('defaults now to a fixed whole second and floors a given now to one', () => {
    expect(generateDataset({ seed: 1, conversations: 0 }).now).toBe(DEFAULT_NOW);
    expect(DEFAULT_NOW % 1000).toBe(0);
    const d = generateDataset({ seed: 1, conversations: 50, now: new Date('2026-03-04T05:06:07.890Z') });
    expect(d.now).toBe(Date.parse('2026-03-04T05:06:07.000Z'));
    expect(violations(d)).toEqual([]);
  });

  it('sizes the team at about one agent per 2000 conversations, between 5 and 60', () => {
    expect(defaultAgentCount(100)).toBe(5);
    expect(defaultAgentCount(20_000)).toBe(10);
    expect(defaultAgentCount(1_000_000)).toBe(60);
    expect(generateDataset({ seed: 1, conversations: 20_000 }).agents).toHaveLength(10);
    const d = generateDataset({ seed: 1, conversations: 100, agents: 3 });
    expect(d.agents.map((a) => a.id)).toEqual(['a001', 'a002', 'a003']);
    expect(new Set(d.agents.map((a) => a.email)).size).toBe(3);
  });

  it('rejects impossible options', () => {
    expect(() => generateDataset({ seed: 1, conversations: -1 })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 1, weeks: 0 })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 1.5 })).toThrow(RangeError);
  });

  describe('a 20k dataset', () => {
    const d = generateDataset({ seed: 20_000, conversations: 20_000 });
    const all = d.conversations;
    const real = all.filter((c) => !c.spam);
    const closed = real.filter((c) => c.status === 'closed');
    const share = (part: number, whole: number) => part / whole;

    it('holds every invariant', () => {
      expect(all).toHaveLength(20_000);
      expect(violations(d)).toEqual([]);
      expect(all.every((c) => c.createdAt >= d.now - 16 * 7 * DAY)).toBe(true);
      const outOfOrder = all.filter(
        (c, i) => i > 0 && c.createdAt < (all[i - 1] as DatasetConversation).createdAt,
      );
      expect(outOfOrder).toEqual([]);
    });

    it('has the documented mix', () => {
      expect(share(all.length - real.length, all.length)).toBeGreaterThan(0.01); // spam ~2%
      expect(share(all.length - real.length, all.length)).toBeLessThan(0.03);
      const ratedClosed = share(closed.filter((c) => c.rating !== null).length, closed.length);
      expect(ratedClosed).toBeGreaterThan(0.3);
      expect(ratedClosed).toBeLessThan(0.4);
      const ai = share(closed.filter((c) => c.aiResolved).length, closed.length);
      expect(ai).toBeGreaterThan(0.12);
      expect(ai).toBeLessThan(0.18);
      const reopened = share(real.filter((c) => c.reopens > 0).length, real.length);
      expect(reopened).toBeGreaterThan(0.05);
      expect(reopened).toBeLessThan(0.1);
      expect(real.some((c) => c.reopens > 0 && c.status === 'closed')).toBe(true);
      expect(real.some((c) => c.reopens > 0 && c.status !== 'closed')).toBe(true);
      const unassigned = share(all.filter((c) => c.assigneeId === null).length, all.length);
      expect(unassigned).toBeGreaterThan(0.07);
      expect(unassigned).toBeLessThan(0.13);
      expect(closed.some((c) => c.agentReplies === 0 && !c.aiResolved)).toBe(true); // closed, never answered
      expect(real.some((c) => c.agentReplies === 0 && c.status !== 'closed')).toBe(true); // waiting

      const scores = [1, 2, 3, 4, 5].map((s) => all.filter((c) => c.rating?.score === s).length);
      const rated = scores.reduce((a, b) => a + b, 0);
      expect(share((scores[3] ?? 0) + (scores[4] ?? 0), rated)).toBeGreaterThan(0.75);
      expect(scores.every((n) => n > 0)).toBe(true);
    });

    it('is mostly closed when old, mixed when recent, with a few very old conversations still open', () => {
      const old = real.filter((c) => d.now - c.createdAt > 28 * DAY);
      const oldOpen = old.filter((c) => c.status !== 'closed');
      expect(share(oldOpen.length, old.length)).toBeLessThan(0.02);
      expect(oldOpen.some((c) => d.now - c.createdAt > 80 * DAY)).toBe(true);
      const recent = real.filter((c) => d.now - c.createdAt < DAY);
      for (const status of ['open', 'snoozed', 'closed'] as const) {
        expect(recent.filter((c) => c.status === status).length).toBeGreaterThan(recent.length / 20);
      }
    });

    it('arrives on weekdays in business hours more than at night and at weekends', () => {
      const byDay = [0, 0, 0, 0, 0, 0, 0];
      const byHour = new Array<number>(24).fill(0);
      for (const c of all) {
        const t = new Date(c.createdAt);
        byDay[t.getUTCDay()]! += 1;
        byHour[t.getUTCHours()]! += 1;
      }
      const weekday = (byDay[1]! + byDay[2]! + byDay[3]! + byDay[4]! + byDay[5]!) / 5;
      const weekend = (byDay[0]! + byDay[6]!) / 2;
      expect(weekend / weekday).toBeLessThan(0.5);
      expect(byHour[11]! / byHour[3]!).toBeGreaterThan(4);
    });

    it('has first replies from minutes to days, log-normally skewed', () => {
      const seconds = real
        .filter((c) => c.firstAgentReplyAt !== null)
        .map((c) => ((c.firstAgentReplyAt as number) - c.createdAt) / 1000)
        .sort((a, b) => a - b);
      const at = (q: number) => seconds[Math.floor(q * (seconds.length - 1))] as number;
      expect(at(0.1)).toBeLessThan(15 * 60);
      expect(at(0.5)).toBeGreaterThan(10 * 60);
      expect(at(0.5)).toBeLessThan(4 * 3600);
      expect(at(0.99)).toBeGreaterThan(86_400);
    });

    it('gives the ground truth something to measure for every metric but utilisation', () => {
      const t = groundTruth(
        d,
        { now: new Date(d.now), timezone: 'Europe/Berlin', historyWeeks: 12 },
        { csatMeanScore: true, deflectionRate: true },
      );
      expect(t.notMeasured).toEqual({ utilisation: 'capacity is not measurable from a helpdesk API' });
      expect(t.current.backlogAgeDays).toBeGreaterThan(28);
      expect(t.weeks).toHaveLength(12);
      expect(t.weeks.every((w) => w.values.csat !== null && w.values.oneTouchRate !== null)).toBe(true);
      // One agent left two months ago and has no row; everyone else does.
      expect(t.agents.length).toBe(d.agents.length - 1);
    });
  });

  it('has no ratings with ratings: false and nothing open with openConversations: false', () => {
    const d = generateDataset({ seed: 3, conversations: 5000, ratings: false, openConversations: false });
    expect(violations(d)).toEqual([]);
    expect(d.conversations.every((c) => c.rating === null)).toBe(true);
    expect(d.conversations.every((c) => c.status === 'closed' && c.closedAt !== null)).toBe(true);
    const t = groundTruth(
      d,
      { now: new Date(d.now), timezone: 'UTC', historyWeeks: 0 },
      { csatMeanScore: true, deflectionRate: true },
    );
    expect(t.current).toMatchObject({ csat: null, csatResponses: 0, openNow: 0, backlogAgeDays: 0 });
  });

  it('generates 100k conversations quickly (time printed, not asserted)', () => {
    const started = performance.now();
    const d = generateDataset({ seed: 100_000, conversations: 100_000 });
    const ms = performance.now() - started;
    console.log(`generateDataset: 100,000 conversations, ${d.agents.length} agents in ${ms.toFixed(0)} ms`);
    expect(d.conversations).toHaveLength(100_000);
  });
});
