import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { groundTruth } from '../../emulators/dataset/ground-truth.ts';
import {
  computeSnapshot,
  DAY_MS,
  MetricsFold,
  median,
  NOT_MEASURED,
  openStateOf,
  p90,
  type ConversationFacts,
  type HistoryWeeks,
  type MetricCaps,
  type RatingFact,
  type SnapshotInput,
} from './calculator.ts';
import type { MetricsRequest, MetricsSnapshot } from './types.ts';
import { completedWeeks, type Week } from './weeks.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const HOUR = 3_600_000;
const req: MetricsRequest = { now: new Date(NOW), timezone: 'UTC', historyWeeks: 0 };
const ALL: MetricCaps = { csatMeanScore: true, deflectionRate: true };
const NONE: MetricCaps = { csatMeanScore: false, deflectionRate: false };

function conversation(over: Partial<ConversationFacts> = {}): ConversationFacts {
  return {
    createdAt: NOW - HOUR,
    assigneeId: null,
    firstReplyAt: null,
    closedNowAt: null,
    oneTouch: false,
    aiResolved: false,
    ...over,
  };
}

/** A conversation created an hour ago that got its first reply `seconds` later. */
const repliedAfter = (seconds: number, assigneeId: string | null = null) =>
  conversation({ assigneeId, firstReplyAt: NOW - HOUR + seconds * 1000 });

function input(over: Partial<SnapshotInput> = {}): SnapshotInput {
  return { conversations: [], ratings: [], open: { count: 0, oldestCreatedAt: null }, agents: [], ...over };
}

describe('median and p90', () => {
  it('takes the middle value for an odd count and the mean of the two middle ones for an even count', () => {
    expect(median(Float64Array.of(60, 120, 600))).toBe(120);
    expect(median(Float64Array.of(10, 20, 30, 100))).toBe(25);
    expect(median(new Float64Array())).toBeNull();
  });

  it('is nearest-rank: position ⌈0.9·n⌉ of the sorted list', () => {
    // n = 10: ⌈9⌉ = 9th value; n = 11: ⌈9.9⌉ = 10th value; n = 1: the only value.
    expect(p90(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).toBe(9);
    expect(p90(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))).toBe(10);
    expect(p90(Float64Array.of(42))).toBe(42);
    expect(p90(new Float64Array())).toBeNull();
  });
});

describe('computeSnapshot', () => {
  it('gives the same first response from repeating values (counted) as from distinct ones (listed)', () => {
    // Whole minutes repeat and are counted by value; then a run of distinct values turns the count back into a list.
    const rng = (() => {
      let a = 7;
      return () => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32;
    })();
    const minutes = Array.from({ length: 9000 }, () => 60 * Math.floor(rng() * 300));
    const distinct = Array.from({ length: 20_000 }, (_, i) => 0.5 + i + rng() / 2);
    for (const values of [minutes, [...minutes, ...distinct], minutes.slice(0, 4095)]) {
      const snapshot = computeSnapshot(
        input({ conversations: values.map((v) => repliedAfter(v)) }),
        req,
        ALL,
      );
      const start = NOW - HOUR;
      const sorted = Float64Array.from(values, (v) => (start + v * 1000 - start) / 1000).sort();
      expect(snapshot.current.firstResponseSeconds).toBe(median(sorted));
      expect(snapshot.current.firstResponseP90Seconds).toBe(p90(sorted));
    }
  });

  it('computes first response over conversations created in the 7-day window', () => {
    const old = conversation({ createdAt: NOW - 8 * 24 * HOUR, firstReplyAt: NOW - 8 * 24 * HOUR + 5_000 });
    const s = computeSnapshot(
      input({ conversations: [repliedAfter(600), repliedAfter(60), repliedAfter(120), conversation(), old] }),
      req,
      ALL,
    );
    expect(s.current.weeklyVolume).toBe(4);
    expect(s.current.firstResponseSeconds).toBe(120);
    expect(s.current.firstResponseP90Seconds).toBe(600);
    expect(s.notMeasured.firstResponseSeconds).toBeUndefined();
  });

  it('lets an unsupported capability win over "no data" reasons', () => {
    const empty = input();
    const unsupported = computeSnapshot(empty, req, NONE);
    expect(unsupported.current.csatMeanScore).toBeNull();
    expect(unsupported.current.deflectionRate).toBeNull();
    expect(unsupported.notMeasured.csatMeanScore).toBe(NOT_MEASURED.csatMeanScoreUnsupported);
    expect(unsupported.notMeasured.deflectionRate).toBe(NOT_MEASURED.deflectionUnsupported);

    const noData = computeSnapshot(empty, req, ALL);
    expect(noData.notMeasured).toEqual({
      utilisation: NOT_MEASURED.utilisation,
      csat: NOT_MEASURED.noRatings,
      csatMeanScore: NOT_MEASURED.noRatings,
      firstResponseSeconds: NOT_MEASURED.noFirstResponse,
      firstResponseP90Seconds: NOT_MEASURED.noFirstResponse,
      oneTouchRate: NOT_MEASURED.noneClosed,
      deflectionRate: NOT_MEASURED.noneClosed,
    });
    expect(noData.current.csatResponses).toBe(0);
    expect(noData.current.backlogAgeDays).toBe(0);
  });

  it('counts a rating without assignee in the workspace CSAT only', () => {
    const ratings: RatingFact[] = [
      { at: NOW - 2 * HOUR, positive: true, score: 5, assigneeId: 'a1' },
      { at: NOW - 3 * HOUR, positive: false, score: 2, assigneeId: null },
      // Given 31 days ago: outside the 30-day window.
      { at: NOW - 31 * 24 * HOUR, positive: false, score: 1, assigneeId: 'a1' },
    ];
    const s = computeSnapshot(
      input({ conversations: [repliedAfter(30, 'a1')], ratings, agents: [{ id: 'a1', name: 'Ada' }] }),
      req,
      ALL,
    );
    expect(s.current.csat).toBe(50);
    expect(s.current.csatResponses).toBe(2);
    expect(s.current.csatMeanScore).toBe(3.5);
    expect(s.agents).toEqual([
      { agentId: 'a1', name: 'Ada', tickets: 1, csat: 100, csatResponses: 1, firstResponseSeconds: 30 },
    ]);
  });

  it('reports first response as not measured when one reply time is not known to the second', () => {
    const unknown = conversation({ assigneeId: 'a2', firstReplyKnown: false });
    const facts = input({ conversations: [repliedAfter(60, 'a2'), unknown] });
    const s = computeSnapshot(facts, req, NONE);
    expect(s.current.firstResponseSeconds).toBeNull();
    expect(s.current.firstResponseP90Seconds).toBeNull();
    expect(s.notMeasured.firstResponseSeconds).toMatch(/not known to the second/);
    // Unknown name: the row is kept and named by its id.
    expect(s.agents).toEqual([
      { agentId: 'a2', name: 'a2', tickets: 2, csat: null, csatResponses: 0, firstResponseSeconds: null },
    ]);

    const worded = computeSnapshot({ ...facts, reasons: { firstReplyUnknown: 'minutes only' } }, req, NONE);
    expect(worded.notMeasured.firstResponseP90Seconds).toBe('minutes only');
  });

  it('takes one-touch and deflection over conversations closed in the window and still closed', () => {
    const closed = (over: Partial<ConversationFacts>) =>
      conversation({ closedNowAt: NOW - 2 * HOUR, ...over });
    const s = computeSnapshot(
      input({
        conversations: [
          closed({ oneTouch: true }),
          closed({ aiResolved: true }),
          closed({}),
          closed({ closedNowAt: NOW - 8 * 24 * HOUR, oneTouch: true }),
        ],
      }),
      req,
      ALL,
    );
    expect(s.current.oneTouchRate).toBe(100 / 3);
    expect(s.current.deflectionRate).toBe(100 / 3);
  });

  it('floors the backlog age and leaves point-in-time metrics null for past weeks', () => {
    const open = openStateOf([NOW - 3.5 * 24 * HOUR, NOW - HOUR]);
    expect(open).toEqual({ count: 2, oldestCreatedAt: NOW - 3.5 * 24 * HOUR });
    const s = computeSnapshot(input({ open }), { ...req, historyWeeks: 1 }, ALL);
    expect(s.current.openNow).toBe(2);
    expect(s.current.backlogAgeDays).toBe(3);
    expect(s.weeks).toHaveLength(1);
    expect(s.weeks[0]?.weekStart).toBe('2026-01-05');
    expect(s.weeks[0]?.values.openNow).toBeNull();
    expect(s.weeks[0]?.notMeasured.backlogAgeDays).toBe(NOT_MEASURED.pointInTime);

    const unlisted = computeSnapshot(input({ open: { count: 3, oldestCreatedAt: null } }), req, ALL);
    expect(unlisted.current.backlogAgeDays).toBeNull();
    expect(unlisted.notMeasured.backlogAgeDays).toMatch(/counted open conversations/);
  });
});

describe('MetricsFold', () => {
  const d = generateDataset({ seed: 7, conversations: 3000 });
  const caps: MetricCaps = { csatMeanScore: true, deflectionRate: true };
  const request: MetricsRequest = { now: new Date(d.now), timezone: 'America/New_York', historyWeeks: 12 };

  /** The dataset as an adapter would map it, one conversation at a time. */
  function* facts(): Generator<{ conversation: ConversationFacts; rating: RatingFact | null }> {
    for (const c of d.conversations) {
      if (c.spam) continue;
      yield {
        conversation: {
          createdAt: c.createdAt,
          assigneeId: c.assigneeId,
          firstReplyAt: c.firstAgentReplyAt,
          closedNowAt: c.status === 'closed' ? c.closedAt : null,
          oneTouch: c.agentReplies === 1 && c.reopens === 0,
          aiResolved: c.aiResolved,
        },
        rating: c.rating && {
          at: c.rating.ratedAt,
          positive: c.rating.score >= 4,
          score: c.rating.score,
          assigneeId: c.assigneeId,
        },
      };
    }
  }

  /** Feeds the facts in a shuffled order, so nothing may depend on arrival order. */
  function fold(historyWeeks: HistoryWeeks, coverFrom?: number): MetricsSnapshot {
    const all = [...facts()];
    for (let i = all.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [all[i], all[j]] = [all[j] as (typeof all)[number], all[i] as (typeof all)[number]];
    }
    const f = new MetricsFold({ ...request, historyWeeks }, caps);
    for (const { conversation, rating } of all) {
      f.addConversation(conversation);
      if (rating) f.addRating(rating);
    }
    for (const a of d.agents) f.nameAgent(a);
    f.setOpen(
      openStateOf(d.conversations.filter((c) => !c.spam && c.status !== 'closed').map((c) => c.createdAt)),
    );
    if (coverFrom !== undefined) f.cover(coverFrom);
    return f.snapshot();
  }

  it('gives the ground truth one conversation at a time, in any order', () => {
    expect(fold(12)).toEqual(groundTruth(d, request, caps));
  });

  it('equals the array entry point built on it', () => {
    const all = [...facts()];
    const viaArrays = computeSnapshot(
      input({
        conversations: all.map((f) => f.conversation),
        ratings: all.flatMap((f) => (f.rating ? [f.rating] : [])),
        agents: d.agents,
        open: openStateOf(
          d.conversations.filter((c) => !c.spam && c.status !== 'closed').map((c) => c.createdAt),
        ),
      }),
      request,
      caps,
    );
    expect(fold(12)).toEqual(viaArrays);
  });

  it('reports every completed week from the first one the source covers when asked for covered weeks', () => {
    const weeks = completedWeeks(request.now, request.timezone, 10);
    // Covered from the middle of the 10th week back: that week is partial, so the 9 after it are reported.
    const from = (weeks[0] as Week).start.getTime() + DAY_MS;
    const covered = fold('covered', from);
    expect(covered.weeks.map((w) => w.weekStart)).toEqual(weeks.slice(1).map((w) => w.label));
    expect(covered.weeks).toEqual(groundTruth(d, { ...request, historyWeeks: 9 }, caps).weeks);
    expect(fold('covered').weeks).toEqual([]);
  });
});
