import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { asExported } from '../dataset/as-exported.ts';
import { openConversation } from '../dataset/conversation.ts';
import { generateDataset } from '../dataset/generate.ts';
import { groundTruth } from '../dataset/ground-truth.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { parseWallClock } from '../shared/wall-clock.ts';
import { activitiesOf } from './analytics.ts';
import { FRONT_EVENTS_COLUMNS, frontEventsExport } from './export.ts';

const NY = 'America/New_York';
const dataset = generateDataset({ seed: 13, conversations: 500 });
const activityCount = dataset.conversations.reduce((n, c) => n + activitiesOf(c, dataset.now).length, 0);

type Row = { [header: string]: string };
const rows = (csv: string): Row[] => parse<Row>(csv, { columns: true });

describe('frontEventsExport', () => {
  it('has every events column, one row per activity, legacy dates in the export timezone, CRLF', () => {
    const csv = frontEventsExport(dataset, { timezone: NY });
    expect(parse(csv, { to_line: 1 })[0]).toEqual([...FRONT_EVENTS_COLUMNS]);
    for (const column of ['Type', 'Conversation API ID', 'Message date', 'Assignee', 'New Conversation'])
      expect(FRONT_EVENTS_COLUMNS).toContain(column);
    for (const column of ['Segment', 'Replies to resolution', 'Survey rating', 'Activity ID', 'Autoreply'])
      expect(FRONT_EVENTS_COLUMNS).toContain(column);
    const got = rows(csv);
    expect(got).toHaveLength(activityCount);
    expect(new Set(got.map((r) => r['Activity ID'])).size).toBe(activityCount);
    expect(got.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r['Message date'] ?? ''))).toBe(
      true,
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(got.some((r) => r.Extract?.includes('\n'))).toBe(true);
    const types = new Set(got.map((r) => r.Type));
    expect(types).toEqual(
      new Set(['Inbound message', 'Outbound reply', 'Archive', 'Reopen', 'Survey response']),
    );
  });

  it('writes dates as ISO 8601 with the offset on request, on both sides of a DST change', () => {
    const at = (iso: string) => Date.parse(iso);
    const d: Dataset = {
      seed: 1,
      now: at('2026-11-18T15:30:00Z'),
      agents: [],
      conversations: [
        openConversation('c000001', at('2026-11-01T05:30:00Z')),
        openConversation('c000002', at('2026-11-01T06:30:00Z')),
      ],
    };
    const date = (o: { dateFormat?: 'iso' | 'legacy' }) =>
      rows(frontEventsExport(d, { timezone: NY, ...o })).map((r) => r['Message date']);
    expect(date({})).toEqual(['2026-11-01 01:30:00', '2026-11-01 01:30:00']);
    expect(date({ dateFormat: 'iso' })).toEqual([
      '2026-11-01T01:30:00.000-04:00',
      '2026-11-01T01:30:00.000-05:00',
    ]);
  });

  it('repeats each activity once per inbox with the same Activity ID', () => {
    const got = rows(frontEventsExport(dataset, { timezone: NY, inboxes: 3 }));
    expect(got).toHaveLength(3 * activityCount);
    const byActivity = new Map<string, Row[]>();
    for (const r of got)
      byActivity.set(r['Activity ID'] ?? '', [...(byActivity.get(r['Activity ID'] ?? '') ?? []), r]);
    expect(byActivity.size).toBe(activityCount);
    for (const copies of byActivity.values()) {
      expect(new Set(copies.map((r) => r.Inbox)).size).toBe(3);
      const strip = ({ Inbox: _a, 'Inbox API ID': _b, 'Inbox at activity time': _c, ...rest }: Row) => rest;
      const rest = copies.map((r) => strip({ ...r, 'Inbox API IDs at activity time': '' }));
      expect(rest[1]).toEqual(rest[0]);
      expect(rest[2]).toEqual(rest[0]);
    }
  });

  it('adds autoreplies one second after creation, marked Autoreply = true and never the first response', () => {
    const got = rows(frontEventsExport(dataset, { timezone: NY, autoreplies: true }));
    const auto = got.filter((r) => r.Autoreply === 'true');
    expect(auto.length).toBeGreaterThan(50);
    expect(got.length).toBe(activityCount + auto.length);
    const created = new Map(
      got
        .filter((r) => r.Type === 'Inbound message' && r.Segment === '1')
        .map((r) => [r['Conversation API ID'], r]),
    );
    for (const r of auto) {
      expect(r.Type).toBe('Outbound reply');
      expect(r['First response']).toBe('false');
      expect(r.Author).toBe('');
      const inbound = created.get(r['Conversation API ID']);
      const t = (row: Row | undefined) => parseWallClock(row?.['Message date'] ?? '', NY) ?? NaN;
      expect(t(r) - t(inbound)).toBe(1000);
    }
  });
});

/**
 * The replay of docs/csv-import.md: rows deduplicated on Activity ID, autoreplies skipped; an Inbound message
 * with New Conversation creates, the first Outbound reply answers, Archive closes, Reopen reopens, Survey response
 * rates. Segment and Replies to resolution of the standing Archive give one-touch.
 */
function replay(d: Dataset, csv: string): Dataset {
  const agentByEmail = new Map(d.agents.map((a) => [a.email, a.id]));
  const byConversation = new Map<string, DatasetConversation>();
  const seen = new Set<string>();
  for (const r of rows(csv)) {
    if (seen.has(r['Activity ID'] ?? '') || r.Autoreply === 'true') continue;
    seen.add(r['Activity ID'] ?? '');
    const at = parseWallClock(r['Message date'] ?? '', NY) ?? NaN;
    const id = r['Conversation API ID'] ?? '';
    if (r.Type === 'Inbound message' && r['New Conversation'] === 'true') {
      const assigneeId = agentByEmail.get(r.Assignee ?? '') ?? null;
      byConversation.set(id, openConversation(id, at, { assigneeId, updatedAt: at }));
      continue;
    }
    const c = byConversation.get(id);
    if (c === undefined) continue;
    c.updatedAt = at;
    if (r.Type === 'Outbound reply') c.firstAgentReplyAt ??= at;
    if (r.Type === 'Archive') {
      c.status = 'closed';
      c.closedAt = at;
      c.reopens = Number(r.Segment) - 1;
      c.agentReplies = Number(r['Replies to resolution']);
    }
    if (r.Type === 'Reopen') Object.assign(c, { status: 'open', closedAt: null });
    if (r.Type === 'Survey response') c.rating = { score: Number(r['Survey rating']) as 1, ratedAt: at };
  }
  return { ...d, conversations: [...byConversation.values()] };
}

describe('the export against asExported', () => {
  it('replaying the file, inbox copies and autoreplies included, gives the ground truth of its timestamps', () => {
    // Seed 1 has activity in the hour 2026-11-01 repeats in New York, which reads back an hour early.
    const d = generateDataset({ seed: 1, conversations: 1200 });
    const req = { now: new Date(d.now), timezone: NY, historyWeeks: 12 };
    const caps = { csatMeanScore: true, deflectionRate: false };
    const csv = frontEventsExport(d, { timezone: NY, inboxes: 2, autoreplies: true });
    const seen = asExported(d, { timezone: NY, firstResponseFrom: 'timestamps' });
    expect(groundTruth(replay(d, csv), req, caps)).toEqual(groundTruth(seen, req, caps));
    expect(seen.conversations.some((c, i) => c.updatedAt !== d.conversations[i]?.updatedAt)).toBe(true);
  });
});
