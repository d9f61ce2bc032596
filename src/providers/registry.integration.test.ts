import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import { loadConfig } from '../config/index.ts';
import { PROVIDER_IDS, type ProviderId } from '../metrics/helpdesks.ts';
import { providers } from './index.ts';

/*
 * Adding a helpdesk is its folder under src/providers/, one line in PROVIDER_IDS (src/metrics/helpdesks.ts) and
 * its registry entry (src/providers/index.ts). Everything else that must know about it is checked here, and a
 * failure names what is missing.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const dirsIn = (dir: string) =>
  readdirSync(path.join(ROOT, dir)).filter((f) => statSync(path.join(ROOT, dir, f)).isDirectory());

/** What a provider is missing, as sentences; empty when it is complete. */
function gapsOf(id: ProviderId, dbIds: string[]): string[] {
  const gaps: string[] = [];
  const p = providers[id];
  const need = (ok: boolean, what: string) => {
    if (!ok) gaps.push(`${id}: ${what}`);
  };
  need(p.id === id, `its registry entry says id '${p.id}'`);
  need(dirsIn('src/providers').includes(id), 'no folder src/providers/' + id);
  need(dirsIn('emulators').includes(id), `no emulator at emulators/${id}/`);
  need(dbIds.includes(id), `the database enum provider_id lacks '${id}' (add a migration)`);
  const env = read('.env.example');
  const names = [
    `${id.toUpperCase()}_CLIENT_ID`,
    `${id.toUpperCase()}_CLIENT_SECRET`,
    p.env.apiBaseUrl,
    ...(p.env.oauthBaseUrl ? [p.env.oauthBaseUrl] : []),
  ];
  for (const name of names) need(new RegExp(`^${name}=`, 'm').test(env), `.env.example lacks ${name}`);
  const base = p.env.apiBaseUrlPlaceholder
    ? `https://proxy.example/${p.env.apiBaseUrlPlaceholder}`
    : 'https://proxy.example';
  const config = loadConfig({ [p.env.apiBaseUrl]: base, [`${id.toUpperCase()}_CLIENT_ID`]: 'cid' });
  need(config.providers[id].apiBaseUrl === base, `config does not read ${p.env.apiBaseUrl}`);
  need(config.providers[id].clientId === 'cid', `config does not read ${id.toUpperCase()}_CLIENT_ID`);
  need(
    p.tokenConnect.body.safeParse(p.sandbox.tokenBody).success,
    'its sandbox token body does not pass its own token-connect schema',
  );
  const shape = Object.keys(
    (p.tokenConnect.body as unknown as { shape: Record<string, unknown> }).shape ?? {},
  );
  need(
    JSON.stringify(p.tokenConnect.fields.map((f) => f.name).sort()) === JSON.stringify(shape.sort()),
    `its token form fields (${p.tokenConnect.fields.map((f) => f.name).join(', ')}) are not its token body's (${shape.join(', ')})`,
  );
  need(
    read('README.md').includes(JSON.stringify(p.sandbox.tokenBody)),
    `README.md does not list its sandbox token body ${JSON.stringify(p.sandbox.tokenBody)}`,
  );
  need(
    readdirSync(path.join(ROOT, 'docs/metrics')).includes(`${id}.md`),
    `no docs/metrics/${id}.md (what its API gives, the calls a refresh makes)`,
  );
  need(
    read('docs/providers.md').includes(p.displayName),
    `docs/providers.md does not mention ${p.displayName}`,
  );
  return gaps;
}

describe('provider registry', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dbIds: string[];
  beforeAll(async () => {
    database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const r = await client.query<{ id: string }>('select unnest(enum_range(null::provider_id))::text as id');
    await client.end();
    dbIds = r.rows.map((row) => row.id);
  });
  afterAll(() => database.drop());

  it('has one folder, one registry entry, one enum value, env names, a sandbox demo and docs per helpdesk', () => {
    const gaps = PROVIDER_IDS.flatMap((id) => gapsOf(id, dbIds));
    expect(gaps).toEqual([]);
  });

  it('knows no helpdesk the id list does not name', () => {
    const known = new Set<string>(PROVIDER_IDS);
    const extra = [
      ...Object.keys(providers).map((k) => `registry entry '${k}'`),
      ...dirsIn('src/providers')
        .filter((d) => d !== 'oauth')
        .map((d) => `folder src/providers/${d}`),
      ...dbIds.map((v) => `database enum value '${v}'`),
    ].filter((what) => !known.has(/'([^']+)'|\/([^/]+)$/.exec(what)?.slice(1).find(Boolean) ?? ''));
    expect(extra).toEqual([]);
  });

  it('names what is missing', () => {
    // A helpdesk half added: the database enum does not know it yet.
    expect(
      gapsOf(
        'zendesk',
        dbIds.filter((v) => v !== 'zendesk'),
      ),
    ).toEqual(["zendesk: the database enum provider_id lacks 'zendesk' (add a migration)"]);
  });
});
