import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';
import type { OpenApiDocument } from '../../test/contract.ts';

/**
 * Property-based fuzzing generated from the published document: for every operation, requests with random and
 * malformed path parameters, query strings, bodies and headers, as the home workspace's owner and member,
 * another workspace's owner and nobody. Every response goes through the test helper's contract check (status
 * declared, error contract, headers), so the property is "no 5xx and nothing undescribed"; afterwards the server
 * must still be ready. Bounded in runs and time; the seed is fixed unless DESKPULSE_FUZZ_SEED sets it, and a
 * failure prints it with the shrunk request.
 */
const SEED = Number(process.env.DESKPULSE_FUZZ_SEED ?? 20261202);
const RUNS_PER_OPERATION = Number(process.env.DESKPULSE_FUZZ_RUNS ?? 25);

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

let t: TestApp;
let helpdesks: TestHelpdesks;
let doc: OpenApiDocument & { paths: Record<string, Record<string, Operation>> };
let callers: Record<string, string | undefined>;

beforeAll(async () => {
  // Helpdesk calls (token connect, OAuth completion, disconnect) reach the emulators, never the internet.
  helpdesks = await startHelpdesks();
  t = await createTestApp(helpdesks.env, { worker: false });
  const home = await seedWorkspace(t, 'Home');
  const other = await seedWorkspace(t, 'Other');
  callers = {
    owner: home.keys.owner,
    member: home.keys.member,
    otherOwner: other.keys.owner,
    nobody: undefined,
  };
  doc = (await (await t.request('/openapi.json')).json()) as typeof doc;
});
afterAll(async () => {
  await t.close();
  await helpdesks.close();
});

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '%00',
    '../..',
    ' ',
    "'; drop table users; --",
    '{}',
    '[]',
    'null',
  ),
  fc.constantFrom('ref_00000000000000000000', 'wh_00000000000000000000', 'imp_00000000000000000000'),
  fc.string({ minLength: 300, maxLength: 2000 }),
  fc.integer().map(String),
);

/** Values a JSON Schema accepts (mostly), as fast-check arbitraries; `$ref`s resolve into the document. */
function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return fromSchema(doc.components?.schemas?.[name], depth + 1);
  }
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return fc.oneof(...options.map((o) => fromSchema(o, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const one = (ty: string | undefined): fc.Arbitrary<unknown> => {
    switch (ty) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({
          min: (schema.minimum as number | undefined) ?? -1000,
          max: (schema.maximum as number | undefined) ?? 100_000,
        });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'string':
        if (schema.format === 'email') return fc.emailAddress();
        if (schema.format === 'uri') return fc.webUrl();
        if (schema.format === 'date-time')
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        return fc.string({
          minLength: (schema.minLength as number | undefined) ?? 0,
          maxLength: Math.min((schema.maxLength as number | undefined) ?? 40, 80),
        });
      case 'array':
        return fc.array(fromSchema(schema.items as Schema | undefined, depth + 1), { maxLength: 4 });
      case 'object': {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const required = (schema.required ?? []) as string[];
        return fc.record(
          Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, depth + 1)])),
          { requiredKeys: required.filter((k) => k in props) },
        );
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };
  return fc.oneof(...type.map(one));
}

/** A body: mostly shaped by the schema, then broken in one of the ways clients break them. */
type Body = { contentType: string | undefined; body: string | Uint8Array | undefined };

function bodyFor(op: Operation): fc.Arbitrary<Body> {
  const json = op.requestBody?.content['application/json'];
  const shaped = json ? fromSchema(json.schema).map((v) => JSON.stringify(v)) : fc.string({ maxLength: 200 });
  const mutated = fc
    .tuple(fromSchema(json?.schema), fc.string({ maxLength: 10 }), nasty)
    .map(([v, k, x]) =>
      JSON.stringify(v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, [k]: x } : x),
    );
  const contentType = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constant(json ? 'application/json' : Object.keys(op.requestBody?.content ?? {})[0]),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.oneof<fc.Arbitrary<Body>[]>(
    fc.record({ contentType, body: shaped }),
    fc.record({ contentType, body: mutated }),
    fc.record({
      contentType,
      body: fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '', '{"__proto__":{"x":1}}'),
    }),
    fc.record({ contentType, body: fc.uint8Array({ maxLength: 64 }) }),
    fc.constant({ contentType: undefined, body: undefined }),
  );
}

function requestFor(path: string, op: Operation) {
  const params = (op.parameters ?? []).filter((p) => !p.$ref);
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const pathArb = fc.record(
    Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof(fromSchema(p.schema).map(String), nasty)])),
  );
  const queryArb = fc.tuple(
    fc
      .subarray(queryParams)
      .chain((chosen) =>
        fc.tuple(
          ...chosen.map((p) =>
            fc.tuple(fc.constant(p.name), fc.oneof(fromSchema(p.schema).map(String), nasty)),
          ),
        ),
      ),
    fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), nasty), { maxLength: 2 }),
  );
  const headersArb = fc.record(
    {
      'x-workspace-id': fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('ws_x', '')),
      accept: fc.constantFrom('*/*', 'text/html', 'application/xml'),
    },
    { requiredKeys: [] },
  );
  return fc.record({
    caller: fc.constantFrom(...Object.keys(callers)),
    path: pathArb.map((values) =>
      path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? 'x'))),
    ),
    query: queryArb.map(([declared, unknown]) => {
      const q = new URLSearchParams();
      for (const [k, v] of [...declared, ...unknown]) q.append(k, v);
      return q.toString();
    }),
    headers: headersArb.map((h) =>
      // Header values cannot carry control characters at all; the HTTP layer refuses them before us.
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')])),
    ),
    body: op.requestBody ? bodyFor(op) : fc.constant<Body>({ contentType: undefined, body: undefined }),
  });
}

describe('fuzzing every operation of the document', () => {
  it('never answers 5xx or outside the document, and stays ready', async () => {
    const started = Date.now();
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    expect(operations.length).toBeGreaterThan(40);
    for (const { method, path, op } of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(path, op), async (r) => {
          const key = callers[r.caller];
          const headers: Record<string, string> = { ...r.headers };
          if (r.body.contentType) headers['content-type'] = r.body.contentType;
          const res = await t.request(`${r.path}${r.query ? `?${r.query}` : ''}`, {
            method,
            headers,
            ...(key ? { key } : {}),
            ...(r.body.body !== undefined && method !== 'GET' ? { body: r.body.body as BodyInit } : {}),
          });
          // t.request has already checked the response against the document; 5xx is never right here.
          expect(res.status, `${method} ${r.path}`).toBeLessThan(500);
          await res.arrayBuffer();
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, interruptAfterTimeLimit: 4_000, endOnFailure: true },
      );
    }
    const ready = await t.request('/readyz');
    expect(ready.status).toBe(200);
    // Bounded by numRuns, interruptAfterTimeLimit per operation and the test timeout; the time is printed, not
    // asserted: a loaded machine is slower, and tests check correctness, not timings.
    console.log(
      `fuzz: ${operations.length} operations × ${RUNS_PER_OPERATION} runs in ${Date.now() - started} ms`,
    );
  }, 120_000);
});
