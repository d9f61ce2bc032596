import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MetricsRequest } from '../../metrics/types.ts';
import { NOT_MEASURED, plainSnapshot, threadsFilter, type PlainRaw } from './metrics.ts';
import { ThreadsResponseSchema, UsersResponseSchema } from './schemas.ts';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/small-workspace.json', import.meta.url), 'utf8'),
) as { users: unknown[]; threads: unknown[] };

/** The fixture's GraphQL pages, parsed the way `fetch` parses them. */
function rawFromFixture(): PlainRaw {
  return {
    users: fixture.users.flatMap(
      (p) => UsersResponseSchema.parse(p).data?.users.edges.map((e) => e.node) ?? [],
    ),
    threads: fixture.threads.flatMap(
      (p) => ThreadsResponseSchema.parse(p).data?.threads.edges.map((e) => e.node) ?? [],
    ),
  };
}

// Wednesday: the 7-day window starts 2026-11-11T15:30Z, the 30-day window 2026-10-19T15:30Z.
const req: MetricsRequest = { now: new Date('2026-11-18T15:30:00Z'), timezone: 'UTC', historyWeeks: 2 };
const ALWAYS = { utilisation: NOT_MEASURED.utilisation, deflectionRate: NOT_MEASURED.deflectionUnsupported };

describe('plainSnapshot', () => {
  const snapshot = plainSnapshot(rawFromFixture(), req);

  it('computes the current metrics by hand from seven threads (one listed twice)', () => {
    expect(snapshot.measuredAt).toBe('2026-11-18T15:30:00.000Z');
    expect(snapshot.window).toEqual({
      from: '2026-11-11T15:30:00.000Z',
      to: '2026-11-18T15:30:00.000Z',
      csatFrom: '2026-10-19T15:30:00.000Z',
    });
    expect(snapshot.current).toEqual({
      // th_1, th_2, th_3, th_4, th_7 (th_1 counted once although listed twice)
      weeklyVolume: 5,
      // ratings given since 10-19: 5, 2, 4, 4 → 3 positive of 4
      csat: 75,
      csatResponses: 4,
      csatMeanScore: 3.75,
      // 600 s, 1200 s, 1800 s → median 1200, nearest-rank P90 = 3rd value
      firstResponseSeconds: 1200,
      firstResponseP90Seconds: 1800,
      // TODO th_2, th_5 + SNOOZED th_4
      openNow: 3,
      // th_5 created 2026-10-01T00:00Z: 48 days 15.5 hours
      backlogAgeDays: 48,
      // closed in the week: th_1 (one reply), th_3 (customer wrote after the reply), th_7 (no reply)
      oneTouchRate: 100 / 3,
      deflectionRate: null,
      utilisation: null,
    });
    expect(snapshot.notMeasured).toEqual(ALWAYS);
  });

  it('builds per-agent rows for users only, sorted by id, naming unknown users by id', () => {
    expect(snapshot.agents).toEqual([
      {
        agentId: 'u_A',
        name: 'Ada Lovelace',
        tickets: 3,
        csat: 100,
        csatResponses: 2,
        firstResponseSeconds: 1200,
      },
      { agentId: 'u_B', name: 'Bob Kahn', tickets: 1, csat: 0, csatResponses: 1, firstResponseSeconds: 1200 },
      { agentId: 'u_C', name: 'u_C', tickets: 0, csat: 100, csatResponses: 1, firstResponseSeconds: null },
    ]);
  });

  it('computes completed weeks with half-open bounds, point-in-time metrics null', () => {
    const pointInTime = { openNow: NOT_MEASURED.pointInTime, backlogAgeDays: NOT_MEASURED.pointInTime };
    expect(snapshot.weeks).toEqual([
      {
        weekStart: '2026-11-02',
        values: {
          weeklyVolume: 0,
          csat: null,
          csatResponses: 0,
          csatMeanScore: null,
          firstResponseSeconds: null,
          firstResponseP90Seconds: null,
          openNow: null,
          backlogAgeDays: null,
          oneTouchRate: null,
          deflectionRate: null,
          utilisation: null,
        },
        notMeasured: {
          ...ALWAYS,
          ...pointInTime,
          csat: NOT_MEASURED.noRatings,
          csatMeanScore: NOT_MEASURED.noRatings,
          firstResponseSeconds: NOT_MEASURED.noFirstResponse,
          firstResponseP90Seconds: NOT_MEASURED.noFirstResponse,
          oneTouchRate: NOT_MEASURED.noneClosed,
        },
      },
      {
        weekStart: '2026-11-09',
        values: {
          // th_7, th_4, th_3; th_3's rating at 11-16T00:00Z belongs to the next week
          weeklyVolume: 3,
          csat: 100,
          csatResponses: 1,
          csatMeanScore: 4,
          firstResponseSeconds: 1200,
          firstResponseP90Seconds: 1200,
          openNow: null,
          backlogAgeDays: null,
          oneTouchRate: 0,
          deflectionRate: null,
          utilisation: null,
        },
        notMeasured: { ...ALWAYS, ...pointInTime },
      },
    ]);
  });

  it('answers openNow 0 and backlogAgeDays 0 when nothing is open', () => {
    const raw = rawFromFixture();
    const closedOnly = { ...raw, threads: raw.threads.filter((t) => t.status === 'DONE') };
    const { current } = plainSnapshot(closedOnly, { ...req, historyWeeks: 0 });
    expect(current.openNow).toBe(0);
    expect(current.backlogAgeDays).toBe(0);
  });

  it('answers null CSAT with a reason when nobody rated', () => {
    const raw = rawFromFixture();
    const unrated = { ...raw, threads: raw.threads.map((t) => ({ ...t, surveyResponse: null })) };
    const snap = plainSnapshot(unrated, { ...req, historyWeeks: 0 });
    expect(snap.current).toMatchObject({ csat: null, csatResponses: 0, csatMeanScore: null });
    expect(snap.notMeasured).toMatchObject({
      csat: NOT_MEASURED.noRatings,
      csatMeanScore: NOT_MEASURED.noRatings,
    });
    expect(snap.weeks).toEqual([]);
  });
});

describe('threadsFilter', () => {
  it('asks for threads created, rated or closed since the oldest window, or open now, without spam', () => {
    // Two completed weeks start on Monday 2026-11-02, after the 30-day window's start.
    const after = '2026-10-19T15:30:00.000Z';
    expect(threadsFilter(req)).toEqual({
      isMarkedAsSpam: false,
      or: [
        { createdAt: { after } },
        { surveyResponse: { responseAt: { after } } },
        { statuses: ['DONE'], statusChangedAt: { after } },
        { statuses: ['TODO', 'SNOOZED'] },
      ],
    });
    const twelve = threadsFilter({ ...req, historyWeeks: 12, timezone: 'Europe/Berlin' });
    // 12 weeks back from Monday 2026-11-16 00:00 Berlin (UTC+1) → 2026-08-24 00:00 Berlin (UTC+2).
    expect(twelve.or).toContainEqual({ createdAt: { after: '2026-08-23T22:00:00.000Z' } });
  });
});

describe('ThreadsResponseSchema', () => {
  it('rejects a rating outside 1–5 and a DateTime that is not an object', () => {
    const page = structuredClone(fixture.threads[0]) as {
      data: { threads: { edges: { node: Record<string, unknown> }[] } };
    };
    const node = page.data.threads.edges[1]?.node as Record<string, unknown>;
    expect(ThreadsResponseSchema.safeParse(page).success).toBe(true);
    node.surveyResponse = { rating: 7, respondedAt: { iso8601: '2026-10-27T00:00:00.000Z' } };
    expect(ThreadsResponseSchema.safeParse(page).success).toBe(false);
    node.surveyResponse = null;
    node.createdAt = '2026-10-25T00:00:00.000Z';
    expect(ThreadsResponseSchema.safeParse(page).success).toBe(false);
  });
});
