import { describe, expect, it } from 'vitest';
import type { MetricsRequest } from '../../metrics/types.ts';
import adminsFixture from './fixtures/admins.json' with { type: 'json' };
import searchFixture from './fixtures/search-conversations.json' with { type: 'json' };
import { intercomSearchQuery, oldestWindowStart, toSnapshot, type IntercomMetricsRaw } from './metrics.ts';
import { IntercomAdminListSchema, IntercomConversationListSchema } from './schemas.ts';

/*
 * fixtures/search-conversations.json: nine conversations in the `conversation_list` shape of the spec, around
 * now = Wed 2026-11-18 15:30 UTC (ids 991267101 Ada, …102 Ben, …103 Chloe):
 *   1  created −1 d, closed −20 h, Ada, one reply after 600 s, rated 5 at −19 h        (one-touch)
 *   2  created −2 d, closed −1 d, Ada, replies at +1200 s and +5000 s, rated 3 at −23 h
 *   3  created −3 d, closed +360 s by Fin (assumed_resolution), unassigned, no reply   (AI-resolved)
 *   4  created −4 d, open again after a close at −3 d (1 reopen), Ben, one reply at +3000 s
 *   5  created −40 d −5 h, snoozed, Ben, reply at +100 s                                (oldest open)
 *   6  created −10 d, closed −2 d after 1 reopen, Ben, one reply at +200 s, rated 4 at −2 d +1 h
 *   7  created −5 d, closed +100 s, Ada; Fin said confirmed_resolution but Ada replied at +50 s (one-touch, not AI)
 *   8  created −6 d, closed −5 d, Ada, Fin escalated, nobody replied
 *   9  created −60 d, closed −50 d, Chloe, reply at +30 s, rated 1 at −45 d               (outside every window)
 */

const NOW = new Date('2026-11-18T15:30:00Z');
const raw: IntercomMetricsRaw = {
  conversations: IntercomConversationListSchema.parse(searchFixture).conversations,
  admins: IntercomAdminListSchema.parse(adminsFixture).admins,
};
const UTILISATION = 'capacity is not measurable from a helpdesk API';

describe('Intercom toSnapshot', () => {
  const req: MetricsRequest = { now: NOW, timezone: 'UTC', historyWeeks: 2 };
  const snapshot = toSnapshot(raw, req);

  it('computes the current metrics from the fixture', () => {
    expect(snapshot.measuredAt).toBe('2026-11-18T15:30:00.000Z');
    expect(snapshot.window).toEqual({
      from: '2026-11-11T15:30:00.000Z',
      to: '2026-11-18T15:30:00.000Z',
      csatFrom: '2026-10-19T15:30:00.000Z',
    });
    expect(snapshot.current).toEqual({
      // Created in the last 7 days: 1, 2, 3, 4, 7, 8.
      weeklyVolume: 6,
      // Rated in the last 30 days: 5, 3, 4 (9's rating is 45 days old).
      csat: 200 / 3,
      csatResponses: 3,
      csatMeanScore: 4,
      // Replies of 1, 2, 4, 7: [50, 600, 1200, 3000] s → median (600 + 1200) / 2, P90 at rank ⌈3.6⌉ = 4.
      firstResponseSeconds: 900,
      firstResponseP90Seconds: 3000,
      // 4 (open) and 5 (snoozed); 5 was created 40 days 5 hours ago.
      openNow: 2,
      backlogAgeDays: 40,
      // Closed in the last 7 days and still closed: 1, 2, 3, 6, 7, 8; one-touch 1 and 7; Fin resolved 3.
      oneTouchRate: (100 * 2) / 6,
      deflectionRate: (100 * 1) / 6,
      utilisation: null,
    });
    expect(snapshot.notMeasured).toEqual({ utilisation: UTILISATION });
  });

  it('builds per-agent rows for agents with a conversation created in the last 30 days, by admin id', () => {
    expect(snapshot.agents).toEqual([
      // 1, 2, 7, 8 this week; ratings 5 and 3; replies [50, 600, 1200] (8 got none).
      {
        agentId: '991267101',
        name: 'Ada Adams',
        tickets: 4,
        csat: 50,
        csatResponses: 2,
        firstResponseSeconds: 600,
      },
      // 4 this week, 6 this month; 6 rated 4; 4's reply after 3000 s.
      {
        agentId: '991267102',
        name: 'Ben Bauer',
        tickets: 1,
        csat: 100,
        csatResponses: 1,
        firstResponseSeconds: 3000,
      },
    ]);
  });

  it('computes completed Monday–Sunday weeks, with point-in-time metrics null', () => {
    const pointInTime = 'point-in-time metric: not reconstructible for past weeks';
    expect(snapshot.weeks).toEqual([
      {
        // 2026-11-02 … 11-09: only 6 was created; nothing rated or closed.
        weekStart: '2026-11-02',
        values: {
          weeklyVolume: 1,
          csat: null,
          csatResponses: 0,
          csatMeanScore: null,
          firstResponseSeconds: 200,
          firstResponseP90Seconds: 200,
          openNow: null,
          backlogAgeDays: null,
          oneTouchRate: null,
          deflectionRate: null,
          utilisation: null,
        },
        notMeasured: {
          utilisation: UTILISATION,
          csat: 'no ratings in the window',
          csatMeanScore: 'no ratings in the window',
          oneTouchRate: 'no conversation closed in the window',
          deflectionRate: 'no conversation closed in the window',
          openNow: pointInTime,
          backlogAgeDays: pointInTime,
        },
      },
      {
        // 2026-11-09 … 11-16: created 3, 4, 7, 8 (replies 3000 and 50); closed 3 (Sunday 15:36), 7, 8.
        weekStart: '2026-11-09',
        values: {
          weeklyVolume: 4,
          csat: null,
          csatResponses: 0,
          csatMeanScore: null,
          firstResponseSeconds: 1525,
          firstResponseP90Seconds: 3000,
          openNow: null,
          backlogAgeDays: null,
          oneTouchRate: 100 / 3,
          deflectionRate: 100 / 3,
          utilisation: null,
        },
        notMeasured: {
          utilisation: UTILISATION,
          csat: 'no ratings in the window',
          csatMeanScore: 'no ratings in the window',
          openNow: pointInTime,
          backlogAgeDays: pointInTime,
        },
      },
    ]);
  });

  it('moves week boundaries with the workspace timezone', () => {
    // In Auckland (UTC+13) the week of 11-09 runs from Sun 11-08 11:00 to Sun 11-15 11:00 UTC: 6 (created
    // 11-08 15:30 UTC) comes in, 3 (created and closed by Fin on 11-15 afternoon UTC) falls out.
    const weeks = toSnapshot(raw, { now: NOW, timezone: 'Pacific/Auckland', historyWeeks: 1 }).weeks;
    expect(weeks.map((w) => w.weekStart)).toEqual(['2026-11-09']);
    expect(weeks[0]?.values.weeklyVolume).toBe(4);
    expect(weeks[0]?.values.oneTouchRate).toBe(50);
    expect(weeks[0]?.values.deflectionRate).toBe(0);
  });

  it('reports nothing open as openNow 0 and backlog 0, and no ratings as null with a reason', () => {
    const closedOnly: IntercomMetricsRaw = {
      admins: raw.admins,
      conversations: raw.conversations
        .filter((c) => c.state === 'closed')
        .map((c) => ({ ...c, conversation_rating: null })),
    };
    const s = toSnapshot(closedOnly, { now: NOW, timezone: 'UTC', historyWeeks: 0 });
    expect(s.current.openNow).toBe(0);
    expect(s.current.backlogAgeDays).toBe(0);
    expect(s.current.csat).toBeNull();
    expect(s.current.csatMeanScore).toBeNull();
    expect(s.current.csatResponses).toBe(0);
    expect(s.notMeasured.csat).toBe('no ratings in the window');
    expect(s.weeks).toEqual([]);
    expect(s.agents.map((a) => [a.agentId, a.csat, a.csatResponses])).toEqual([
      ['991267101', null, 0],
      ['991267102', null, 0],
    ]);
  });

  it('treats admin_assignee_id 0 and null alike as unassigned, and names unknown admins by id', () => {
    const s = toSnapshot(
      {
        admins: [],
        conversations: raw.conversations.map((c) =>
          c.id === '1'
            ? { ...c, admin_assignee_id: null }
            : c.id === '3'
              ? { ...c, admin_assignee_id: 0 }
              : c,
        ),
      },
      { now: NOW, timezone: 'UTC', historyWeeks: 0 },
    );
    expect(s.agents.map((a) => [a.agentId, a.name, a.tickets])).toEqual([
      ['991267101', '991267101', 3],
      ['991267102', '991267102', 1],
    ]);
  });
});

describe('Intercom search plan', () => {
  it('starts at the 30-day window, or at the oldest history week when that is earlier', () => {
    expect(oldestWindowStart({ now: NOW, timezone: 'UTC', historyWeeks: 0 })).toBe(
      Date.parse('2026-10-19T15:30:00Z'),
    );
    expect(oldestWindowStart({ now: NOW, timezone: 'UTC', historyWeeks: 12 })).toBe(
      Date.parse('2026-08-24T00:00:00Z'),
    );
  });

  it('asks for everything created, closed or rated since one second before the start, or open now', () => {
    const since = Date.parse('2026-08-24T00:00:00Z') / 1000 - 1;
    expect(intercomSearchQuery(Date.parse('2026-08-24T00:00:00Z'))).toEqual({
      operator: 'OR',
      value: [
        { field: 'created_at', operator: '>', value: since },
        { field: 'statistics.last_close_at', operator: '>', value: since },
        { field: 'conversation_rating.replied_at', operator: '>', value: since },
        { field: 'state', operator: 'IN', value: ['open', 'snoozed'] },
      ],
    });
  });
});
