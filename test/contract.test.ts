import { describe, expect, it } from 'vitest';
import { ContractValidator, type OpenApiDocument } from './contract.ts';

/** The contract check itself: each thing it must catch, caught, on a document small enough to read. */
const doc: OpenApiDocument = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'A thing',
            headers: { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': {
            description: 'Not found',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
      delete: { responses: { '204': { description: 'Deleted' }, '202': { description: 'Queued' } } },
    },
    '/things/special': {
      get: { responses: { '200': { description: 'CSV', content: { 'text/csv': {} } } } },
    },
  },
  components: {
    headers: { RequestId: { required: true } },
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          owner: { anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] },
        },
        required: ['id', 'at', 'owner'],
        additionalProperties: false,
      },
      Owner: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      Error: {
        type: 'object',
        properties: { error: { type: 'object', required: ['code', 'message'] } },
        required: ['error'],
      },
    },
  },
};

const v = new ContractValidator(doc);
const json = (status: number, body: unknown, headers: Record<string, string> = { 'x-request-id': 'r1' }) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const thing = { id: 't1', at: '2026-12-01T00:00:00.000Z', owner: null };

describe('ContractValidator', () => {
  it('accepts what the document describes, nullable references included', async () => {
    expect(await v.check('GET', '/things/t1', json(200, thing))).toEqual([]);
    expect(await v.check('GET', '/things/t1', json(200, { ...thing, owner: { name: 'A' } }))).toEqual([]);
    expect(
      await v.check(
        'DELETE',
        '/things/t1',
        new Response(null, { status: 204, headers: { 'x-request-id': 'r' } }),
      ),
    ).toEqual([]);
  });

  it('catches an undeclared status, a body off its schema, a missing header and a body where none is declared', async () => {
    const problems = async (method: string, res: Response) =>
      (await v.check(method, '/things/t1', res)).join('\n');
    expect(await problems('GET', json(500, { error: { code: 'x', message: 'y' } }))).toMatch(
      /status 500 is not declared/,
    );
    expect(await problems('GET', json(200, { ...thing, extra: 1 }))).toMatch(/body does not match/);
    expect(await problems('GET', json(200, { ...thing, at: 'yesterday' }))).toMatch(/format/);
    expect(await problems('GET', json(200, thing, {}))).toMatch(/no X-Request-Id/);
    expect(await problems('DELETE', json(202, thing))).toMatch(/a body where/);
    expect(
      await problems(
        'GET',
        new Response('x', { status: 200, headers: { 'content-type': 'text/html', 'x-request-id': 'r' } }),
      ),
    ).toMatch(/content type "text\/html" is not declared/);
  });

  it('prefers a literal path over a template, and checks non-JSON bodies by content type only', async () => {
    const csv = new Response('a,b\n', {
      status: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'x-request-id': 'r' },
    });
    expect(await v.check('GET', '/things/special', csv)).toEqual([]);
  });

  it('allows only the error-contract 404 where no operation is, and leaves the emulators to their own shapes', async () => {
    expect(
      await v.check('GET', '/nowhere', json(404, { error: { code: 'not_found', message: 'no' } })),
    ).toEqual([]);
    expect((await v.check('GET', '/nowhere', json(200, {}))).join()).toMatch(/no operation/);
    expect((await v.check('GET', '/nowhere', json(404, { message: 'no' }))).join()).toMatch(/does not match/);
    expect(await v.check('GET', '/_sandbox/front/me', json(401, { _error: {} }))).toEqual([]);
  });
});
