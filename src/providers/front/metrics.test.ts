import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MetricsRequest } from '../../metrics/types.ts';
import {
  exportStart,
  parseExport,
  toFrontSnapshot,
  toOpenConversations,
  toTeammates,
  type FrontRaw,
} from './metrics.ts';
import { ConversationPageSchema, TeammatesSchema } from './schemas.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function raw(): FrontRaw {
  const activities = parseExport(fixture('export-events.csv'));
  if (!activities.ok) throw new Error(activities.error.detail);
  return {
    teammates: toTeammates(TeammatesSchema.parse(JSON.parse(fixture('teammates.json')))),
    open: toOpenConversations(ConversationPageSchema.parse(JSON.parse(fixture('open-conversations.json')))),
    activities: activities.value,
  };
}

// Thursday 2026-01-15 12:00 UTC: the 7-day window starts Jan 8 12:00, the 30-day one Dec 16 12:00, and the one
// completed week is Mon Jan 5 – Mon Jan 12 (twelve weeks reach back to Mon Oct 20).
const REQ: MetricsRequest = { now: new Date('2026-01-15T12:00:00Z'), timezone: 'UTC', historyWeeks: 1 };

describe('Front toSnapshot', () => {
  it('computes the current metrics from the export and the open lists', () => {
    const snapshot = toFrontSnapshot(raw(), REQ);
    expect(snapshot.window).toEqual({
      from: '2026-01-08T12:00:00.000Z',
      to: '2026-01-15T12:00:00.000Z',
      csatFrom: '2025-12-16T12:00:00.000Z',
    });
    expect(snapshot.current).toEqual({
      // cnv_1, cnv_2, cnv_3, cnv_4
      weeklyVolume: 4,
      // ratings since Dec 16: 5, 2, 4, 3 → 2 positive of 4
      csat: 50,
      csatResponses: 4,
      csatMeanScore: 3.5,
      // 600 s, 1800 s, 1200 s (cnv_4 never answered)
      firstResponseSeconds: 1200,
      firstResponseP90Seconds: 1800,
      // cnv_4 unassigned, cnv_6 snoozed
      openNow: 2,
      // Dec 20 10:00 → Jan 15 12:00 = 26 days 2 hours
      backlogAgeDays: 26,
      // closed and still closed: cnv_1 (one touch), cnv_2 (two replies), cnv_3 (reopened); cnv_6 is snoozed
      oneTouchRate: 100 / 3,
      deflectionRate: null,
      utilisation: null,
    });
    expect(snapshot.notMeasured).toEqual({
      utilisation: 'capacity is not measurable from a helpdesk API',
      deflectionRate: 'the helpdesk does not report AI-resolved conversations',
    });
  });

  it('computes past weeks with the week as the window', () => {
    const [week, ...rest] = toFrontSnapshot(raw(), REQ).weeks;
    expect(rest).toEqual([]);
    expect(week).toEqual({
      weekStart: '2026-01-05',
      values: {
        weeklyVolume: 3,
        csat: 100 / 3,
        csatResponses: 3,
        csatMeanScore: 10 / 3,
        firstResponseSeconds: 1800,
        firstResponseP90Seconds: 3600,
        openNow: null,
        backlogAgeDays: null,
        oneTouchRate: 200 / 3,
        deflectionRate: null,
        utilisation: null,
      },
      notMeasured: {
        utilisation: 'capacity is not measurable from a helpdesk API',
        deflectionRate: 'the helpdesk does not report AI-resolved conversations',
        openNow: 'point-in-time metric: not reconstructible for past weeks',
        backlogAgeDays: 'point-in-time metric: not reconstructible for past weeks',
      },
    });
  });

  it('breaks down by assignee, skipping teammates without a conversation in 30 days', () => {
    expect(toFrontSnapshot(raw(), REQ).agents).toEqual([
      {
        agentId: 'tea_a',
        name: 'Ana Díaz Ruiz',
        tickets: 2,
        csat: 50,
        csatResponses: 2,
        firstResponseSeconds: 1200,
      },
      { agentId: 'tea_b', name: 'Bo', tickets: 1, csat: 50, csatResponses: 2, firstResponseSeconds: 1200 },
    ]);
  });

  it('reports null with reasons when a window has no ratings, replies or closes', () => {
    const empty = toFrontSnapshot({ ...raw(), activities: [], open: [] }, { ...REQ, historyWeeks: 0 });
    expect(empty.current).toMatchObject({
      weeklyVolume: 0,
      csat: null,
      csatResponses: 0,
      csatMeanScore: null,
      firstResponseSeconds: null,
      firstResponseP90Seconds: null,
      openNow: 0,
      backlogAgeDays: 0,
      oneTouchRate: null,
    });
    expect(empty.notMeasured).toMatchObject({
      csat: 'no ratings in the window',
      csatMeanScore: 'no ratings in the window',
      firstResponseSeconds: 'no conversation created in the window got a human reply',
      oneTouchRate: 'no conversation closed in the window',
    });
    expect(empty.agents).toEqual([]);
    expect(empty.weeks).toEqual([]);
  });

  it('starts the export at the oldest window it needs', () => {
    expect(new Date(exportStart(REQ)).toISOString()).toBe('2025-12-16T12:00:00.000Z');
    expect(new Date(exportStart({ ...REQ, historyWeeks: 12 })).toISOString()).toBe(
      '2025-10-20T00:00:00.000Z',
    );
  });
});

describe('Front export parsing', () => {
  it('refuses a file that is not CSV', () => {
    expect(parseExport('Type,"unterminated\r\n')).toMatchObject({
      ok: false,
      error: { code: 'unexpected_response' },
    });
  });

  it('refuses an export without a column we read', () => {
    const result = parseExport('Type,Conversation API ID\r\nArchive,cnv_1\r\n');
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
    expect(result.ok ? '' : result.error.detail).toContain('Message date');
  });

  it('refuses a row we rely on with a malformed value, and skips activity types it does not read', () => {
    const csv = fixture('export-events.csv');
    expect(parseExport(csv).ok).toBe(true);
    const broken = csv.replace('2026-01-10T10:10:00.000Z', 'yesterday');
    expect(parseExport(broken)).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
    const badSegment = csv.replace(',,1,1,\n', ',,one,1,\n');
    expect(parseExport(badSegment)).toMatchObject({ ok: false, error: { code: 'unexpected_response' } });
  });
});
