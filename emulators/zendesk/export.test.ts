import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { asExported } from '../dataset/as-exported.ts';
import { openConversation } from '../dataset/conversation.ts';
import { generateDataset } from '../dataset/generate.ts';
import { groundTruth } from '../dataset/ground-truth.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { parseWallClock } from '../shared/wall-clock.ts';
import { minutes, zendeskStatus, zendeskTicketId } from './data.ts';
import { ZENDESK_EXPORT_HEADERS, zendeskCsvExport, zendeskZipExport } from './export.ts';

const NY = 'America/New_York';
const dataset = generateDataset({ seed: 11, conversations: 600 });

type Row = { [header: string]: string };

function records(csv: string, options: { delimiter?: string } = {}): Row[] {
  return parse<Row>(csv, { columns: true, bom: true, ...options });
}

function rowsOf(d: Dataset, tz = NY): Row[] {
  return zendeskCsvExport(d, { timezone: tz }).flatMap((p) => records(p.csv));
}

function tiny(conversations: DatasetConversation[]): Dataset {
  const now = Date.UTC(2026, 10, 18, 15, 30);
  const agents = [{ id: 'a001', name: 'Ada Adams', email: 'ada@acme.test' }];
  return { seed: 3, now, agents, conversations };
}

describe('zendeskCsvExport', () => {
  it('writes the real files’ columns, every docs/csv-import.md column among them, every field quoted', () => {
    const [part] = zendeskCsvExport(dataset, { timezone: NY });
    const lines = (part?.csv ?? '').split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe(ZENDESK_EXPORT_HEADERS.map((h) => `"${h}"`).join(','));
    for (const column of ['Id', 'Created at', 'Updated at', 'Solved at', 'Status', 'Assignee'])
      expect(ZENDESK_EXPORT_HEADERS).toContain(column);
    for (const column of ['Satisfaction Score', 'Replies', 'Reopens', 'First reply time in minutes'])
      expect(ZENDESK_EXPORT_HEADERS).toContain(column);
    expect(ZENDESK_EXPORT_HEADERS[0]).toBe('Summation column');
    const quotedRow = new RegExp(`^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*"){${ZENDESK_EXPORT_HEADERS.length - 1}}$`);
    for (const line of lines) expect(line).toMatch(quotedRow);
  });

  it('has one row per non-spam ticket, unordered but the same on every run, with no line breaks in any field', () => {
    const rows = rowsOf(dataset);
    const served = dataset.conversations.filter((c) => !c.spam);
    expect(rows).toHaveLength(served.length);
    const ids = rows.map((r) => Number(r.Id));
    expect(new Set(ids)).toEqual(new Set(served.map((c) => zendeskTicketId(c.id))));
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    expect(rowsOf(dataset)).toEqual(rows);
    expect(rows.every((r) => Object.values(r).every((v) => !/[\r\n]/.test(v)))).toBe(true);
    expect(rows.every((r) => r['Summation column'] === '1')).toBe(true);
    expect(rows.some((r) => r.Subject?.includes(','))).toBe(true);
    expect(rows.some((r) => r.Subject?.includes('"'))).toBe(true);
  });

  it('derives each value the way the API emulator does', () => {
    const byId = new Map(rowsOf(dataset).map((r) => [Number(r.Id), r]));
    const names = new Map(dataset.agents.map((a) => [a.id, a.name]));
    const label = {
      new: 'New',
      open: 'Open',
      pending: 'Pending',
      hold: 'On-hold',
      solved: 'Solved',
      closed: 'Closed',
    };
    for (const c of dataset.conversations.filter((x) => !x.spam)) {
      const r = byId.get(zendeskTicketId(c.id));
      const status = zendeskStatus(c, dataset.now) as keyof typeof label;
      expect(r?.Status).toBe(label[status]);
      expect(r?.['Solved at'] === '').toBe(c.status !== 'closed');
      expect(r?.Assignee).toBe(c.assigneeId === null ? '' : names.get(c.assigneeId));
      expect(r?.['Satisfaction Score']).toBe(
        c.rating === null ? 'Not Offered' : c.rating.score >= 4 ? 'Good' : 'Bad',
      );
      expect(r?.Replies).toBe(String(c.agentReplies));
      expect(r?.Reopens).toBe(String(c.reopens));
      expect(r?.['First reply time in minutes']).toBe(
        String(minutes(c.createdAt, c.firstAgentReplyAt).calendar ?? ''),
      );
    }
    const statuses = new Set([...byId.values()].map((r) => r.Status));
    expect(statuses).toEqual(new Set(['New', 'Open', 'Pending', 'On-hold', 'Solved', 'Closed']));
  });

  it('writes minutes, truncated, in the account timezone on both sides of a DST change', () => {
    const at = (iso: string) => Date.parse(iso);
    const d = tiny([
      openConversation('c000001', at('2026-03-08T06:59:59Z')),
      openConversation('c000002', at('2026-03-08T07:00:00Z')),
      openConversation('c000003', at('2026-11-01T05:30:00Z')),
      openConversation('c000004', at('2026-11-01T06:30:00Z')),
      openConversation('c000005', at('2026-11-18T15:29:59Z'), { updatedAt: at('2026-11-18T15:29:59Z') }),
    ]);
    const created = new Map(rowsOf(d).map((r) => [r.Id, r['Created at']]));
    expect(Object.fromEntries(created)).toEqual({
      '1': '2026-03-08 01:59',
      '2': '2026-03-08 03:00',
      '3': '2026-11-01 01:30',
      '4': '2026-11-01 01:30',
      '5': '2026-11-18 10:29',
    });
    expect(rowsOf(d, 'Europe/London').find((r) => r.Id === '5')?.['Created at']).toBe('2026-11-18 15:29');
  });

  it('exports the tickets updated in [updatedFrom, updatedTo)', () => {
    const from = dataset.now - 14 * 86_400_000;
    const to = dataset.now - 7 * 86_400_000;
    const parts = zendeskCsvExport(dataset, { timezone: NY, updatedFrom: from, updatedTo: to });
    const expected = dataset.conversations.filter((c) => !c.spam && c.updatedAt >= from && c.updatedAt < to);
    expect(parts.flatMap((p) => records(p.csv)).map((r) => Number(r.Id))).toEqual(
      expect.arrayContaining(expected.map((c) => zendeskTicketId(c.id))),
    );
    expect(parts.flatMap((p) => records(p.csv))).toHaveLength(expected.length);
  });

  it('splits into named parts that each repeat the header and together hold every row once', () => {
    const parts = zendeskCsvExport(dataset, { timezone: NY, parts: 3 });
    expect(parts.map((p) => p.name)).toEqual(
      [1, 2, 3].map((n): unknown => expect.stringMatching(`^export_2026_11_18_[0-9a-f]{6}_${n}\\.csv$`)),
    );
    expect(new Set(parts.map((p) => p.name.slice(0, -6))).size).toBe(1);
    for (const p of parts) {
      expect(p.csv.startsWith('"Summation column","Id",')).toBe(true);
      expect(records(p.csv).length).toBeGreaterThan(0);
    }
    const all = parts.flatMap((p) => records(p.csv));
    expect(all.map((r) => r.Id).sort()).toEqual(
      rowsOf(dataset)
        .map((r) => r.Id)
        .sort(),
    );
    expect(zendeskCsvExport(tiny([]), { timezone: NY, parts: 4 }).map((p) => p.csv)).toEqual([
      `${ZENDESK_EXPORT_HEADERS.map((h) => `"${h}"`).join(',')}\n`,
    ]);
  });

  it('writes a spreadsheet re-save: another delimiter, a byte-order mark and CRLF', () => {
    const [resaved] = zendeskCsvExport(dataset, { timezone: NY, delimiter: ';', bom: true, eol: '\r\n' });
    const csv = resaved?.csv ?? '';
    expect(csv.startsWith('\ufeff"Summation column";"Id";')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(dataset.conversations.filter((c) => !c.spam).length + 2);
    expect(records(csv, { delimiter: ';' })).toEqual(rowsOf(dataset));
  });

  it('zips the parts, deflated, and the zip unzips to the same files', () => {
    const options = { timezone: NY, parts: 2 };
    const zip = zendeskZipExport(dataset, options);
    const files = unzipSync(zip);
    const parts = zendeskCsvExport(dataset, options);
    expect(Object.keys(files)).toEqual(parts.map((p) => p.name));
    for (const p of parts) expect(strFromU8(files[p.name] ?? new Uint8Array())).toBe(p.csv);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(8);
    expect(zendeskZipExport(dataset, options)).toEqual(zip);
  });
});

/** What an importer reads from the export: times back from wall-clock text, the rating dated by `Updated at`. */
function readBack(d: Dataset, tz: string): Dataset {
  const agentByName = new Map(d.agents.map((a) => [a.name, a.id]));
  const time = (text: string | undefined) => (text ? parseWallClock(text, tz) : null);
  const conversations = rowsOf(d, tz).map((r): DatasetConversation => {
    const createdAt = time(r['Created at']) ?? NaN;
    const updatedAt = time(r['Updated at']) ?? NaN;
    const frt = r['First reply time in minutes'];
    const score = r['Satisfaction Score'];
    const closed = r.Status === 'Solved' || r.Status === 'Closed';
    return openConversation(`c${r.Id ?? ''}`, createdAt, {
      status: closed ? 'closed' : 'open',
      closedAt: time(r['Solved at']),
      assigneeId: agentByName.get(r.Assignee ?? '') ?? null,
      firstAgentReplyAt: frt ? createdAt + Number(frt) * 60_000 : null,
      agentReplies: Number(r.Replies),
      reopens: Number(r.Reopens),
      rating:
        score === 'Good' || score === 'Bad' ? { score: score === 'Good' ? 5 : 1, ratedAt: updatedAt } : null,
      updatedAt,
    });
  });
  return { ...d, conversations };
}

describe('the export against asExported', () => {
  it('an importer of the file computes groundTruth(asExported(d, { minutes, ratedAtFromUpdatedAt, timezone }))', () => {
    // Seed 3 has conversations in the hour 2026-11-01 repeats in New York, which read back an hour early.
    const d = generateDataset({ seed: 3, conversations: 1500 });
    const req = { now: new Date(d.now), timezone: NY, historyWeeks: 12 };
    const caps = { csatMeanScore: false, deflectionRate: false };
    const seen = asExported(d, { minutes: true, ratedAtFromUpdatedAt: true, timezone: NY });
    expect(groundTruth(readBack(d, NY), req, caps)).toEqual(groundTruth(seen, req, caps));
    expect(groundTruth(seen, req, caps)).not.toEqual(groundTruth(d, req, caps));
    const noTimezone = asExported(d, { minutes: true, ratedAtFromUpdatedAt: true });
    expect(noTimezone.conversations).not.toEqual(seen.conversations);
  });
});
