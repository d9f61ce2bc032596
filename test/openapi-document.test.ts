import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import type { AppDeps } from '../src/http/env.ts';
import { createLogger } from '../src/lib/logger.ts';
import { testConfig } from './helpers.ts';

/**
 * The published document, judged by tools nobody here wrote: Spectral's `spectral:oas` ruleset (.spectral.yaml)
 * must find nothing at all, warnings and hints included, and swagger-parser must validate it against the
 * OpenAPI 3.1 schema. Generating the document needs no database.
 */
type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
  tags: { name: string; description?: string }[];
  servers: { url: string }[];
};
let doc: Doc;
let dir: string;

beforeAll(async () => {
  const deps = { config: testConfig(), logger: createLogger({ level: 'silent' }) } as AppDeps;
  doc = (await (await createApp(deps).request('/openapi.json')).json()) as Doc;
  dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-openapi-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const operations = () =>
  Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([m, op]) => ({ id: `${m} ${p}`, op })),
  );

describe('the OpenAPI document', () => {
  it('has no Spectral spectral:oas result of any severity', async () => {
    const file = path.join(dir, 'openapi.json');
    const out = path.join(dir, 'spectral.json');
    await writeFile(file, JSON.stringify(doc));
    const spectral = path.resolve('node_modules/.bin/spectral');
    // Exit code 1 means results were found; the JSON report says which.
    await promisify(execFile)(
      spectral,
      ['lint', file, '-r', '.spectral.yaml', '-f', 'json', '-o', out, '-F', 'hint'],
      {
        timeout: 60_000,
      },
    ).catch((e: { code?: number }) => {
      if (e.code !== 1) throw e;
    });
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      code: string;
      message: string;
      path: string[];
    }[];
    expect(results.map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`)).toEqual([]);
  }, 90_000);

  it('is a valid OpenAPI 3.1 document for swagger-parser', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('declares every operation completely: id, defined tags, the error schema and X-Request-Id on each status', () => {
    const tags = new Set(doc.tags.map((t) => t.name));
    expect(doc.tags.every((t) => t.description)).toBe(true);
    expect(doc.servers.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const { id, op } of operations()) {
      expect(op.operationId, id).toBeTypeOf('string');
      ids.add(op.operationId as string);
      for (const tag of op.tags as string[]) expect(tags.has(tag), `${id}: tag ${tag}`).toBe(true);
      const responses = op.responses as Record<
        string,
        { headers?: object; content?: Record<string, unknown> }
      >;
      expect(responses['500'], `${id}: 500`).toBeDefined();
      for (const [status, r] of Object.entries(responses)) {
        expect(r.headers, `${id} ${status}: X-Request-Id`).toHaveProperty('X-Request-Id');
        if (Number(status) >= 400) {
          expect(r.content?.['application/json'], `${id} ${status}`).toEqual({
            schema: { $ref: '#/components/schemas/Error' },
          });
        }
      }
      if (op.requestBody) {
        expect(Object.keys(responses), id).toEqual(expect.arrayContaining(['413', '415']));
      }
    }
    expect(ids.size).toBe(operations().length);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/openapi.json', '/docs']));
  });

  it('says what can be null and nothing more', () => {
    const { Role, Me, AuditEvent, ProviderId } = doc.components.schemas;
    expect(Role).toEqual({ type: 'string', enum: ['owner', 'admin', 'member'] });
    expect(ProviderId?.type).toBe('string');
    const nullable = (ref: string) => ({
      anyOf: [{ $ref: `#/components/schemas/${ref}` }, { type: 'null' }],
    });
    expect(Me?.properties).toMatchObject({
      user: nullable('User'),
      workspace: nullable('WorkspaceSummary'),
      role: nullable('Role'),
    });
    expect((AuditEvent?.properties as Record<string, unknown>).provider).toEqual(nullable('ProviderId'));
  });

  it('publishes one token-connect body per helpdesk', () => {
    const body = doc.paths['/integrations/{provider}/token']?.post?.requestBody as {
      content: Record<string, { schema: { $ref: string } }>;
    };
    expect(body.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/TokenConnect' });
    expect(doc.components.schemas.TokenConnect?.anyOf).toHaveLength(4);
    expect(doc.components.schemas.TokenConnectZendesk).toMatchObject({
      required: ['subdomain', 'email', 'apiToken'],
      additionalProperties: false,
    });
  });
});
