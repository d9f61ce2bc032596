import { afterEach, describe, expect, it } from 'vitest';
import { generateDataset } from '../dataset/generate.ts';
import type { Dataset } from '../dataset/types.ts';
import { startEmulator, type RunningEmulator } from '../index.ts';
import { jsonBody } from '../shared/testing.ts';
import { threadId } from './threads.ts';

const API_KEY = 'plainApiKey_threads00000000000000000';
const dataset: Dataset = generateDataset({ seed: 7, conversations: 300 });

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(): Promise<RunningEmulator> {
  running = await startEmulator('plain', { dataset, apiTokens: [{ token: API_KEY }] });
  return running;
}

async function graphql(url: string, body: unknown, bearer: string | null = API_KEY): Promise<Response> {
  const { headers } = jsonBody(body);
  return fetch(`${url}/graphql/v1`, {
    method: 'POST',
    headers: bearer === null ? headers : { ...headers, authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
}

const PAGE = `query Page($filters: ThreadsFilter, $first: Int, $after: String) {
  threads(filters: $filters, sortBy: { field: CREATED_AT, direction: ASC }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status createdAt { iso8601 unixTimestamp } } }
  }
}`;

interface PageBody {
  data: {
    threads: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { id: string; status: string; createdAt: { iso8601: string } } }[];
    };
  };
}

describe('Plain emulator threads', () => {
  it('pages every non-spam thread once, oldest first, with Relay cursors', async () => {
    const { url, emulator } = await start();
    const ids: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const response = await graphql(url, {
        query: PAGE,
        variables: { filters: { isMarkedAsSpam: false }, first: 100, after },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as PageBody;
      totalCount = body.data.threads.totalCount;
      ids.push(...body.data.threads.edges.map((e) => e.node.id));
      after = body.data.threads.pageInfo.hasNextPage ? body.data.threads.pageInfo.endCursor : null;
    } while (after !== null);
    const expected = dataset.conversations
      .filter((c) => !c.spam)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((c) => threadId(c.id));
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    expect(emulator.stats.dataRequests).toBe(Math.ceil(expected.length / 100));
  });

  it('maps statuses to TODO / SNOOZED / DONE and filters by them', async () => {
    const { url } = await start();
    const response = await graphql(url, {
      query: PAGE,
      variables: { filters: { statuses: ['SNOOZED'], isMarkedAsSpam: false }, first: 100 },
    });
    const body = (await response.json()) as PageBody;
    const snoozed = dataset.conversations.filter((c) => c.status === 'snoozed' && !c.spam);
    expect(body.data.threads.totalCount).toBe(snoozed.length);
    expect(new Set(body.data.threads.edges.map((e) => e.node.status))).toEqual(
      new Set(snoozed.length > 0 ? ['SNOOZED'] : []),
    );
  });

  it('validates queries against the official SDL and refuses pages over 100', async () => {
    const { url } = await start();
    const unknown = await graphql(url, { query: '{ threads(first: 1) { edges { node { id csat } } } }' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      errors: [
        {
          message: 'Cannot query field "csat" on type "Thread".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    const scalarDate = await graphql(url, {
      query: '{ threads(first: 1) { edges { node { createdAt } } } }',
    });
    expect(await scalarDate.json()).toMatchObject({
      errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    const tooMany = await graphql(url, { query: PAGE, variables: { first: 101 } });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('requires a valid API key for data queries', async () => {
    const { url, emulator } = await start();
    for (const bearer of [null, 'plainApiKey_wrong000000000']) {
      const response = await graphql(url, { query: PAGE, variables: { first: 1 } }, bearer);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(emulator.stats.dataRequests).toBe(0);
  });

  it('sends Plain rate-limit headers and answers 429 with Retry-After past the limit', async () => {
    const { url, emulator } = await start();
    expect(emulator.knobs.rateLimit).toEqual({ limit: 450, windowMs: 60_000 });
    emulator.knobs.rateLimit = { limit: 2, windowMs: 60_000 };
    const first = await graphql(url, { query: PAGE, variables: { first: 1 } });
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await graphql(url, { query: PAGE, variables: { first: 1 } });
    const limited = await graphql(url, { query: PAGE, variables: { first: 1 } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({
      errors: [{ message: 'Too Many Requests - Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }],
    });
    // Identity calls are not data calls.
    expect((await graphql(url, { query: '{ myWorkspace { id } }' })).status).toBe(200);
    expect(emulator.stats).toMatchObject({ dataRequests: 3, rateLimited: 1, identityRequests: 1 });
  });

  it('answers 500 INTERNAL_SERVER_ERROR while failDataNext is set', async () => {
    const { url, emulator } = await start();
    emulator.knobs.failDataNext = 1;
    const failed = await graphql(url, { query: PAGE, variables: { first: 1 } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({
      errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect((await graphql(url, { query: PAGE, variables: { first: 1 } })).status).toBe(200);
  });

  it('lists workspace users with their names', async () => {
    const { url } = await start();
    const response = await graphql(url, {
      query: '{ users(first: 100) { edges { node { id fullName email } } } }',
    });
    const body = (await response.json()) as { data: { users: { edges: { node: { fullName: string } }[] } } };
    expect(body.data.users.edges.map((e) => e.node.fullName)).toEqual(dataset.agents.map((a) => a.name));
  });
});
