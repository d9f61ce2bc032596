import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../dataset/generate.ts';
import { parseWallClock } from '../shared/wall-clock.ts';
import { threadId } from './threads.ts';
import { GENERIC_TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE, genericTemplateExport } from './export.ts';

const dataset = generateDataset({ seed: 14, conversations: 400 });
type Row = { [header: string]: string };
const rows = (csv: string): Row[] => parse<Row>(csv, { columns: true });
const header = (csv: string): string[] => parse(csv, { to_line: 1 })[0] ?? [];

describe('genericTemplateExport', () => {
  it('writes every template column, one row per non-spam thread, under the Plain emulator’s thread ids', () => {
    const csv = genericTemplateExport(dataset);
    expect(header(csv)).toEqual([...GENERIC_TEMPLATE_COLUMNS]);
    const got = rows(csv);
    const served = dataset.conversations.filter((c) => !c.spam);
    expect(got.map((r) => r.id)).toEqual(served.map((c) => threadId(c.id)));
    const names = new Map(dataset.agents.map((a) => [a.id, a.name]));
    served.forEach((c, i) => {
      const r = got[i] ?? {};
      expect(r.created_at).toBe(new Date(c.createdAt).toISOString().replace('.000Z', 'Z'));
      expect(r.status).toBe(c.status);
      const frt = c.firstAgentReplyAt === null ? '' : String((c.firstAgentReplyAt - c.createdAt) / 1000);
      expect(r.first_response_seconds).toBe(frt);
      expect(r.closed_at === '').toBe(c.status !== 'closed');
      expect(r.assignee).toBe(c.assigneeId === null ? '' : names.get(c.assigneeId));
      expect([r.agent_replies, r.reopens, r.ai_resolved]).toEqual([
        String(c.agentReplies),
        String(c.reopens),
        String(c.aiResolved),
      ]);
      expect(r.rating).toBe(c.rating === null ? '' : String(c.rating.score));
      expect(r.rated_at === '').toBe(c.rating === null);
    });
  });

  it('writes ISO 8601 with Z, or offset-less wall-clock time with offsets: false', () => {
    const iso = rows(genericTemplateExport(dataset));
    expect(iso.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(r.created_at ?? ''))).toBe(true);
    const plain = rows(genericTemplateExport(dataset, { offsets: false }));
    expect(plain.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.updated_at ?? ''))).toBe(true);
    expect(plain.map((r) => parseWallClock(r.created_at ?? '', 'Etc/UTC'))).toEqual(
      iso.map((r) => Date.parse(r.created_at ?? '')),
    );
    const tokyo = rows(genericTemplateExport(dataset, { offsets: false, timezone: 'Asia/Tokyo' }));
    expect(tokyo.map((r) => parseWallClock(r.created_at ?? '', 'Asia/Tokyo'))).toEqual(
      iso.map((r) => Date.parse(r.created_at ?? '')),
    );
  });
});

describe('TEMPLATE_EXAMPLE', () => {
  it('is a template file with three rows', () => {
    expect(header(TEMPLATE_EXAMPLE)).toEqual([...GENERIC_TEMPLATE_COLUMNS]);
    const got = rows(TEMPLATE_EXAMPLE);
    expect(got).toHaveLength(3);
    for (const r of got) {
      expect(Number.isNaN(Date.parse(r.created_at ?? ''))).toBe(false);
      expect(['open', 'snoozed', 'pending', 'closed', 'solved']).toContain(r.status);
    }
  });
});
