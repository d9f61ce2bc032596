import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { asExported } from '../dataset/as-exported.ts';
import { openConversation } from '../dataset/conversation.ts';
import { generateDataset } from '../dataset/generate.ts';
import { groundTruth } from '../dataset/ground-truth.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { parseWallClock } from '../shared/wall-clock.ts';
import { intercomAdminId, intercomAiAgent, intercomConversationId } from './data.ts';
import {
  INTERCOM_CONVERSATION_COLUMNS,
  gzip,
  intercomConversationExport,
  intercomCsatExport,
  intercomHeaders,
} from './export.ts';

const NY = 'America/New_York';
const dataset = generateDataset({ seed: 12, conversations: 800 });
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

type Row = { [header: string]: string };
const rows = (csv: string): Row[] => parse<Row>(csv, { columns: true });
const header = (csv: string): string[] => parse(csv, { to_line: 1 })[0] ?? [];

describe('intercomConversationExport', () => {
  const csv = intercomConversationExport(dataset, { timezone: NY });
  const byId = new Map(rows(csv).map((r) => [r['Conversation ID'], r]));

  it('names the timezone in every timestamp header and lists every docs/csv-import.md column', () => {
    const headers = header(csv);
    expect(headers).toEqual(intercomHeaders(INTERCOM_CONVERSATION_COLUMNS, NY));
    for (const h of [
      'Conversation ID',
      `Conversation created at (${NY})`,
      `Conversation started at (${NY})`,
      `Conversation updated at (${NY})`,
      `Conversation last closed at (${NY})`,
      'Current conversation state',
      'First response time (seconds)',
      'Teammate currently assigned',
      'Teammate currently assigned ID',
      'Last teammate rating',
      'Resolved on first contact',
      'Fin AI Agent resolution state',
    ])
      expect(headers).toContain(h);
    const timestamps = headers.filter((h) => h.endsWith(`(${NY})`));
    expect(timestamps).toHaveLength(5);
    for (const r of byId.values())
      for (const h of timestamps) expect(r[h] === '' || TIMESTAMP.test(r[h] ?? '')).toBe(true);
  });

  it('has one row per non-spam conversation, with the API emulator’s ids and values', () => {
    const served = dataset.conversations.filter((c) => !c.spam);
    expect(byId.size).toBe(served.length);
    const names = new Map(dataset.agents.map((a) => [a.id, a.name]));
    for (const c of served) {
      const r = byId.get(intercomConversationId(c.id)) ?? {};
      const closed = c.status === 'closed';
      expect(r['Current conversation state']).toBe(c.status);
      expect(r[`Conversation last closed at (${NY})`] === '').toBe(!closed);
      expect(r[`Conversation created at (${NY})`]).toBe(r[`Conversation started at (${NY})`]);
      const frt = c.firstAgentReplyAt === null ? '' : String((c.firstAgentReplyAt - c.createdAt) / 1000);
      expect(r['First response time (seconds)']).toBe(frt);
      expect(r['Teammate currently assigned']).toBe(c.assigneeId === null ? '' : names.get(c.assigneeId));
      expect(r['Teammate currently assigned ID']).toBe(
        c.assigneeId === null ? '' : intercomAdminId(c.assigneeId),
      );
      expect(r['Last teammate rating']).toBe(c.rating === null ? '' : String(c.rating.score));
      expect(r['Resolved on first contact']).toBe(String(closed && c.agentReplies === 1 && c.reopens === 0));
      const ai = intercomAiAgent(c);
      expect(r['Fin AI Agent involved']).toBe(String(ai.participated));
      if (c.aiResolved) expect(r['Fin AI Agent resolution state']).toMatch(/^(Assumed|Confirmed) resolved$/);
      else expect(r['Fin AI Agent resolution state']).not.toMatch(/resolved/);
    }
    const states = new Set([...byId.values()].map((r) => r['Current conversation state']));
    expect(states).toEqual(new Set(['open', 'snoozed', 'closed']));
  });

  it('quotes remarks with commas, quotes and line breaks, and reads them back whole', () => {
    const remarks = [...byId.values()].map((r) => r['Last teammate rating remark'] ?? '');
    expect(remarks.some((r) => r.includes('\n'))).toBe(true);
    expect(remarks.some((r) => r.includes('\r\n'))).toBe(true);
    expect(remarks.some((r) => r.includes('"') && r.includes(','))).toBe(true);
    expect(csv).toContain('"Thanks, ""Ben"" was super patient,\nand followed up the next day."');
  });

  it('writes local seconds across a DST change and keeps the conversations started in range', () => {
    const at = (iso: string) => Date.parse(iso);
    const d: Dataset = {
      seed: 1,
      now: at('2026-11-18T15:30:00Z'),
      agents: [],
      conversations: [
        openConversation('c000001', at('2026-11-01T05:59:59Z')),
        openConversation('c000002', at('2026-11-01T06:00:00Z')),
        openConversation('c000003', at('2026-11-02T12:00:00Z')),
      ],
    };
    const range = {
      timezone: NY,
      startedFrom: at('2026-11-01T00:00:00Z'),
      startedTo: at('2026-11-02T00:00:00Z'),
    };
    const started = rows(intercomConversationExport(d, range)).map(
      (r) => r[`Conversation started at (${NY})`],
    );
    expect(started).toEqual(['2026-11-01 01:59:59', '2026-11-01 01:00:00']);
  });

  it('gzips to bytes starting 1f 8b that gunzip to the same text', () => {
    const bytes = gzip(csv);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString('utf8')).toBe(csv);
  });
});

describe('intercomCsatExport', () => {
  it('has one row per rating, dated when it was given', () => {
    const csv = intercomCsatExport(dataset, { timezone: NY });
    expect(header(csv)).toEqual([
      'Conversation ID',
      `Updated at (${NY})`,
      'Conversation rating',
      'Conversation rating remark',
      'Agent rated type',
      'User name',
      'Company name',
      'Last survey sent',
    ]);
    const rated = dataset.conversations.filter((c) => !c.spam && c.rating !== null);
    const got = rows(csv);
    expect(got).toHaveLength(rated.length);
    for (const c of rated) {
      const r = got.find((x) => x['Conversation ID'] === intercomConversationId(c.id));
      expect(r?.['Conversation rating']).toBe(String(c.rating?.score));
      expect(parseWallClock(r?.[`Updated at (${NY})`] ?? '', NY)).toBe(c.rating?.ratedAt);
      expect(r?.['Agent rated type']).toBe('Teammate');
    }
  });
});

/** What an importer reads: the conversation export, and the CSAT export when there is one. */
function readBack(d: Dataset, withCsat: boolean): Dataset {
  const agentByAdmin = new Map(d.agents.map((a) => [intercomAdminId(a.id), a.id]));
  const time = (text: string | undefined) => (text ? parseWallClock(text, NY) : null);
  const ratings = new Map(
    rows(intercomCsatExport(d, { timezone: NY })).map((r) => [
      r['Conversation ID'],
      { score: Number(r['Conversation rating']) as 1, ratedAt: time(r[`Updated at (${NY})`]) ?? NaN },
    ]),
  );
  const conversations = rows(intercomConversationExport(d, { timezone: NY })).map(
    (r): DatasetConversation => {
      const createdAt = time(r[`Conversation created at (${NY})`]) ?? NaN;
      const updatedAt = time(r[`Conversation updated at (${NY})`]) ?? NaN;
      const frt = r['First response time (seconds)'];
      const state = r['Current conversation state'] as DatasetConversation['status'];
      const score = r['Last teammate rating'];
      return openConversation(`c${r['Conversation ID'] ?? ''}`, createdAt, {
        status: state,
        closedAt: state === 'closed' ? time(r[`Conversation last closed at (${NY})`]) : null,
        assigneeId: agentByAdmin.get(r['Teammate currently assigned ID'] ?? '') ?? null,
        firstAgentReplyAt: frt ? createdAt + Number(frt) * 1000 : null,
        agentReplies: r['Resolved on first contact'] === 'true' ? 1 : 0,
        aiResolved:
          state === 'closed' &&
          /^(Assumed|Confirmed) resolved$/.test(r['Fin AI Agent resolution state'] ?? ''),
        rating: withCsat
          ? (ratings.get(r['Conversation ID']) ?? null)
          : score
            ? { score: Number(score) as 1, ratedAt: updatedAt }
            : null,
        updatedAt,
      });
    },
  );
  return { ...d, conversations };
}

describe('the export against asExported', () => {
  // Seed 6 has conversations in the hour 2026-11-01 repeats in New York, which read back an hour early.
  const d = generateDataset({ seed: 6, conversations: 1500 });
  const req = { now: new Date(d.now), timezone: NY, historyWeeks: 12 };
  const caps = { csatMeanScore: true, deflectionRate: true };

  it('without the CSAT export, ratings are dated by the conversation’s update', () => {
    const seen = asExported(d, { ratedAtFromUpdatedAt: true, timezone: NY });
    expect(groundTruth(readBack(d, false), req, caps)).toEqual(groundTruth(seen, req, caps));
  });

  it('with the CSAT export, ratings keep their own time', () => {
    const seen = asExported(d, { timezone: NY });
    expect(groundTruth(readBack(d, true), req, caps)).toEqual(groundTruth(seen, req, caps));
  });
});
