import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asExported } from '../../emulators/dataset/as-exported.ts';
import { generateDataset } from '../../emulators/dataset/generate.ts';
import { groundTruth, type GroundTruthCaps } from '../../emulators/dataset/ground-truth.ts';
import type { Dataset } from '../../emulators/dataset/types.ts';
import { frontEventsExport, frontMessagesExport } from '../../emulators/front/export.ts';
import { gzip, intercomConversationExport, intercomCsatExport } from '../../emulators/intercom/export.ts';
import { genericTemplateExport } from '../../emulators/plain/export.ts';
import { zendeskCsvExport, zendeskZipExport } from '../../emulators/zendesk/export.ts';
import { CHUNK_TICKETS } from '../imports/ledger.ts';
import {
  cliEnv,
  createTestApp,
  seedWorkspace,
  startHelpdesks,
  waitFor,
  type TestApp,
  type TestHelpdesks,
} from '../../test/helpers.ts';

/*
 * Imports of every helpdesk's own export, end to end through POST /imports: the numbers equal the ground truth of
 * the dataset as the file shows it (asExported: Zendesk's minutes, ratings dated by the last update, wall-clock
 * times), every completed week the file covers included; bad files are refused with nothing stored.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

const FIXTURES = path.resolve('test/fixtures/csv');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

interface Source {
  id: string;
  kind: string;
  status: string;
  import: { id: string; format: string } | null;
}
interface ImportBody {
  id: string;
  state: string;
  format: string | null;
  fileName: string | null;
  sourceId: string | null;
  rows: { read: number; accepted: number; rejected: number; duplicate: number };
  rowErrors: { file: string; line: number; column: string; valueClass: string; reason: string }[];
  metrics: Record<string, number | null> | null;
  error: { code: string; message: string } | null;
}

async function workspace(timezone: string) {
  const seeded = await seedWorkspace(t);
  const res = await t.request('/workspace', { method: 'PATCH', key: seeded.keys.admin, json: { timezone } });
  expect(res.status).toBe(200);
  return seeded;
}

async function upload(
  key: string,
  body: Uint8Array | string,
  contentType: string,
  query: Record<string, string> = {},
  fileName?: string,
): Promise<Response> {
  return t.request(`/imports?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    key,
    headers: {
      'content-type': contentType,
      ...(fileName ? { 'content-disposition': `attachment; filename="${fileName}"` } : {}),
    },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
}

/** What the API serves for one source: current row, weeks, agents. */
async function servedFor(key: string, sourceId: string) {
  const current = (await (await t.request('/metrics', { key })).json()) as {
    providers: {
      source: Source;
      metrics: Record<string, number | null>;
      notMeasured: object;
      notes: object;
    }[];
  };
  const history = (await (await t.request('/metrics/history?weeks=52', { key })).json()) as {
    weeks: { source: Source; weekStart: string; metrics: Record<string, number | null> }[];
  };
  const agents = (await (await t.request('/metrics/agents', { key })).json()) as {
    agents: { source: Source; provider: string | null; agentId: string; name: string; tickets: number }[];
  };
  return {
    current: current.providers.find((p) => p.source.id === sourceId),
    weeks: history.weeks.filter((w) => w.source.id === sourceId),
    agents: agents.agents
      .filter((a) => a.source.id === sourceId)
      .map(({ source: _s, provider: _p, agentId: _a, ...a }) => a)
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The served numbers equal the ground truth of the dataset as the file shows it, week by week. */
async function expectTruth(
  key: string,
  body: ImportBody,
  seen: Dataset,
  timezone: string,
  caps: GroundTruthCaps,
  agentName: (id: string, name: string) => string = (_id, name) => name,
) {
  expect(body.state).toBe('succeeded');
  const served = await servedFor(key, body.sourceId ?? '');
  expect(served.weeks.length).toBeGreaterThan(8);
  const truth = groundTruth(
    seen,
    { now: new Date(seen.now), timezone, historyWeeks: served.weeks.length },
    caps,
  );
  expect(served.current?.metrics).toEqual(truth.current);
  expect(Object.keys(served.current?.notMeasured ?? {}).sort()).toEqual(
    Object.keys(truth.notMeasured).sort(),
  );
  expect(served.weeks.map((w) => w.weekStart)).toEqual(truth.weeks.map((w) => w.weekStart));
  expect(served.weeks.map((w) => w.metrics)).toEqual(truth.weeks.map((w) => w.values));
  const names = new Map(seen.agents.map((a) => [a.id, agentName(a.id, a.name)]));
  expect(served.agents).toEqual(
    truth.agents
      .map(({ agentId, ...a }) => ({ ...a, name: names.get(agentId) ?? agentId }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  expect(body.metrics).toEqual(truth.current);
}

const ZENDESK_CAPS = { csatMeanScore: false, deflectionRate: false };

describe('import equals the ground truth', () => {
  for (const [seed, timezone] of [
    [1, 'America/New_York'],
    [2, 'Europe/Berlin'],
  ] as const) {
    it(`Zendesk zip of 3 parts, seed ${seed}, ${timezone}`, async () => {
      const { keys } = await workspace(timezone);
      const d = generateDataset({ seed, conversations: 2000 });
      const zip = zendeskZipExport(d, { timezone, parts: 3 });
      const res = await upload(keys.admin, zip, 'application/zip', {
        timezone,
        asOf: new Date(d.now).toISOString(),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as ImportBody;
      expect(body).toMatchObject({ format: 'zendesk', rows: { rejected: 0, duplicate: 0 } });
      const seen = asExported(d, { minutes: true, ratedAtFromUpdatedAt: true, timezone });
      await expectTruth(keys.member, body, seen, timezone, ZENDESK_CAPS);
      const served = await servedFor(keys.member, body.sourceId ?? '');
      expect(served.current?.notes).toMatchObject({
        firstResponseSeconds: expect.stringMatching(/whole minutes/) as string,
      });
    }, 60_000);
  }

  it('Intercom gzip with the CSAT export in one zip', async () => {
    const timezone = 'America/Los_Angeles';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 3, conversations: 1500 });
    const zip = zipSync({
      'csat.csv': strToU8(intercomCsatExport(d, { timezone })),
      'data.csv': strToU8(intercomConversationExport(d, { timezone })),
    });
    const res = await upload(keys.admin, zip, 'application/zip', { asOf: new Date(d.now).toISOString() });
    expect(res.status).toBe(201);
    await expectTruth(keys.member, (await res.json()) as ImportBody, asExported(d, { timezone }), timezone, {
      csatMeanScore: true,
      deflectionRate: true,
    });
  }, 60_000);

  it('Intercom conversation export alone, gzipped: ratings dated by the last update', async () => {
    const timezone = 'Asia/Tokyo';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 4, conversations: 1500 });
    const res = await upload(
      keys.admin,
      gzip(intercomConversationExport(d, { timezone })),
      'application/gzip',
      {
        asOf: new Date(d.now).toISOString(),
      },
    );
    expect(res.status).toBe(201);
    const seen = asExported(d, { timezone, ratedAtFromUpdatedAt: true });
    await expectTruth(keys.member, (await res.json()) as ImportBody, seen, timezone, {
      csatMeanScore: true,
      deflectionRate: true,
    });
  }, 60_000);

  it('Front events export with a row per inbox and autoreplies', async () => {
    const timezone = 'Europe/London';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 5, conversations: 1500 });
    const csv = frontEventsExport(d, { timezone, inboxes: 2, autoreplies: true });
    const res = await upload(keys.admin, csv, 'text/csv', { timezone, asOf: new Date(d.now).toISOString() });
    expect(res.status).toBe(201);
    const emails = new Map(d.agents.map((a) => [a.id, a.email]));
    await expectTruth(
      keys.member,
      (await res.json()) as ImportBody,
      asExported(d, { timezone, firstResponseFrom: 'timestamps' }),
      timezone,
      { csatMeanScore: true, deflectionRate: false },
      (id) => emails.get(id) ?? id,
    );
  }, 60_000);

  it('Front messages export: what it tells equals the events export, the rest not measured with why', async () => {
    const timezone = 'Europe/London';
    const d = generateDataset({ seed: 5, conversations: 1500 });
    const asOf = new Date(d.now).toISOString();
    const served = async (csv: string) => {
      const { keys } = await workspace(timezone);
      const res = await upload(keys.admin, csv, 'text/csv', { timezone, asOf });
      expect(res.status).toBe(201);
      const body = (await res.json()) as ImportBody & { notMeasured: Record<string, string> };
      expect(body.format).toBe('front');
      return { body, ...(await servedFor(keys.member, body.sourceId ?? '')) };
    };
    const options = { timezone, inboxes: 2, autoreplies: true };
    const events = await served(frontEventsExport(d, options));
    const messages = await served(frontMessagesExport(d, options));
    const told = ['weeklyVolume', 'firstResponseSeconds', 'firstResponseP90Seconds'] as const;
    for (const k of told) expect(messages.current?.metrics[k], k).toBe(events.current?.metrics[k]);
    expect(messages.current?.metrics.weeklyVolume).toBeGreaterThan(0);
    for (const k of ['csat', 'csatMeanScore', 'oneTouchRate', 'openNow', 'backlogAgeDays']) {
      expect(messages.current?.metrics[k], k).toBeNull();
      expect(messages.body.notMeasured[k], k).toMatch(
        /^a messages export has no archive, reopen or survey rows/,
      );
    }
    const weekly = (w: typeof events.weeks) => w.map((x) => [x.weekStart, x.metrics.weeklyVolume]);
    expect(weekly(messages.weeks)).toEqual(weekly(events.weeks));
    const perAgent = (a: typeof events.agents) => a.map((x) => [x.name, x.tickets]);
    expect(perAgent(messages.agents)).toEqual(perAgent(events.agents));
  }, 60_000);

  it('the generic template, for Plain', async () => {
    const timezone = 'UTC';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 6, conversations: 1500 });
    const res = await upload(keys.admin, genericTemplateExport(d), 'text/csv', {
      asOf: new Date(d.now).toISOString(),
    });
    expect(res.status).toBe(201);
    await expectTruth(keys.member, (await res.json()) as ImportBody, asExported(d, {}), timezone, {
      csatMeanScore: true,
      deflectionRate: true,
    });
  }, 60_000);
});

describe('the export instant', () => {
  it('defaults to the second after the latest time in the file, so that what happened last counts', async () => {
    const { keys } = await workspace('UTC');
    const template = await t.request('/imports/template.csv', { key: keys.member });
    const res = await upload(keys.admin, await template.text(), 'text/csv');
    expect(res.status).toBe(201);
    const body = (await res.json()) as ImportBody & { asOf: string };
    // th_1003 closed, AI-resolved, at 14:31+01:00: the latest time in the file.
    expect(body.asOf).toBe('2026-11-17T13:31:01.000Z');
    expect(body.metrics).toMatchObject({ weeklyVolume: 3, deflectionRate: 50, oneTouchRate: 50, openNow: 1 });
  }, 30_000);

  it('keeps timezones as the tz database spells them, whatever case they were given in', async () => {
    const { keys } = await workspace('europe/berlin');
    const ws = (await (await t.request('/workspace', { key: keys.member })).json()) as { timezone: string };
    expect(ws.timezone).toBe('Europe/Berlin');
    const csv = await (await t.request('/imports/template.csv', { key: keys.member })).text();
    const res = await upload(keys.admin, csv, 'text/csv', { timezone: 'america/new_york', dryRun: 'true' });
    expect(((await res.json()) as { timezone: string }).timezone).toBe('America/New_York');
  }, 30_000);

  it('refuses an instant before the latest time in the file, or in the future', async () => {
    const { keys } = await workspace('UTC');
    const csv = await (await t.request('/imports/template.csv', { key: keys.member })).text();
    const early = await upload(keys.admin, csv, 'text/csv', { asOf: '2026-11-17T00:00:00Z' });
    expect(early.status).toBe(422);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(
      /^asOf 2026-11-17T00:00:00.000Z is before the latest time in the file: give the instant/,
    );
    const future = await upload(keys.admin, csv, 'text/csv', {
      asOf: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: { details: unknown[] } }).error.details).toEqual([
      { path: 'asOf', message: 'is in the future: give the instant the export was taken' },
    ]);
    // Times after now, the export's instant left to the file: read in the wrong timezone, most likely.
    const ahead = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19);
    const lines = csv.trimEnd().split('\r\n');
    const aheadCsv = `${[...lines, `th_9999,${ahead}Z,open,,,,0,0,,,false,${ahead}Z`].join('\r\n')}\r\n`;
    const later = await upload(keys.admin, aheadCsv, 'text/csv');
    expect(later.status).toBe(422);
    expect(((await later.json()) as { error: { message: string } }).error.message).toMatch(
      /^the file has times later than now: if it gave no timezone, check/,
    );
    const list = (await (await t.request('/imports', { key: keys.admin })).json()) as {
      imports: ImportBody[];
    };
    expect(list.imports[0]?.rows).toMatchObject({ read: 4, rejected: 0 });
    const sources = (await (await t.request('/metrics', { key: keys.member })).json()) as { providers: [] };
    expect(sources.providers).toEqual([]);
  }, 30_000);
});

describe('consecutive exports', () => {
  it('count a ticket in both once, with the later state; deleting the later one brings back the earlier', async () => {
    const timezone = 'America/Chicago';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 7, conversations: 2000 });
    const asOf = new Date(d.now).toISOString();
    // Zendesk filters on update time: two exports that overlap by a week.
    const cut = d.now - 5 * 7 * 86_400_000;
    const first = zendeskCsvExport(d, { timezone, updatedTo: cut + 7 * 86_400_000 });
    const second = zendeskCsvExport(d, { timezone, updatedFrom: cut });
    const a = (await (
      await upload(keys.admin, first[0]?.csv ?? '', 'text/csv', { timezone, asOf })
    ).json()) as ImportBody;
    const b = (await (
      await upload(keys.admin, second[0]?.csv ?? '', 'text/csv', { timezone, asOf })
    ).json()) as ImportBody;
    expect(a.state).toBe('succeeded');
    expect(b.state).toBe('succeeded');
    // Tickets updated in both ranges come in the second export too, and count once.
    const seen = asExported(d, { minutes: true, ratedAtFromUpdatedAt: true, timezone });
    await expectTruth(keys.member, b, seen, timezone, ZENDESK_CAPS);
    const sources = async () =>
      (
        (await (await t.request('/metrics', { key: keys.member })).json()) as {
          providers: { source: Source }[];
        }
      ).providers.map((p) => ({ id: p.source.id, status: p.source.status }));
    expect(await sources()).toEqual([
      { id: b.sourceId, status: 'live' },
      { id: a.sourceId, status: 'superseded' },
    ]);

    expect((await t.request(`/imports/${b.id}`, { method: 'DELETE', key: keys.admin })).status).toBe(204);
    expect(await sources()).toEqual([{ id: a.sourceId, status: 'live' }]);
    expect((await t.request(`/imports/${b.id}`, { key: keys.admin })).status).toBe(404);
  }, 60_000);

  it('count a ticket in two parts of one zip once', async () => {
    const timezone = 'Europe/Madrid';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 15, conversations: 1500 });
    const cut = d.now - 6 * 7 * 86_400_000;
    const [early] = zendeskCsvExport(d, { timezone, updatedTo: cut + 14 * 86_400_000 });
    const [late] = zendeskCsvExport(d, { timezone, updatedFrom: cut });
    const zip = zipSync({
      'export_1.csv': strToU8(early?.csv ?? ''),
      'export_2.csv': strToU8(late?.csv ?? ''),
    });
    const res = await upload(keys.admin, zip, 'application/zip', {
      timezone,
      asOf: new Date(d.now).toISOString(),
    });
    const body = (await res.json()) as ImportBody;
    expect(body.rows.duplicate).toBeGreaterThan(50);
    await expectTruth(
      keys.member,
      body,
      asExported(d, { minutes: true, ratedAtFromUpdatedAt: true, timezone }),
      timezone,
      ZENDESK_CAPS,
    );
  }, 60_000);

  it('read a digest of several chunks back through Postgres: a large export continued by a later one', async () => {
    const timezone = 'UTC';
    const { keys } = await workspace(timezone);
    // Over two chunks of the digest in each import: the continuation and the fold read chunk after chunk back
    // from Postgres.
    const d = generateDataset({ seed: 9, conversations: 48_000 });
    const asOf = new Date(d.now).toISOString();
    const cut = d.now - 4 * 7 * 86_400_000;
    // The conversations created as `keep` says, as a generic export, imported.
    const importPart = async (keep: (createdAt: number) => boolean) => {
      const csv = genericTemplateExport({
        ...d,
        conversations: d.conversations.filter((c) => keep(c.createdAt)),
      });
      return (await (await upload(keys.admin, csv, 'text/csv', { asOf })).json()) as ImportBody;
    };
    const first = await importPart((at) => at < cut + 14 * 86_400_000);
    const second = await importPart((at) => at >= cut);
    expect(first.state).toBe('succeeded');
    expect(first.rows.accepted).toBeGreaterThan(2 * CHUNK_TICKETS);
    expect(second.rows.accepted).toBeLessThan(first.rows.accepted);
    await expectTruth(keys.member, second, asExported(d, {}), timezone, {
      csatMeanScore: true,
      deflectionRate: true,
    });
  }, 120_000);

  it("counts a conversation's second row in an Intercom export as a duplicate, keeping the first", async () => {
    const timezone = 'UTC';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 15, conversations: 300 });
    const lines = intercomConversationExport(d, { timezone }).trimEnd().split('\n');
    const csv = [...lines, lines[1], lines[2]].join('\n');
    const res = await upload(keys.admin, csv, 'text/csv', { asOf: new Date(d.now).toISOString() });
    expect(res.status).toBe(201);
    const { rows } = (await res.json()) as ImportBody;
    expect(rows).toMatchObject({ accepted: d.conversations.filter((c) => !c.spam).length, duplicate: 2 });
    expect(rows).toMatchObject({ rejected: 0, read: rows.accepted + 2 });
  });

  it('importing the same export twice changes nothing', async () => {
    const timezone = 'UTC';
    const { keys } = await workspace(timezone);
    const d = generateDataset({ seed: 8, conversations: 600 });
    const zip = zendeskZipExport(d, { timezone, parts: 2 });
    const once = (await (
      await upload(keys.admin, zip, 'application/zip', { timezone })
    ).json()) as ImportBody;
    const twice = (await (
      await upload(keys.admin, zip, 'application/zip', { timezone })
    ).json()) as ImportBody;
    expect(twice.metrics).toEqual(once.metrics);
    expect(twice.rows.accepted).toBe(once.rows.accepted);
  }, 60_000);
});

describe('bad input', () => {
  const refused: [string, string, string, Record<string, string>][] = [
    ['not-a-csv.png', 'image/png', 'unsupported_media_type', {}],
    ['not-a-csv.png', 'application/octet-stream', 'invalid_file', { timezone: 'UTC' }],
    ['binary-junk.csv', 'text/csv', 'invalid_file', { timezone: 'UTC' }],
    ['invalid-utf8.csv', 'text/csv', 'invalid_file', { timezone: 'UTC' }],
    ['empty.csv', 'text/csv', 'invalid_file', {}],
    ['header-only.csv', 'text/csv', 'invalid_file', { timezone: 'UTC' }],
    ['unknown-headers.csv', 'text/csv', 'invalid_file', {}],
    ['zendesk-excel-ids.csv', 'text/csv', 'invalid_file', { timezone: 'UTC' }],
    ['zendesk-ddmmyyyy.csv', 'text/csv', 'invalid_file', { timezone: 'UTC' }],
    ['truncated.zip', 'application/zip', 'invalid_file', { timezone: 'UTC' }],
    ['truncated.csv.gz', 'application/gzip', 'invalid_file', {}],
  ];
  for (const [file, type, code, query] of refused) {
    it(`refuses ${file} (${type}) with ${code} and stores nothing`, async () => {
      const { keys, workspace: ws } = await workspace('UTC');
      const res = await upload(keys.admin, fixture(file), type, query, file);
      expect(res.status).toBe(code === 'unsupported_media_type' ? 415 : 422);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(10);
      const stored = await t.deps.db
        .selectFrom('metric_snapshots')
        .select('source_id')
        .where('workspace_id', '=', ws.id)
        .execute();
      expect(stored).toEqual([]);
      // What was refused before it was read (its media type) leaves no record; anything read stays on record,
      // named, with why.
      const list = (await (await t.request('/imports', { key: keys.admin })).json()) as {
        imports: ImportBody[];
      };
      if (code === 'unsupported_media_type') expect(list.imports).toEqual([]);
      else {
        expect(list.imports).toMatchObject([{ state: 'failed', fileName: file }]);
        expect(list.imports[0]?.error?.message).toBe(body.error.message);
      }
    });
  }

  it('says what each format needs when the headers match none', async () => {
    const { keys } = await workspace('UTC');
    const res = await upload(keys.admin, fixture('unknown-headers.csv'), 'text/csv');
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/zendesk .*needs id, created at/);
    expect(error.message).toMatch(/generic .*needs id, created_at, status/);
  });

  it("says that Intercom's CSAT export needs the Conversation export beside it", async () => {
    const { keys } = await workspace('UTC');
    const d = generateDataset({ seed: 16, conversations: 200 });
    const res = await upload(keys.admin, intercomCsatExport(d, { timezone: 'UTC' }), 'text/csv');
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/CSAT export alone: .* needs the Conversation export beside it/);
  });

  it('explains a spreadsheet re-save and how to re-export', async () => {
    const { keys } = await workspace('UTC');
    const res = await upload(keys.admin, fixture('zendesk-excel-ids.csv'), 'text/csv', { timezone: 'UTC' });
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/spreadsheet.*export the file again/);
  });

  it('requires a timezone for an export that does not say, never assuming UTC', async () => {
    const { keys } = await workspace('UTC');
    const d = generateDataset({ seed: 9, conversations: 50 });
    const res = await upload(keys.admin, zendeskCsvExport(d, { timezone: 'UTC' })[0]?.csv ?? '', 'text/csv');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/timezone/);
  });

  it('keeps the good rows of a file with bad ones and reports each without its value; strict imports nothing', async () => {
    const { keys, workspace: ws } = await workspace('UTC');
    const lenient = (await (
      await upload(keys.admin, fixture('zendesk-bad-rows.csv'), 'text/csv', { timezone: 'America/New_York' })
    ).json()) as ImportBody;
    expect(lenient.rows).toEqual({ read: 13, accepted: 10, rejected: 3, duplicate: 0 });
    expect(lenient.rowErrors.map((e) => [e.line, e.column, e.valueClass])).toEqual([
      [5, 'Created at', 'date'],
      [9, 'Replies', 'text'],
      [13, 'Id', 'empty'],
    ]);
    expect(JSON.stringify(lenient.rowErrors)).not.toMatch(/two|2026-11-31/);

    const strict = await upload(
      keys.admin,
      fixture('zendesk-bad-rows.csv'),
      'text/csv',
      { timezone: 'America/New_York', strict: 'true' },
      'zendesk-bad-rows.csv',
    );
    expect(strict.status).toBe(422);
    const body = (await strict.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.details.map((x) => x.path)).toEqual([
      'zendesk-bad-rows.csv:5:Created at',
      'zendesk-bad-rows.csv:9:Replies',
      'zendesk-bad-rows.csv:13:Id',
    ]);
    // The failed import's record counts the rows read and rejected, not just the errors it lists.
    const list = (await (await t.request('/imports', { key: keys.admin })).json()) as {
      imports: ImportBody[];
    };
    expect(list.imports.find((i) => i.state === 'failed')?.rows).toEqual({
      read: 13,
      accepted: 0,
      rejected: 3,
      duplicate: 0,
    });
    const live = await t.deps.db
      .selectFrom('metric_sources')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('ended_at', 'is', null)
      .execute();
    expect(live.map((s) => s.id)).toEqual([lenient.sourceId]);
  });

  it('reads a semicolon, BOM and CRLF re-save and quoted multi-line fields', async () => {
    const { keys } = await workspace('UTC');
    const semicolon = (await (
      await upload(keys.admin, fixture('zendesk-semicolon-bom-crlf.csv'), 'text/csv', {
        timezone: 'America/New_York',
      })
    ).json()) as ImportBody;
    expect(semicolon).toMatchObject({ state: 'succeeded', format: 'zendesk', rows: { rejected: 0 } });
    expect(semicolon.rows.accepted).toBeGreaterThan(50);
    const multiline = (await (
      await upload(keys.admin, fixture('intercom-multiline.csv'), 'text/csv')
    ).json()) as ImportBody;
    expect(multiline).toMatchObject({ state: 'succeeded', format: 'intercom', rows: { rejected: 0 } });
  });

  it('dry-runs: the numbers, and nothing stored', async () => {
    const { keys, workspace: ws } = await workspace('UTC');
    const d = generateDataset({ seed: 10, conversations: 200 });
    const res = await upload(keys.admin, genericTemplateExport(d), 'text/csv', { dryRun: 'true' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ImportBody;
    expect(body).toMatchObject({ state: 'dry_run', sourceId: null });
    expect(body.metrics?.weeklyVolume).not.toBeNull();
    const stored = await t.deps.db
      .selectFrom('metric_sources')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .execute();
    expect(stored).toEqual([]);
    const listed = (await (await t.request('/imports', { key: keys.admin })).json()) as {
      imports: ImportBody[];
    };
    expect(listed.imports.map((i) => i.state)).toEqual(['dry_run']);
  });

  it('refuses an upload over the size limit with 413', async () => {
    const { keys } = await workspace('UTC');
    const small = await createTestApp({ DESKPULSE_IMPORT_MAX_BYTES: '2048' });
    try {
      const seeded = await seedWorkspace(small);
      const d = generateDataset({ seed: 11, conversations: 100 });
      const res = await small.request('/imports', {
        method: 'POST',
        key: seeded.keys.admin,
        headers: { 'content-type': 'text/csv' },
        body: genericTemplateExport(d),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      // A gzip under the limit whose text is over it (a gzip bomb, in small) is refused as the text reaches it.
      const [head, row] = genericTemplateExport(d).split('\n');
      const csv = `${head}\n${`${row}\n`.repeat(500)}`;
      const gz = gzip(csv);
      expect(gz.length).toBeLessThan(2048);
      expect(csv.length).toBeGreaterThan(2048);
      const bomb = await small.request('/imports', {
        method: 'POST',
        key: seeded.keys.admin,
        headers: { 'content-type': 'application/gzip' },
        body: Buffer.from(gz),
      });
      expect(bomb.status).toBe(413);
      const { error } = (await bomb.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('payload_too_large');
      expect(error.message).toMatch(/uncompressed/);
    } finally {
      await small.close();
    }
    expect(keys.admin).toBeTruthy();
  });
});

describe('privacy, interruptions and the CLI', () => {
  it('keeps no text of any row: not in a log line, a record, a snapshot or the digest', async () => {
    const { keys, workspace: ws } = await workspace('UTC');
    const d = generateDataset({ seed: 12, conversations: 300 });
    const [part] = zendeskCsvExport(d, { timezone: 'UTC' });
    const csv = part?.csv ?? '';
    const rows = csv.split('\n').slice(1, 40);
    // Requester emails and subjects of the file: customer data that must not be kept anywhere.
    const secrets = [
      ...new Set(rows.flatMap((r) => [...r.matchAll(/"([^"@]+@[^"]+)"/g)].map((m) => m[1] ?? ''))),
      ...new Set(rows.map((r) => r.split('","')[10] ?? '').filter((s) => s.length > 12)),
    ].filter(Boolean);
    expect(secrets.length).toBeGreaterThan(10);
    const logsBefore = t.logs.length;
    const res = await upload(keys.admin, csv, 'text/csv', { timezone: 'UTC' });
    expect(res.status).toBe(201);
    const stored = JSON.stringify([
      await t.deps.db.selectFrom('imports').selectAll().where('workspace_id', '=', ws.id).execute(),
      await t.deps.db.selectFrom('metric_snapshots').selectAll().where('workspace_id', '=', ws.id).execute(),
      await t.deps.db.selectFrom('metric_sources').selectAll().where('workspace_id', '=', ws.id).execute(),
      await t.deps.db.selectFrom('audit_events').selectAll().where('workspace_id', '=', ws.id).execute(),
    ]);
    const digest = Buffer.concat(
      (await t.deps.db.selectFrom('import_ledger_chunks').select('data').execute()).map((r) => r.data),
    ).toString('latin1');
    const logs = t.logs.slice(logsBefore).join('');
    for (const s of secrets) {
      expect(stored, s).not.toContain(s);
      expect(digest, s).not.toContain(s);
      expect(logs, s).not.toContain(s);
    }
  });

  it.each([
    ['text/csv', (csv: string) => Buffer.from(csv)],
    // Through the gunzip stream: the upload's failure must reach it, not go unhandled (it stopped the process).
    ['application/gzip', (csv: string) => Buffer.from(gzip(csv))],
  ])(
    'records a %s upload the client abandons halfway as failed and changes no number',
    async (type, encode) => {
      const { keys, workspace: ws } = await workspace('UTC');
      const d = generateDataset({ seed: 13, conversations: 3000 });
      const csv = encode(genericTemplateExport(d));
      const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((r) => server.once('listening', r));
      const { port } = server.address() as AddressInfo;
      try {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/imports',
          headers: {
            authorization: `Bearer ${keys.admin}`,
            'content-type': type,
            'content-length': String(csv.length),
          },
        });
        req.on('error', () => undefined);
        req.write(csv.subarray(0, csv.length / 3));
        await new Promise((r) => setTimeout(r, 200));
        req.destroy();
        const failed = await waitFor('the failed import', async () => {
          const list = (await (await t.request('/imports', { key: keys.admin })).json()) as {
            imports: ImportBody[];
          };
          return list.imports.find((i) => i.state === 'failed');
        });
        expect(failed.error?.code).toBe('upload_interrupted');
        const snapshots = await t.deps.db
          .selectFrom('metric_snapshots')
          .select('source_id')
          .where('workspace_id', '=', ws.id)
          .execute();
        expect(snapshots).toEqual([]);
      } finally {
        server.close();
      }
    },
  );

  it('deskpulse import prints the import record, the same as GET /imports/:id', async () => {
    const { keys, workspace: ws } = await workspace('UTC');
    const d = generateDataset({ seed: 14, conversations: 400 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-import-'));
    const file = path.join(dir, 'export_2026_11_18_abc123.zip');
    await writeFile(file, zendeskZipExport(d, { timezone: 'Europe/Paris', parts: 2 }));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.resolve('bin/deskpulse.js'),
          'import',
          file,
          '--timezone',
          'Europe/Paris',
          '--workspace',
          ws.id,
          '--json',
        ],
        { env: cliEnv(t, { env: {} } as TestHelpdesks) },
      );
      const printed = JSON.parse(stdout) as ImportBody;
      expect(printed).toMatchObject({ state: 'succeeded', format: 'zendesk' });
      expect(printed).toEqual(await (await t.request(`/imports/${printed.id}`, { key: keys.admin })).json());
      const bad = await promisify(execFile)(
        process.execPath,
        [path.resolve('bin/deskpulse.js'), 'import', file, '--workspace', ws.id],
        { env: cliEnv(t, { env: {} } as TestHelpdesks) },
      ).catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^deskpulse: error: .*timezone.*\n$/) as string,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('an import and the connected adapter over the same data', () => {
  it('give the same numbers, agents (by id) and weeks: Intercom with its CSAT export', async () => {
    const timezone = 'America/Denver';
    const d = generateDataset({ seed: 16, conversations: 1500, now: Date.now() });
    const helpdesks = await startHelpdesks(() => ({ dataset: d, apiTokens: [{ token: 'same-data-token' }] }));
    const app = await createTestApp(helpdesks.env);
    try {
      const { keys } = await seedWorkspace(app);
      await app.request('/workspace', { method: 'PATCH', key: keys.admin, json: { timezone } });
      expect(
        (
          await app.request('/integrations/intercom/token', {
            method: 'POST',
            key: keys.admin,
            json: { accessToken: 'same-data-token' },
          })
        ).status,
      ).toBe(200);
      const queued = (await (
        await app.request('/integrations/intercom/refresh', { method: 'POST', key: keys.admin })
      ).json()) as { refreshId: string };
      await waitFor('the refresh', async () => {
        const r = (await (
          await app.request(`/refreshes/${queued.refreshId}`, { key: keys.admin })
        ).json()) as {
          state: string;
        };
        if (r.state === 'failed') throw new Error('the refresh failed');
        return r.state === 'succeeded';
      });
      const metrics = (await (await app.request('/metrics', { key: keys.member })).json()) as {
        providers: { source: Source & { kind: string }; measuredAt: string; metrics: object }[];
      };
      const adapter = metrics.providers.find((p) => p.source.kind === 'connection');
      const zip = zipSync({
        'data.csv': strToU8(intercomConversationExport(d, { timezone })),
        'csat.csv': strToU8(intercomCsatExport(d, { timezone })),
      });
      const imported = (await (
        await app.request(`/imports?asOf=${adapter?.measuredAt ?? ''}`, {
          method: 'POST',
          key: keys.admin,
          headers: { 'content-type': 'application/zip' },
          body: Buffer.from(zip),
        })
      ).json()) as ImportBody;
      expect(imported.metrics).toEqual(adapter?.metrics);

      const history = (await (
        await app.request('/metrics/history?weeks=12', { key: keys.member })
      ).json()) as {
        weeks: { source: Source; weekStart: string; metrics: object }[];
      };
      const weeksOf = (kind: string) =>
        history.weeks.filter((w) => w.source.kind === kind).map((w) => [w.weekStart, w.metrics]);
      expect(weeksOf('import')).toEqual(weeksOf('connection'));
      expect(weeksOf('import')).toHaveLength(12);

      const agents = (await (await app.request('/metrics/agents', { key: keys.member })).json()) as {
        agents: { source: Source; provider: string }[];
      };
      const agentsOf = (kind: string) =>
        agents.agents.filter((a) => a.source.kind === kind).map(({ source: _s, provider: _p, ...a }) => a);
      expect(agentsOf('import')).toEqual(agentsOf('connection'));
    } finally {
      await app.close();
      await helpdesks.close();
    }
  }, 90_000);
});
