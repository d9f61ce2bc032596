import { describe, expect, it } from 'vitest';
import type { MetricsRequest } from '../../metrics/types.ts';
import exportPage from './fixtures/incremental-tickets-page.json' with { type: 'json' };
import ratingsPage from './fixtures/satisfaction-ratings-page.json' with { type: 'json' };
import searchCount from './fixtures/search-count.json' with { type: 'json' };
import searchOldest from './fixtures/search-oldest-open.json' with { type: 'json' };
import metricEvents from './fixtures/ticket-metric-events-page.json' with { type: 'json' };
import usersPage from './fixtures/users-page.json' with { type: 'json' };
import { toSnapshot, zendeskFetchRange, type ZendeskMetricsRaw } from './metrics.ts';
import {
  SatisfactionRatingsPageSchema,
  SearchCountSchema,
  SearchPageSchema,
  TicketExportPageSchema,
  TicketMetricEventsPageSchema,
  UsersPageSchema,
} from './schemas.ts';

/*
 * Fixtures (Zendesk shapes, hand-made), now = Wed 2026-01-14 12:00 UTC:
 *   7-day window  [2026-01-07T12:00Z, now)   30-day window [2025-12-15T12:00Z, now)   week [2026-01-05, 2026-01-12)
 *   ticket created              status   assignee replies reopens solved_at   reply s
 *   1      01-13 10:00          solved   501      1       0       01-13 12:00 600
 *   2      01-12 09:00          open     502      2       0       —           3600
 *   3      01-10 08:00          closed   501      2       1       01-11 08:00 120
 *   4      01-08 00:00          new      —        0       0       —           —
 *   5      01-06 00:00          deleted  501      (excluded everywhere, its rating too)
 *   6      2025-12-20           solved   503      1       0       01-09 00:00 7200
 *   7      01-07 11:00          pending  502      1       0       —           30
 *   8      2025-12-28           solved   —        0       0       01-13 00:00 —
 *   ratings: 1 good 01-13 15:00 · 3 bad 01-11 09:00 · 6 good 01-10 · 5 good (deleted ticket) ·
 *            99 good 2025-12-01 (outside 30 days) · 2 offered (no answer) · 7 bad 01-12 13:00 (rating says
 *            assignee 999, the ticket says 502: the ticket's assignee counts)
 */
const REQ: MetricsRequest = { now: new Date('2026-01-14T12:00:00Z'), timezone: 'UTC', historyWeeks: 1 };

function fixtureRaw(): ZendeskMetricsRaw {
  const page = TicketExportPageSchema.parse(exportPage);
  return {
    users: UsersPageSchema.parse(usersPage).users,
    openCount: SearchCountSchema.parse(searchCount).count,
    oldestOpenCreatedAt: SearchPageSchema.parse(searchOldest).results[0]?.created_at ?? null,
    tickets: page.tickets,
    metricSets: page.metric_sets,
    ratings: SatisfactionRatingsPageSchema.parse(ratingsPage).satisfaction_ratings,
    firstReplyEvents: [],
  };
}

const UNSUPPORTED = {
  utilisation: 'capacity is not measurable from a helpdesk API',
  csatMeanScore: "the helpdesk's rating scale is not numeric (good/bad only)",
  deflectionRate: 'the helpdesk does not report AI-resolved conversations',
};

describe('zendesk toSnapshot', () => {
  it('computes current, per-agent and weekly metrics from the fixtures', () => {
    const snapshot = toSnapshot(fixtureRaw(), REQ);
    expect(snapshot.measuredAt).toBe('2026-01-14T12:00:00.000Z');
    expect(snapshot.window).toEqual({
      from: '2026-01-07T12:00:00.000Z',
      to: '2026-01-14T12:00:00.000Z',
      csatFrom: '2025-12-15T12:00:00.000Z',
    });
    expect(snapshot.current).toEqual({
      weeklyVolume: 4, // tickets 1, 2, 3, 4
      csat: 50, // good: 1, 6; bad: 3, 7
      csatResponses: 4,
      csatMeanScore: null,
      firstResponseSeconds: 600, // [120, 600, 3600]
      firstResponseP90Seconds: 3600, // rank ⌈0.9·3⌉ = 3
      openNow: 3,
      backlogAgeDays: 74, // 2025-11-01T06:00Z → 74.25 days
      oneTouchRate: 50, // solved 1, 3, 6, 8; one-touch 1 and 6 (8 had no reply)
      deflectionRate: null,
      utilisation: null,
    });
    expect(snapshot.notMeasured).toEqual(UNSUPPORTED);
    expect(snapshot.agents).toEqual([
      {
        agentId: '501',
        name: 'Ana Silva',
        tickets: 2,
        csat: 50,
        csatResponses: 2,
        firstResponseSeconds: 360,
      },
      {
        agentId: '502',
        name: 'Ben Okafor',
        tickets: 1,
        csat: 0,
        csatResponses: 1,
        firstResponseSeconds: 3600,
      },
      { agentId: '503', name: '503', tickets: 0, csat: 100, csatResponses: 1, firstResponseSeconds: null },
    ]);
    expect(snapshot.weeks).toEqual([
      {
        weekStart: '2026-01-05',
        values: {
          weeklyVolume: 3, // 3, 4, 7
          csat: 50, // 6 good, 3 bad
          csatResponses: 2,
          csatMeanScore: null,
          firstResponseSeconds: 75, // [30, 120]
          firstResponseP90Seconds: 120,
          openNow: null,
          backlogAgeDays: null,
          oneTouchRate: 50, // solved 3, 6
          deflectionRate: null,
          utilisation: null,
        },
        notMeasured: {
          ...UNSUPPORTED,
          openNow: 'point-in-time metric: not reconstructible for past weeks',
          backlogAgeDays: 'point-in-time metric: not reconstructible for past weeks',
        },
      },
    ]);
  });

  it('keeps the later copy of a ticket the export returned twice', () => {
    const raw = fixtureRaw();
    const [first] = raw.tickets;
    if (!first) throw new Error('fixture has no tickets');
    // An older copy (still unassigned and new) before the current one.
    raw.tickets.unshift({ ...first, status: 'new', assignee_id: null });
    expect(toSnapshot(raw, REQ)).toEqual(toSnapshot(fixtureRaw(), REQ));
    // And a ticket deleted after it was exported drops out.
    raw.tickets.push({ ...first, status: 'deleted' });
    expect(toSnapshot(raw, REQ).current.weeklyVolume).toBe(3);
  });

  it('takes the first reply from reply_time events when the metric set has minutes only, never the minutes', () => {
    const raw = fixtureRaw();
    // Ticket 2 (created 09:00) as an e-mail ticket: 60 minutes, no seconds.
    raw.metricSets = raw.metricSets.map((m) =>
      m.ticket_id === 2 ? { ...m, reply_time_in_seconds: { calendar: null } } : m,
    );
    const withoutEvent = toSnapshot(raw, REQ);
    expect(withoutEvent.current.firstResponseSeconds).toBeNull();
    expect(withoutEvent.current.firstResponseP90Seconds).toBeNull();
    expect(withoutEvent.notMeasured.firstResponseSeconds).toMatch(/whole minutes only/);
    expect(withoutEvent.agents.find((a) => a.agentId === '502')?.firstResponseSeconds).toBeNull();
    // Ticket 2 is not in the week, so the week stays measurable.
    expect(withoutEvent.weeks[0]?.values.firstResponseSeconds).toBe(75);

    // The instance-1 fulfill at 10:00 (repeated across a page boundary) is the first reply; instance 2 is the next.
    raw.firstReplyEvents = TicketMetricEventsPageSchema.parse(metricEvents).ticket_metric_events;
    expect(toSnapshot(raw, REQ)).toEqual(toSnapshot(fixtureRaw(), REQ));
  });

  it('says why when nothing was rated, replied or solved, and reports an empty backlog as 0', () => {
    const raw: ZendeskMetricsRaw = {
      users: [],
      openCount: 0,
      oldestOpenCreatedAt: null,
      tickets: [{ id: 1, created_at: '2026-01-13T10:00:00Z', status: 'new', assignee_id: null }],
      metricSets: [{ ticket_id: 1, replies: 0, reopens: 0, solved_at: null }],
      ratings: [],
      firstReplyEvents: [],
    };
    const snapshot = toSnapshot(raw, { ...REQ, historyWeeks: 0 });
    expect(snapshot.current).toMatchObject({
      weeklyVolume: 1,
      csat: null,
      csatResponses: 0,
      firstResponseSeconds: null,
      firstResponseP90Seconds: null,
      openNow: 0,
      backlogAgeDays: 0,
      oneTouchRate: null,
    });
    expect(snapshot.notMeasured).toEqual({
      ...UNSUPPORTED,
      csat: 'no ratings in the window',
      firstResponseSeconds: 'no conversation created in the window got a human reply',
      firstResponseP90Seconds: 'no conversation created in the window got a human reply',
      oneTouchRate: 'no conversation closed in the window',
    });
    expect(snapshot.agents).toEqual([]);
    expect(snapshot.weeks).toEqual([]);
  });

  it('covers the 30-day window and every requested week when fetching', () => {
    expect(zendeskFetchRange(REQ)).toEqual({
      from: Date.parse('2025-12-15T12:00:00Z'),
      to: Date.parse('2026-01-14T12:00:00Z'),
    });
    expect(zendeskFetchRange({ ...REQ, historyWeeks: 12 }).from).toBe(Date.parse('2025-10-20T00:00:00Z'));
  });
});
