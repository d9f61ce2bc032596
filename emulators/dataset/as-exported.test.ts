import { describe, expect, it } from 'vitest';
import { minutes } from '../zendesk/data.ts';
import { asExported } from './as-exported.ts';
import { openConversation } from './conversation.ts';
import { generateDataset } from './generate.ts';
import type { Dataset, DatasetConversation } from './types.ts';

const dataset = generateDataset({ seed: 15, conversations: 800 });
const at = (iso: string) => Date.parse(iso);
const floorMinute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

function one(c: DatasetConversation): Dataset {
  return { seed: 1, now: at('2026-11-18T15:30:00Z'), agents: [], conversations: [c] };
}

describe('asExported', () => {
  it('without options returns an equal copy and never modifies its input', () => {
    const before = structuredClone(dataset);
    const copy = asExported(dataset, {});
    expect(copy).toEqual(dataset);
    expect(copy.conversations[0]).not.toBe(dataset.conversations[0]);
    asExported(dataset, { minutes: true, ratedAtFromUpdatedAt: true, timezone: 'America/New_York' });
    expect(dataset).toEqual(before);
  });

  it('with minutes truncates the times and rounds first response as the Zendesk export does', () => {
    const out = asExported(dataset, { minutes: true });
    dataset.conversations.forEach((c, i) => {
      const e = out.conversations[i] as DatasetConversation;
      expect(e.createdAt).toBe(floorMinute(c.createdAt));
      expect(e.updatedAt).toBe(floorMinute(c.updatedAt));
      expect(e.closedAt).toBe(c.closedAt === null ? null : floorMinute(c.closedAt));
      expect(e.rating?.ratedAt).toBe(c.rating === null ? undefined : floorMinute(c.rating.ratedAt));
      const frtMinutes = minutes(c.createdAt, c.firstAgentReplyAt).calendar;
      expect(e.firstAgentReplyAt).toBe(frtMinutes === null ? null : e.createdAt + frtMinutes * 60_000);
      const { createdAt: _a, updatedAt: _b, closedAt: _c, rating: _d, firstAgentReplyAt: _e, ...rest } = e;
      const { createdAt: _f, updatedAt: _g, closedAt: _h, rating: _i, firstAgentReplyAt: _j, ...was } = c;
      expect(rest).toEqual(was);
      expect(e.rating?.score).toBe(c.rating?.score);
    });
    expect(out.agents).toEqual(dataset.agents);
    expect([out.seed, out.now]).toEqual([dataset.seed, dataset.now]);
  });

  it('with ratedAtFromUpdatedAt dates every rating by its conversation’s exported update', () => {
    const out = asExported(dataset, { minutes: true, ratedAtFromUpdatedAt: true });
    const rated = out.conversations.filter((c) => c.rating !== null);
    expect(rated.length).toBeGreaterThan(50);
    for (const c of rated) expect(c.rating?.ratedAt).toBe(c.updatedAt);
    const exact = asExported(dataset, { ratedAtFromUpdatedAt: true });
    dataset.conversations.forEach((c, i) => {
      expect(exact.conversations[i]?.rating?.ratedAt).toBe(c.rating === null ? undefined : c.updatedAt);
    });
  });

  it('with timezone reads a time in a repeated hour back as the earlier instant', () => {
    const ny = 'America/New_York';
    const second = openConversation('c000001', at('2026-11-01T06:20:00Z'), {
      firstAgentReplyAt: at('2026-11-01T07:20:00Z'),
      agentReplies: 1,
      updatedAt: at('2026-11-01T07:20:00Z'),
    });
    const [byDuration] = asExported(one(second), { timezone: ny }).conversations;
    expect(byDuration?.createdAt).toBe(at('2026-11-01T05:20:00Z'));
    expect(byDuration?.firstAgentReplyAt).toBe(at('2026-11-01T06:20:00Z'));
    expect(byDuration?.updatedAt).toBe(at('2026-11-01T07:20:00Z'));
    const [byTimestamps] = asExported(one(second), {
      timezone: ny,
      firstResponseFrom: 'timestamps',
    }).conversations;
    expect(byTimestamps?.firstAgentReplyAt).toBe(at('2026-11-01T07:20:00Z'));
    const summer = openConversation('c000002', at('2026-07-01T12:34:56Z'));
    expect(asExported(one(summer), { timezone: ny }).conversations[0]?.createdAt).toBe(summer.createdAt);
  });
});
