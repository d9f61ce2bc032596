import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { intercomCallPlan } from './call-plan.ts';
import { intercomAdminId } from './data.ts';
import { openConversation } from '../dataset/conversation.ts';

const TOKEN = 'dG9rOmRhdGE=';
const NOW = Date.UTC(2026, 10, 18, 15, 30, 0);
const HOUR = 3_600_000;

function conversation(id: string, patch: Partial<DatasetConversation>): DatasetConversation {
  return openConversation(id, patch.createdAt ?? NOW - 10 * HOUR, { updatedAt: NOW - 10 * HOUR, ...patch });
}

const dataset: Dataset = {
  seed: 0,
  now: NOW,
  agents: [{ id: 'a001', name: 'Ada Adams', email: 'ada@acme.test' }],
  conversations: [
    conversation('c000001', { createdAt: NOW - 50 * HOUR, status: 'snoozed', assigneeId: 'a001' }),
    conversation('c000002', {
      createdAt: NOW - 40 * HOUR,
      status: 'closed',
      assigneeId: 'a001',
      firstAgentReplyAt: NOW - 39 * HOUR,
      agentReplies: 2,
      closedAt: NOW - 30 * HOUR,
      rating: { score: 4, ratedAt: NOW - 29 * HOUR },
      updatedAt: NOW - 29 * HOUR,
    }),
    conversation('c000003', {
      createdAt: NOW - 20 * HOUR,
      status: 'closed',
      aiResolved: true,
      closedAt: NOW - 19 * HOUR,
      updatedAt: NOW - 19 * HOUR,
    }),
    conversation('c000004', { createdAt: NOW - 5 * HOUR, spam: true }),
    conversation('c000005', {
      createdAt: NOW - 2 * HOUR,
      assigneeId: 'a001',
      firstAgentReplyAt: NOW - HOUR,
      agentReplies: 1,
      updatedAt: NOW - HOUR,
    }),
  ],
};

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(): Promise<RunningEmulator> {
  running = await startEmulator('intercom', { dataset, apiTokens: [{ token: TOKEN }] });
  return running;
}

function search(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/conversations/search`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      'intercom-version': '2.14',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

interface ListBody {
  type: string;
  total_count: number;
  conversations: Record<string, unknown>[];
  pages: {
    type: string;
    page: number;
    per_page: number;
    total_pages: number;
    next?: { starting_after: string };
  };
}

const s = (ms: number) => ms / 1000;

describe('Intercom emulator data API', () => {
  it('serves conversation_list_item objects with statistics, rating and Fin fields, without spam', async () => {
    const { url, emulator } = await start();
    const res = await search(url, { query: { field: 'created_at', operator: '>', value: 0 } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1666');
    const body = (await res.json()) as ListBody;
    expect(body.type).toBe('conversation.list');
    expect(body.total_count).toBe(4);
    expect(body.conversations.map((c) => c.id)).toEqual(['1', '2', '3', '5']);
    expect(body.pages).toEqual({ type: 'pages', page: 1, per_page: 20, total_pages: 1 });
    const admin = Number(intercomAdminId('a001'));
    expect(body.conversations[1]).toMatchObject({
      type: 'conversation',
      created_at: s(NOW - 40 * HOUR),
      state: 'closed',
      open: false,
      admin_assignee_id: admin,
      conversation_rating: { rating: 4, created_at: s(NOW - 30 * HOUR), updated_at: s(NOW - 29 * HOUR) },
      statistics: {
        first_admin_reply_at: s(NOW - 39 * HOUR),
        last_admin_reply_at: s(NOW - 30 * HOUR),
        last_close_at: s(NOW - 30 * HOUR),
        count_reopens: 0,
      },
      ai_agent_participated: expect.any(Boolean) as unknown,
    });
    expect(body.conversations[2]).toMatchObject({
      admin_assignee_id: 0,
      ai_agent_participated: true,
      ai_agent: { resolution_state: expect.stringMatching(/^(assumed|confirmed)_resolution$/) as unknown },
      statistics: { first_admin_reply_at: null, last_admin_reply_at: null },
    });
    expect(body.conversations[3]).toMatchObject({
      statistics: { first_admin_reply_at: s(NOW - HOUR), last_admin_reply_at: s(NOW - HOUR) },
    });
    expect(emulator.stats.dataRequests).toBe(1);
  });

  it('combines filters with AND/OR and the documented operators', async () => {
    const { url } = await start();
    const ids = async (query: unknown) =>
      ((await (await search(url, { query })).json()) as ListBody).conversations.map((c) => c.id);
    expect(await ids({ field: 'state', operator: 'IN', value: ['open', 'snoozed'] })).toEqual(['1', '5']);
    expect(await ids({ field: 'state', operator: '!=', value: 'closed' })).toEqual(['1', '5']);
    expect(
      await ids({
        operator: 'OR',
        value: [
          { field: 'statistics.last_close_at', operator: '>', value: String(s(NOW - 25 * HOUR)) },
          {
            operator: 'AND',
            value: [
              { field: 'created_at', operator: '>', value: s(NOW - 60 * HOUR) },
              { field: 'created_at', operator: '<', value: s(NOW - 45 * HOUR) },
            ],
          },
        ],
      }),
    ).toEqual(['1', '3']);
    expect(await ids({ field: 'conversation_rating.replied_at', operator: '>', value: 0 })).toEqual(['2']);
    expect(await ids({ field: 'updated_at', operator: '<', value: s(NOW - 25 * HOUR) })).toEqual(['2']);
    expect(await ids({ field: 'admin_assignee_id', operator: '=', value: 0 })).toEqual(['3']);
  });

  it('pages with a cursor in the body, at most 150 per page', async () => {
    const { url } = await start();
    const query = { field: 'created_at', operator: '>', value: 0 };
    const first = (await (await search(url, { query, pagination: { per_page: 3 } })).json()) as ListBody;
    expect(first.conversations).toHaveLength(3);
    expect(first.pages).toMatchObject({ page: 1, per_page: 3, total_pages: 2 });
    const cursor = first.pages.next?.starting_after ?? '';
    expect(cursor).not.toBe('');
    const second = (await (
      await search(url, { query, pagination: { per_page: 3, starting_after: cursor } })
    ).json()) as ListBody;
    expect(second.conversations.map((c) => c.id)).toEqual(['5']);
    expect(second.pages.page).toBe(2);
    expect(second.pages.next).toBeUndefined();

    const tooBig = await search(url, { query, pagination: { per_page: 151 } });
    expect(tooBig.status).toBe(400);
    const badCursor = await search(url, { query, pagination: { starting_after: 'bm9wZQ==' } });
    expect(badCursor.status).toBe(400);
  });

  it('rejects queries the spec does not accept, in the error.list shape', async () => {
    const { url } = await start();
    const bad = [
      { field: 'created_at', operator: '>=', value: 1 },
      { field: 'created_at', operator: '>', value: 'yesterday' },
      { field: 'not_a_field', operator: '=', value: 1 },
      {
        operator: 'AND',
        value: [
          {
            operator: 'OR',
            value: [{ operator: 'AND', value: [{ field: 'id', operator: '=', value: '1' }] }],
          },
        ],
      },
      {
        operator: 'OR',
        value: Array.from({ length: 16 }, () => ({ field: 'id', operator: '=', value: '1' })),
      },
    ];
    for (const query of bad) {
      const res = await search(url, { query });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'parameter_invalid' }] });
    }
  });

  it('needs a valid token and a known Intercom-Version, like GET /me', async () => {
    const { url, emulator } = await start();
    const query = { field: 'id', operator: '=', value: '1' };
    const unauthorized = await search(url, { query }, { authorization: 'Bearer bm9wZQ==' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({
      type: 'error.list',
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
    const badVersion = await search(url, { query }, { 'intercom-version': '9.9' });
    expect(badVersion.status).toBe(400);
    expect(await badVersion.json()).toMatchObject({ errors: [{ code: 'intercom_version_invalid' }] });
    const admins = await fetch(`${url}/admins`);
    expect(admins.status).toBe(401);
    expect(emulator.stats.dataRequests).toBe(0);
  });

  it('lists admins with string ids', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/admins`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await res.json()).toEqual({
      type: 'admin.list',
      admins: [
        {
          type: 'admin',
          id: intercomAdminId('a001'),
          name: 'Ada Adams',
          email: 'ada@acme.test',
          job_title: null,
          away_mode_enabled: false,
          away_mode_reassign: false,
          has_inbox_seat: true,
          team_ids: [],
        },
      ],
    });
  });

  it('answers 429 in error.list shape over the limit, and 500 while failDataNext is set', async () => {
    const { url, emulator } = await start();
    emulator.knobs.rateLimit = { limit: 2, windowMs: 60_000 };
    const get = () => fetch(`${url}/admins`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const first = await get();
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await get();
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
    expect(await limited.json()).toMatchObject({
      type: 'error.list',
      errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 2 in 60_seconds' }],
    });
    expect(emulator.stats).toMatchObject({ dataRequests: 3, rateLimited: 1 });

    emulator.knobs.rateLimit = null;
    emulator.knobs.failDataNext = 1;
    const failed = await get();
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'server_error' }] });
    expect((await get()).status).toBe(200);
  });

  it('plans one admins call plus search pages (minimal) against a list-and-open-each sync (naive)', () => {
    const req = { now: new Date(NOW), timezone: 'UTC', historyWeeks: 0 };
    // Four served conversations, all created in the last 30 days: 1 + ⌈4 / 150⌉; naive 1 + 4 + 1.
    expect(intercomCallPlan(dataset, req)).toEqual({ minimal: 2, naive: 6 });
    const big: Dataset = {
      ...dataset,
      conversations: Array.from({ length: 301 }, (_, i) =>
        conversation(`c${String(i + 1).padStart(6, '0')}`, {
          createdAt: NOW - (i < 151 ? 40 : 1) * 24 * HOUR,
          status: 'closed',
          closedAt: NOW - (i < 151 ? 39 : 1) * 24 * HOUR + HOUR,
        }),
      ),
    };
    // 150 conversations in the window (the 151 older ones were created and closed before it): 1 + 1 pages;
    // naive ⌈301 / 150⌉ + 301 + 1.
    expect(intercomCallPlan(big, req)).toEqual({ minimal: 2, naive: 3 + 301 + 1 });
  });
});
