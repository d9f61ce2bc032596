import { describe, expect, it } from 'vitest';
import type { MetricsRequest } from '../../src/metrics/types.ts';
import { groundTruth, median, NOT_MEASURED, p90, type GroundTruthCaps } from './ground-truth.ts';
import type { Dataset, DatasetAgent, DatasetConversation } from './types.ts';
import { openConversation } from './conversation.ts';

const NOW = Date.UTC(2026, 10, 18, 15, 30, 0); // Wednesday
const S = 1000;
const H = 3600 * S;
const D = 86_400_000;
const ALL: GroundTruthCaps = { csatMeanScore: true, deflectionRate: true };
const AGENTS: DatasetAgent[] = [
  { id: 'a001', name: 'Ada Adams', email: 'ada@acme.test' },
  { id: 'a002', name: 'Ben Bauer', email: 'ben@acme.test' },
  { id: 'a003', name: 'Chloe Chen', email: 'chloe@acme.test' },
  { id: 'a004', name: 'Dev Diaz', email: 'dev@acme.test' },
];

let nextId = 0;
/** An open, unassigned, unanswered, unrated conversation unless the overrides say otherwise. */
function conv(createdAt: number, overrides: Partial<DatasetConversation> = {}): DatasetConversation {
  nextId++;
  return openConversation(`c${String(nextId).padStart(6, '0')}`, createdAt, { updatedAt: NOW, ...overrides });
}

/** Created `ago` ms before NOW and first answered after `seconds`. */
function replied(
  ago: number,
  seconds: number,
  overrides: Partial<DatasetConversation> = {},
): DatasetConversation {
  const createdAt = NOW - ago;
  return conv(createdAt, { firstAgentReplyAt: createdAt + seconds * S, agentReplies: 1, ...overrides });
}

function closed(closedAt: number, overrides: Partial<DatasetConversation> = {}): DatasetConversation {
  return conv(closedAt - H, { status: 'closed', closedAt, ...overrides });
}

function rated(ratedAt: number, score: 1 | 2 | 3 | 4 | 5, overrides: Partial<DatasetConversation> = {}) {
  return closed(ratedAt - H, { rating: { score, ratedAt }, ...overrides });
}

function dataset(conversations: DatasetConversation[]): Dataset {
  return { seed: 0, now: NOW, agents: AGENTS, conversations };
}

function truth(conversations: DatasetConversation[], req: Partial<MetricsRequest> = {}, caps = ALL) {
  return groundTruth(
    dataset(conversations),
    { now: new Date(NOW), timezone: 'UTC', historyWeeks: 0, ...req },
    caps,
  );
}

describe('median and p90', () => {
  it('takes the middle value for an odd count and the mean of the two middle ones for an even count', () => {
    expect(median([1, 2, 9])).toBe(2);
    expect(median([1, 2, 9, 10])).toBe(5.5);
    expect(median([])).toBeNull();
  });

  it('takes the nearest rank ⌈0.9·n⌉ (1-based)', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(p90(ten)).toBe(9); // ⌈9⌉ = 9
    expect(p90([...ten, 11])).toBe(10); // ⌈9.9⌉ = 10
    expect(p90([4])).toBe(4);
    expect(p90([])).toBeNull();
  });
});

describe('groundTruth: first response', () => {
  it('is the median and P90 over conversations created in the 7-day window that got a human reply (odd n)', () => {
    const t = truth([
      replied(1 * D, 60),
      replied(2 * D, 300),
      replied(3 * D, 120),
      conv(NOW - 2 * D), // no reply: counts in volume only
      replied(8 * D, 5), // created before the window
    ]);
    expect(t.current.weeklyVolume).toBe(4);
    expect(t.current.firstResponseSeconds).toBe(120);
    expect(t.current.firstResponseP90Seconds).toBe(300); // n = 3: position ⌈2.7⌉ = 3
  });

  it('averages the two middle values for an even count', () => {
    const t = truth([replied(D, 60), replied(D, 1000), replied(D, 120), replied(D, 301)]);
    expect(t.current.firstResponseSeconds).toBe(210.5); // (120 + 301) / 2
    expect(t.current.firstResponseP90Seconds).toBe(1000); // n = 4: position ⌈3.6⌉ = 4
  });

  it('uses the half-open window [now − 7 days, now)', () => {
    const t = truth([replied(7 * D, 10), replied(7 * D - S, 20), conv(NOW), conv(NOW - 7 * D - S)]);
    expect(t.current.weeklyVolume).toBe(2);
    expect(t.current.firstResponseSeconds).toBe(15);
  });

  it('is null with a reason when no conversation in the window got a reply', () => {
    const t = truth([conv(NOW - D), replied(10 * D, 30)]);
    expect(t.current.firstResponseSeconds).toBeNull();
    expect(t.current.firstResponseP90Seconds).toBeNull();
    expect(t.notMeasured.firstResponseSeconds).toBe(NOT_MEASURED.noFirstResponse);
    expect(t.notMeasured.firstResponseP90Seconds).toBe(NOT_MEASURED.noFirstResponse);
  });
});

describe('groundTruth: CSAT', () => {
  it('is 100 × positive ÷ rated over ratings given in the 30-day window, positive = 4–5 stars', () => {
    const t = truth([
      rated(NOW - D, 5),
      rated(NOW - 10 * D, 4),
      rated(NOW - 29 * D, 3),
      rated(NOW - 30 * D, 1), // first instant of the window: in
      rated(NOW - 30 * D - S, 5), // just before: out
      rated(NOW, 5), // the window ends before now: out
    ]);
    expect(t.current.csatResponses).toBe(4);
    expect(t.current.csat).toBe(50);
    expect(t.current.csatMeanScore).toBe(3.25); // (5 + 4 + 3 + 1) / 4
    expect(t.notMeasured.csat).toBeUndefined();
  });

  it('computes the percentage as (100 * positive) / rated, which differs in the last bit from positive / rated * 100', () => {
    const t = truth([rated(NOW - D, 5), rated(NOW - D, 4), rated(NOW - D, 2)]);
    expect(t.current.csat).toBe(66.66666666666667);
    expect(t.current.csatMeanScore).toBe(11 / 3);
  });

  it('is null with a reason when nothing was rated, and csatResponses is a measured 0', () => {
    const t = truth([closed(NOW - D), rated(NOW - 40 * D, 5)]);
    expect(t.current.csat).toBeNull();
    expect(t.current.csatMeanScore).toBeNull();
    expect(t.current.csatResponses).toBe(0);
    expect(t.notMeasured.csat).toBe(NOT_MEASURED.noRatings);
    expect(t.notMeasured.csatMeanScore).toBe(NOT_MEASURED.noRatings);
  });

  it('leaves the mean score unmeasured when the helpdesk has no numeric scale', () => {
    const t = truth([rated(NOW - D, 5)], {}, { csatMeanScore: false, deflectionRate: true });
    expect(t.current.csat).toBe(100);
    expect(t.current.csatMeanScore).toBeNull();
    expect(t.notMeasured.csatMeanScore).toBe(NOT_MEASURED.csatMeanScoreUnsupported);
  });
});

describe('groundTruth: open now and backlog', () => {
  it('counts snoozed as open and measures the backlog from the oldest open conversation in whole days', () => {
    const t = truth([
      conv(NOW - 10 * D - 12 * H, { status: 'snoozed' }), // 10.5 days → 10
      conv(NOW - 3 * D),
      closed(NOW - D),
      conv(NOW - 50 * D, { spam: true }), // spam sitting open: ignored
    ]);
    expect(t.current.openNow).toBe(2);
    expect(t.current.backlogAgeDays).toBe(10);
  });

  it('is 0 and 0 (measured) when nothing is open', () => {
    const t = truth([closed(NOW - D), closed(NOW - 20 * D)]);
    expect(t.current.openNow).toBe(0);
    expect(t.current.backlogAgeDays).toBe(0);
    expect(t.notMeasured.openNow).toBeUndefined();
    expect(t.notMeasured.backlogAgeDays).toBeUndefined();
  });
});

describe('groundTruth: one-touch and deflection', () => {
  const resolvedSet = () => [
    closed(NOW - D, { firstAgentReplyAt: NOW - D - 30 * 60 * S, agentReplies: 1 }), // one-touch
    closed(NOW - 2 * D, {
      createdAt: NOW - 4 * D,
      firstAgentReplyAt: NOW - 3 * D,
      agentReplies: 1,
      reopens: 1,
    }), // reopened, closed again
    closed(NOW - 2 * D, { createdAt: NOW - 4 * D, firstAgentReplyAt: NOW - 3 * D, agentReplies: 2 }),
    closed(NOW - 3 * D, { aiResolved: true }), // AI-resolved: no human reply
    closed(NOW - 8 * D, { createdAt: NOW - 10 * D, firstAgentReplyAt: NOW - 9 * D, agentReplies: 1 }), // closed before the window
    conv(NOW - 20 * D, { firstAgentReplyAt: NOW - 19 * D, agentReplies: 1, reopens: 1 }), // reopened, open now
    closed(NOW - D, { spam: true }),
  ];

  it('divides by conversations closed in the 7-day window and still closed', () => {
    const t = truth(resolvedSet());
    expect(t.current.oneTouchRate).toBe(25); // 1 of 4: the reopened one is not one-touch
    expect(t.current.deflectionRate).toBe(25); // 1 AI-resolved of 4
  });

  it('leaves deflection unmeasured when the helpdesk does not report AI resolution', () => {
    const t = truth(resolvedSet(), {}, { csatMeanScore: true, deflectionRate: false });
    expect(t.current.oneTouchRate).toBe(25);
    expect(t.current.deflectionRate).toBeNull();
    expect(t.notMeasured.deflectionRate).toBe(NOT_MEASURED.deflectionUnsupported);
  });

  it('is null with a reason when nothing was closed in the window', () => {
    const t = truth([closed(NOW - 9 * D), conv(NOW - D)]);
    expect(t.current.oneTouchRate).toBeNull();
    expect(t.current.deflectionRate).toBeNull();
    expect(t.notMeasured.oneTouchRate).toBe(NOT_MEASURED.noneClosed);
    expect(t.notMeasured.deflectionRate).toBe(NOT_MEASURED.noneClosed);
  });
});

describe('groundTruth: spam and the snapshot frame', () => {
  it('excludes spam and deleted conversations from every metric and every agent', () => {
    const base = [replied(D, 60, { assigneeId: 'a001' }), rated(NOW - D, 2, { assigneeId: 'a001' })];
    const spam = [
      replied(D, 5, { spam: true, assigneeId: 'a001' }),
      rated(NOW - D, 5, {
        spam: true,
        assigneeId: 'a001',
        agentReplies: 1,
        firstAgentReplyAt: NOW - D - 2 * H,
      }),
      conv(NOW - 60 * D, { spam: true, assigneeId: 'a004' }),
      closed(NOW - D, { spam: true, aiResolved: true }),
    ];
    const req = { historyWeeks: 2 };
    const withSpam = truth([...base, ...spam], req);
    expect(withSpam).toEqual(truth(base, req));
    expect(withSpam.current).toMatchObject({ weeklyVolume: 2, openNow: 1, csat: 0, csatResponses: 1 });
    expect(withSpam.agents.map((a) => a.agentId)).toEqual(['a001']);
  });

  it('reports utilisation as never measured and dates the windows from req.now', () => {
    const t = truth([]);
    expect(t.measuredAt).toBe('2026-11-18T15:30:00.000Z');
    expect(t.window).toEqual({
      from: '2026-11-11T15:30:00.000Z',
      to: '2026-11-18T15:30:00.000Z',
      csatFrom: '2026-10-19T15:30:00.000Z',
    });
    expect(t.current).toEqual({
      weeklyVolume: 0,
      csat: null,
      csatResponses: 0,
      csatMeanScore: null,
      firstResponseSeconds: null,
      firstResponseP90Seconds: null,
      openNow: 0,
      backlogAgeDays: 0,
      oneTouchRate: null,
      deflectionRate: null,
      utilisation: null,
    });
    expect(t.notMeasured).toEqual({
      utilisation: NOT_MEASURED.utilisation,
      csat: NOT_MEASURED.noRatings,
      csatMeanScore: NOT_MEASURED.noRatings,
      firstResponseSeconds: NOT_MEASURED.noFirstResponse,
      firstResponseP90Seconds: NOT_MEASURED.noFirstResponse,
      oneTouchRate: NOT_MEASURED.noneClosed,
      deflectionRate: NOT_MEASURED.noneClosed,
    });
    expect(t.agents).toEqual([]);
    expect(t.weeks).toEqual([]);
  });

  it('refuses a req.now before the dataset was generated for', () => {
    expect(() =>
      groundTruth(dataset([]), { now: new Date(NOW - S), timezone: 'UTC', historyWeeks: 0 }, ALL),
    ).toThrow(RangeError);
  });
});

describe('groundTruth: agents', () => {
  it('lists agents with an assigned conversation created in the 30-day window, sorted by id', () => {
    const t = truth([
      // a002 first in the data; rows still come out sorted.
      conv(NOW - 20 * D, { assigneeId: 'a002', rating: { score: 3, ratedAt: NOW - 19 * D } }),
      replied(D, 100, { assigneeId: 'a001' }),
      replied(2 * D, 300, {
        assigneeId: 'a001',
        status: 'closed',
        closedAt: NOW - D,
        rating: { score: 5, ratedAt: NOW - H },
      }),
      conv(NOW - 3 * D, { assigneeId: 'a001' }), // no reply yet: a ticket, no first response
      replied(10 * D, 9000, { assigneeId: 'a001' }), // outside 7 days: not a ticket, not in the median
      // a003's only conversation is 40 days old; its rating 5 days ago does not make a row.
      rated(NOW - 5 * D, 5, { assigneeId: 'a003', createdAt: NOW - 40 * D }),
      replied(D, 1, {
        assigneeId: null,
        rating: { score: 1, ratedAt: NOW - H },
        status: 'closed',
        closedAt: NOW - 2 * H,
      }),
    ]);
    expect(t.agents).toEqual([
      {
        agentId: 'a001',
        name: 'Ada Adams',
        tickets: 3,
        csat: 100,
        csatResponses: 1,
        firstResponseSeconds: 200,
      },
      {
        agentId: 'a002',
        name: 'Ben Bauer',
        tickets: 0,
        csat: 0,
        csatResponses: 1,
        firstResponseSeconds: null,
      },
    ]);
    // The unassigned conversation counts in the workspace: 4 created in 7 days, 4 ratings in 30 days.
    expect(t.current.weeklyVolume).toBe(4);
    expect(t.current.csatResponses).toBe(4);
    expect(t.current.firstResponseSeconds).toBe(100); // 1, 100, 300
  });
});

describe('groundTruth: weeks', () => {
  // NOW is Thursday 00:30 in Tokyo (UTC+9), so the last completed Tokyo week ended Monday 16 Nov 00:00 JST,
  // which is Sunday 15 Nov 15:00 UTC.
  const weekData = () => [
    conv(Date.UTC(2026, 10, 1, 14, 0), { status: 'closed', closedAt: Date.UTC(2026, 10, 1, 14, 30) }), // Sun 23:00 JST
    conv(Date.UTC(2026, 10, 1, 15, 30), {
      firstAgentReplyAt: Date.UTC(2026, 10, 1, 15, 40),
      agentReplies: 1,
    }), // Mon 2 Nov 00:30 JST
    conv(Date.UTC(2026, 10, 8, 14, 59, 59)), // Sun 8 Nov 23:59:59 JST: last second of the week of 2 Nov
    conv(Date.UTC(2026, 10, 8, 15, 0), {
      firstAgentReplyAt: Date.UTC(2026, 10, 8, 15, 2),
      agentReplies: 1,
      status: 'closed',
      closedAt: Date.UTC(2026, 10, 9, 10, 0),
      rating: { score: 5, ratedAt: Date.UTC(2026, 10, 10, 0, 0) },
    }), // Mon 9 Nov 00:00 JST: first instant of the week of 9 Nov
    conv(Date.UTC(2026, 10, 15, 14, 59, 59)), // Sun 15 Nov 23:59:59 JST
    conv(Date.UTC(2026, 10, 15, 20, 0)), // Mon 16 Nov 05:00 JST: the current, incomplete week
  ];

  it('uses Monday-to-Monday weeks in the workspace timezone, oldest first', () => {
    const t = truth(weekData(), { timezone: 'Asia/Tokyo', historyWeeks: 2 });
    expect(t.weeks.map((w) => w.weekStart)).toEqual(['2026-11-02', '2026-11-09']);
    const [first, second] = t.weeks;
    expect(first?.values).toEqual({
      weeklyVolume: 2,
      csat: null,
      csatResponses: 0,
      csatMeanScore: null,
      firstResponseSeconds: 600,
      firstResponseP90Seconds: 600,
      openNow: null,
      backlogAgeDays: null,
      oneTouchRate: null,
      deflectionRate: null,
      utilisation: null,
    });
    expect(first?.notMeasured).toEqual({
      utilisation: NOT_MEASURED.utilisation,
      csat: NOT_MEASURED.noRatings,
      csatMeanScore: NOT_MEASURED.noRatings,
      oneTouchRate: NOT_MEASURED.noneClosed,
      deflectionRate: NOT_MEASURED.noneClosed,
      openNow: NOT_MEASURED.pointInTime,
      backlogAgeDays: NOT_MEASURED.pointInTime,
    });
    expect(second?.values).toMatchObject({
      weeklyVolume: 2,
      csat: 100,
      csatResponses: 1,
      csatMeanScore: 5,
      firstResponseSeconds: 120,
      oneTouchRate: 100,
      deflectionRate: 0,
      openNow: null,
      backlogAgeDays: null,
    });
    expect(second?.notMeasured.openNow).toBe(NOT_MEASURED.pointInTime);
    // The present is still measured.
    expect(t.current.openNow).toBe(4);
  });

  it('puts the same conversations in different weeks under UTC', () => {
    const t = truth(weekData(), { timezone: 'UTC', historyWeeks: 2 });
    expect(t.weeks.map((w) => [w.weekStart, w.values.weeklyVolume])).toEqual([
      ['2026-11-02', 2], // 8 Nov 14:59:59 and 15:00 UTC (both Sunday)
      ['2026-11-09', 2], // 15 Nov 14:59:59 and 20:00 UTC (both Sunday)
    ]);
    expect(t.weeks[0]?.values.firstResponseSeconds).toBe(120);
    expect(t.weeks[1]?.values.firstResponseSeconds).toBeNull();
  });
});
