import { afterEach, describe, expect, it } from 'vitest';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { startEmulator, type RunningEmulator } from '../index.ts';
import { jsonBody } from '../shared/testing.ts';
import { openConversation } from '../dataset/conversation.ts';

const TOKEN = 'front-data-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 0, day, hour, minute);

function conversation(id: string, fields: Partial<DatasetConversation>): DatasetConversation {
  return openConversation(id, fields.createdAt ?? at(14, 10), fields);
}

const DATASET: Dataset = {
  seed: 9,
  now: at(15, 12),
  agents: [
    { id: 'a1', name: 'Ana Díaz Ruiz', email: 'ana@acme.test' },
    { id: 'a2', name: 'Bo', email: 'bo@acme.test' },
  ],
  conversations: [
    conversation('c1', {
      assigneeId: 'a1',
      firstAgentReplyAt: at(14, 10, 30),
      agentReplies: 1,
      updatedAt: at(14, 11),
    }),
    conversation('c2', { createdAt: at(13, 9), updatedAt: at(13, 9) }),
    conversation('c3', {
      status: 'snoozed',
      assigneeId: 'a2',
      createdAt: at(12, 0),
      firstAgentReplyAt: at(12, 0, 30),
      agentReplies: 1,
      updatedAt: at(12, 12),
    }),
    conversation('c4', {
      status: 'closed',
      assigneeId: 'a1',
      createdAt: at(10, 8),
      firstAgentReplyAt: at(10, 8, 10),
      agentReplies: 1,
      closedAt: at(10, 9),
      rating: { score: 5, ratedAt: at(10, 10) },
      updatedAt: at(10, 10),
    }),
    conversation('c5', {
      status: 'closed',
      assigneeId: 'a2',
      createdAt: at(11, 8),
      firstAgentReplyAt: at(11, 9),
      agentReplies: 3,
      reopens: 1,
      closedAt: at(12, 8),
      rating: { score: 2, ratedAt: at(12, 9) },
      updatedAt: at(12, 9),
    }),
    conversation('c6', { spam: true, createdAt: at(14, 1) }),
  ],
};

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(): Promise<RunningEmulator> {
  running = await startEmulator('front', { dataset: DATASET, apiTokens: [{ token: TOKEN }] });
  return running;
}

interface Page {
  _pagination: { next: string | null };
  _total?: number;
  _results: {
    id: string;
    status: string;
    created_at: number;
    scheduled_reminders: unknown[];
    assignee: { id: string } | null;
  }[];
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: AUTH });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('Front emulator data API', () => {
  it('requires a valid bearer token like GET /me', async () => {
    const { url, emulator } = await start();
    const res = await fetch(`${url}/conversations`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      _error: { status: 401, title: 'Unauthorized', message: 'Invalid token' },
    });
    expect(emulator.stats.dataRequests).toBe(0);
  });

  it('lists users and the CSAT bot as teammates, in one page', async () => {
    const { url } = await start();
    const body = await get<{
      _results: { id: string; type: string; first_name: string; last_name: string }[];
    }>(`${url}/teammates`);
    expect(body._results.map((t) => [t.id, t.type, t.first_name, t.last_name])).toEqual([
      ['tea_a1', 'user', 'Ana', 'Díaz Ruiz'],
      ['tea_a2', 'user', 'Bo', ''],
      ['tea_csat', 'csat', 'CSAT', ''],
    ]);
    expect(body).not.toHaveProperty('_pagination');
  });

  it('maps statuses and pages with absolute next links that keep the query', async () => {
    const { url } = await start();
    const first = await get<Page>(
      `${url}/conversations?q%5Bstatuses%5D=assigned&q%5Bstatuses%5D=unassigned&limit=1`,
    );
    expect(first._results.map((c) => [c.id, c.status, c.assignee?.id ?? null])).toEqual([
      ['cnv_c1', 'assigned', 'tea_a1'],
    ]);
    expect(first._pagination.next).toMatch(new RegExp(`^${url}/conversations\\?.*page_token=`));
    const second = await get<Page>(first._pagination.next ?? '');
    expect(second._results.map((c) => [c.id, c.status, c.created_at])).toEqual([
      ['cnv_c2', 'unassigned', at(13, 9) / 1000],
    ]);
    expect(second._pagination.next).toBeNull();

    const archived = await get<Page>(`${url}/conversations?q[statuses][]=archived`);
    expect(archived._results.map((c) => [c.id, c.scheduled_reminders.length])).toEqual([
      ['cnv_c3', 1],
      ['cnv_c5', 0],
      ['cnv_c4', 0],
    ]);
    const trashed = await get<Page>(`${url}/conversations?q[statuses]=trashed`);
    expect(trashed._results.map((c) => [c.id, c.status])).toEqual([['cnv_c6', 'deleted']]);
    const bad = await fetch(`${url}/conversations?limit=101`, { headers: AUTH });
    expect(bad.status).toBe(400);
  });

  it('searches snoozed conversations with a total', async () => {
    const { url } = await start();
    const body = await get<Page>(`${url}/conversations/search/${encodeURIComponent('is:snoozed')}?limit=100`);
    expect(body._total).toBe(1);
    expect(body._results.map((c) => [c.id, c.status])).toEqual([['cnv_c3', 'archived']]);
    const unknown = await fetch(`${url}/conversations/search/${encodeURIComponent('is:everything')}`, {
      headers: AUTH,
    });
    expect(unknown.status).toBe(400);
  });

  it('runs analytics reports asynchronously over whole days', async () => {
    const { url } = await start();
    const create = async (body: unknown) => {
      const res = await fetch(`${url}/analytics/reports`, {
        method: 'POST',
        ...jsonBody(body),
        headers: { ...jsonBody(body).headers, ...AUTH },
      });
      return res;
    };
    const metrics = [
      'new_segments_count',
      'num_csat_survey_response',
      'pct_csat_survey_satisfaction',
      'avg_csat_survey_response',
      'avg_first_response_time',
      'num_sla_breach',
    ];
    // Jan 10 00:00 to Jan 12 00:00 covers Jan 10, 11 and 12 once rounded to whole days.
    const res = await create({ start: at(10, 0) / 1000, end: at(12, 0) / 1000, metrics });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { uid: string; status: string; _links: { self: string } };
    expect(created.status).toBe('running');
    const done = await get<{ status: string; progress: number; metrics: unknown[] }>(created._links.self);
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    expect(done.metrics).toEqual([
      // c4 and c5 created, c3 created Jan 12 00:00, and c5's reopen
      { id: 'new_segments_count', type: 'number', value: 4 },
      { id: 'num_csat_survey_response', type: 'number', value: 2 },
      { id: 'pct_csat_survey_satisfaction', type: 'percentage', value: 50 },
      { id: 'avg_csat_survey_response', type: 'number', value: 4 },
      // (600 + 3600 + 1800) / 3
      { id: 'avg_first_response_time', type: 'duration', value: 2000 },
      { id: 'num_sla_breach', type: 'number', value: null },
    ]);

    const filtered = await create({
      start: at(10, 0) / 1000,
      end: at(12, 0) / 1000,
      filters: { teammate_ids: ['tea_a1'] },
      metrics: ['new_segments_count', 'pct_csat_survey_satisfaction'],
    });
    const report = await get<{ metrics: { value: unknown }[] }>(
      ((await filtered.json()) as { _links: { self: string } })._links.self,
    );
    expect(report.metrics.map((m) => m.value)).toEqual([1, 100]);

    expect((await create({ start: 0, end: 1, metrics: ['num_new_conversations'] })).status).toBe(400);
  });

  it('exports activities as CSV after the export is polled', async () => {
    const { url } = await start();
    const body = {
      type: 'events',
      start: at(10, 0) / 1000,
      end: at(10, 12) / 1000,
      timezone: 'Europe/Paris',
      columns: [
        'Type',
        'Conversation API ID',
        'Message date',
        'Assignee',
        'Segment',
        'Replies to resolution',
        'Survey rating',
      ],
    };
    const res = await fetch(`${url}/analytics/exports`, {
      method: 'POST',
      headers: { ...jsonBody(body).headers, ...AUTH },
      body: jsonBody(body).body,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      status: string;
      url?: string;
      _links: { self: string };
    };
    expect(created).toMatchObject({ status: 'running' });
    expect(created.url).toBeUndefined();
    expect((await fetch(`${url}/analytics/exports/${created.id}/download`, { headers: AUTH })).status).toBe(
      404,
    );
    const done = await get<{ status: string; url: string; size: number }>(created._links.self);
    expect(done.status).toBe('done');
    const file = await fetch(done.url, { headers: AUTH });
    expect(file.headers.get('content-type')).toContain('text/csv');
    const text = await file.text();
    expect(Buffer.byteLength(text)).toBe(done.size);
    // Jan 10 in Paris is Jan 9 23:00 – Jan 10 23:00 UTC: only c4's life.
    expect(text.trim().split('\r\n')).toEqual([
      'Type,Conversation API ID,Message date,Assignee,Segment,Replies to resolution,Survey rating',
      'Inbound message,cnv_c4,2026-01-10T09:00:00.000+01:00,ana@acme.test,1,,',
      'Outbound reply,cnv_c4,2026-01-10T09:10:00.000+01:00,ana@acme.test,1,,',
      'Archive,cnv_c4,2026-01-10T10:00:00.000+01:00,ana@acme.test,1,1,',
      'Survey response,cnv_c4,2026-01-10T11:00:00.000+01:00,ana@acme.test,1,,5',
    ]);
    const noColumns = { ...body, columns: undefined };
    const refused = await fetch(`${url}/analytics/exports`, {
      method: 'POST',
      headers: { ...jsonBody(noColumns).headers, ...AUTH },
      body: jsonBody(noColumns).body,
    });
    expect(refused.status).toBe(400);
  });

  it('sends rate-limit headers, 429 with retry-after, and 503 for failDataNext', async () => {
    const { url, emulator } = await start();
    emulator.knobs.rateLimit = { limit: 2, windowMs: 60_000 };
    const first = await fetch(`${url}/teammates`, { headers: AUTH });
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await fetch(`${url}/teammates`, { headers: AUTH });
    const limited = await fetch(`${url}/teammates`, { headers: AUTH });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ _error: { status: 429, title: 'Too Many Requests' } });
    expect(emulator.stats).toMatchObject({ dataRequests: 3, rateLimited: 1 });

    emulator.knobs.rateLimit = null;
    emulator.knobs.failDataNext = 1;
    const failed = await fetch(`${url}/teammates`, { headers: AUTH });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({
      _error: {
        status: 503,
        title: 'Service Unavailable',
        message: 'The service is temporarily unavailable.',
      },
    });
    expect((await fetch(`${url}/teammates`, { headers: AUTH })).status).toBe(200);
  });
});
