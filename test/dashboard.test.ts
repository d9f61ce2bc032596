import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { generateDataset } from '../emulators/dataset/generate.ts';
import { zendeskCsvExport } from '../emulators/zendesk/export.ts';
import { loadConfig } from '../src/config/index.ts';
import type { MetricsResponse } from '../src/contracts/metrics.ts';
import { freePort } from '../src/db/embedded.ts';
import { createLogger } from '../src/lib/logger.ts';
import { startService, type RunningService } from '../src/main.ts';
import { formatValue, METRICS } from '../web/src/format.ts';
import { accessibilityProblems, launchChromium, screenshot, watchConsole } from './browser.ts';
import { createTestDatabase, TEST_KEYS, waitFor } from './helpers.ts';

/*
 * The dashboard as a person uses it, in real Chromium against the real server in sandbox mode (the quick
 * start's setup): first-run setup, four helpdesks connected (two by OAuth through the emulators' consent pages,
 * two by API token), a refresh with its progress, the overview and a metric's chart, the team table, a CSV
 * import, an invited member who can read but not change, and a disconnect. Every page is scanned by axe and
 * screenshotted at desktop width and at 360 px into test-artifacts/.
 */

let service: RunningService;
let drop: () => Promise<void>;
let base: string;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = () => database.drop();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = await startService(
    loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: database.url,
      DESKPULSE_AUTH_SECRET: 'dashboard-test-secret-dashboard-test-secret',
      DESKPULSE_ENCRYPTION_KEYS: TEST_KEYS,
      DESKPULSE_SANDBOX: '1',
      DESKPULSE_SCHEDULER: '0',
    }),
    createLogger({ level: 'silent' }),
  );
  browser = await launchChromium();
  dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-dashboard-'));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

const OWNER = { email: 'lead@acme.example', password: 'a long owner passphrase' };

/** Everything a page must pass: no serious accessibility problem, no console error or CSP violation. */
async function inspect(page: Page, name: string, problems: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await accessibilityProblems(page), `${name}: accessibility`).toEqual([]);
  expect(problems, `${name}: console`).toEqual([]);
  await screenshot(page, `${name}-desktop`);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 780 });
  await screenshot(page, `${name}-360`);
  // No horizontal scrolling on a phone: the page fits its width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name}: wider than 360 px by ${overflow} px`).toBeLessThanOrEqual(0);
  expect(await accessibilityProblems(page), `${name}: accessibility at 360 px`).toEqual([]);
  if (size) await page.setViewportSize(size);
}

async function newPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  return { page, problems: watchConsole(page) };
}

describe('the dashboard in Chromium', () => {
  it('takes a lead from an empty server to the numbers, and a member to read-only', async () => {
    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(ownerContext);
    // A failure leaves a picture of where it happened.
    onTestFailed(async () => {
      await screenshot(page, 'failure');
      console.log(await page.locator('dialog[open]').evaluateAll((ds) => ds.map((d) => d.outerHTML)));
    });

    // First run: / goes to the app, which asks for the workspace and its owner.
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/app/setup`);
    await inspect(page, 'setup', problems);
    await page.getByLabel('Workspace name').fill('Acme Support');
    await page.getByLabel('Your name').fill('Lee Lead');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(`${base}/app/integrations`);
    await expect.poll(() => page.getByRole('heading', { name: 'Integrations' }).count()).toBe(1);
    await inspect(page, 'integrations-empty', problems);

    const card = (name: string) =>
      page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });

    // Intercom by OAuth (its data region is optional): its consent page, then back on the integrations page.
    await card('Intercom').getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog').getByLabel('Region (optional)').count()).toBe(1);
    await page.getByRole('dialog').getByRole('button', { name: 'Continue to Intercom' }).click();
    await page.waitForURL(/\/_sandbox\/intercom\//);
    await page.getByRole('button', { name: 'Allow access' }).click();
    await page.waitForURL(`${base}/app/integrations`);
    await expect.poll(() => page.getByText('Intercom is connected.').count()).toBe(1);

    // Zendesk by OAuth asks for the subdomain first.
    await card('Zendesk').getByRole('button', { name: 'Connect', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Subdomain').fill('acme');
    await inspect(page, 'integrations-zendesk-dialog', problems);
    await dialog.getByRole('button', { name: 'Continue to Zendesk' }).click();
    await page.waitForURL(/\/_sandbox\/zendesk\//);
    await page.getByRole('button', { name: 'Allow access' }).click();
    await page.waitForURL(`${base}/app/integrations`);
    await expect.poll(() => page.getByText('Zendesk is connected.').count()).toBe(1);

    // Front and Plain with API tokens: the sandbox offers its demo values.
    for (const name of ['Front', 'Plain']) {
      await card(name).getByRole('button', { name: 'Use an API token instead' }).click();
      const tokenDialog = page.getByRole('dialog');
      await tokenDialog.getByRole('button', { name: 'Fill in its demo token' }).click();
      await expect.poll(() => tokenDialog.locator('input').first().inputValue()).not.toBe('');
      await tokenDialog.getByRole('button', { name: 'Verify and connect' }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await expect.poll(() => card(name).getByText('Sandbox', { exact: true }).count()).toBe(1);
    }

    // Every connection's first refresh runs in the background; wait until all four have numbers.
    const metrics = async () => {
      const res = await page.request.get(`${base}/metrics`);
      return (await res.json()) as MetricsResponse;
    };
    await waitFor(
      'four connections with numbers',
      async () => (await metrics()).providers.filter((p) => p.source.kind === 'connection').length === 4,
      120_000,
      500,
    );

    // A refresh on demand shows its progress, then its outcome.
    await page.reload();
    await card('Front').getByRole('button', { name: 'Refresh now' }).click();
    await expect
      .poll(() => card('Front').getByText('Refreshed: the numbers are up to date.').count(), {
        timeout: 60_000,
      })
      .toBe(1);
    await inspect(page, 'integrations-connected', problems);

    // The overview: one tile per metric, with the API's numbers.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).count()).toBe(1);
    const served = await metrics();
    const shown = served.providers[0];
    if (!shown) throw new Error('no metrics row');
    const tiles = page.getByRole('list', { name: 'Metrics' }).getByRole('listitem');
    await expect.poll(() => tiles.count()).toBe(METRICS.length);
    for (const meta of METRICS) {
      const tile = tiles.filter({ has: page.getByRole('heading', { name: meta.label, exact: true }) });
      const value = shown.metrics[meta.key];
      await expect
        .poll(() => tile.locator('.metric-value').innerText(), { message: meta.label })
        .toContain(value === null ? 'Not measured' : formatValue(meta.unit, value));
    }
    await inspect(page, 'overview', problems);

    // Another source from the picker.
    const zendesk = served.providers.find((p) => p.provider === 'zendesk');
    await page.getByLabel('Source').selectOption(zendesk?.source.id ?? '');
    await page.waitForURL(new RegExp(`source=${zendesk?.source.id ?? ''}`));
    const volume = zendesk?.metrics.weeklyVolume;
    await expect
      .poll(() =>
        tiles
          .filter({ has: page.getByRole('heading', { name: 'Weekly volume', exact: true }) })
          .locator('.metric-value')
          .innerText(),
      )
      .toContain(formatValue('count', volume ?? 0));

    // A metric's page: the 12-week chart drawn, and the same weeks as a table.
    await page.getByRole('link', { name: 'First response: details and 12-week chart' }).click();
    await page.waitForURL(/\/app\/metrics\/firstResponseSeconds/);
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(1);
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(13);
    await inspect(page, 'metric-first-response', problems);

    // The team: sorted by tickets, most first; a click on the column reverses it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(/\/app\/team/);
    // The team's own table (the metric page's table may still be on screen for a moment after the click).
    const ticketCells = page.getByRole('table', { name: /^Per agent/ }).locator('tbody tr td:nth-child(2)');
    await expect.poll(() => ticketCells.count()).toBeGreaterThan(1);
    const tickets = async () => (await ticketCells.allInnerTexts()).map(Number);
    const descending = await tickets();
    expect(descending.length).toBeGreaterThan(1);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.getByRole('button', { name: /^Tickets/ }).click();
    await expect.poll(tickets).toEqual([...descending].sort((a, b) => a - b));
    await inspect(page, 'team', problems);

    // A Zendesk export: it has no timezone of its own, so the first try asks for one.
    const d = generateDataset({ seed: 21, conversations: 400 });
    const [part] = zendeskCsvExport(d, { timezone: 'Europe/Berlin' });
    const file = path.join(dir, 'zendesk-export.csv');
    await writeFile(file, part?.csv ?? '');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByLabel('Export file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByText('Timezone of the file (required for this file)').count()).toBe(1);
    await page.getByLabel(/Timezone of the file/).selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Imported' }).count(), { timeout: 30_000 })
      .toBe(1);
    const imports = (await (await page.request.get(`${base}/imports`)).json()) as {
      imports: { state: string; fileName: string | null; rows: { read: number; accepted: number } }[];
    };
    const done = imports.imports.find((i) => i.state === 'succeeded');
    const rows = Papa.parse(part?.csv ?? '', { header: true, skipEmptyLines: true }).data.length;
    expect(done?.rows).toMatchObject({ read: rows, accepted: rows, rejected: 0 });
    expect(imports.imports.find((i) => i.state === 'failed')).toMatchObject({
      fileName: 'zendesk-export.csv',
    });
    await inspect(page, 'import', problems);
    // Deleting an import asks first; Cancel leaves it.
    await page.getByRole('button', { name: 'Delete', exact: true }).first().click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Delete this import?' }).count()).toBe(1);
    await inspect(page, 'import-delete-dialog', problems);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('link', { name: 'See the imported numbers on the overview' }).click();
    await expect.poll(() => page.getByLabel('Source').inputValue()).toMatch(/^src_/);

    // An invite link for a member, opened by someone else in their own browser.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    // The timezone picker shows the workspace's own zone (UTC is not in the browser's list of zones).
    const workspace = (await (await page.request.get(`${base}/workspace`)).json()) as { timezone: string };
    await expect.poll(() => page.getByLabel(/^Timezone/).inputValue()).toBe(workspace.timezone);
    await page.getByLabel('Invite as').selectOption('member');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await page.getByLabel(/^Invite link/).inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invite#token=`));
    await inspect(page, 'settings', problems);

    const memberContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const member = await newPage(memberContext);
    await member.page.goto(link);
    await member.page.waitForURL(/\/app\/invite#token=/);
    await inspect(member.page, 'invite', member.problems);
    await member.page.getByLabel('Your name').fill('Mo Member');
    await member.page.getByLabel('Email').fill('mo@acme.example');
    await member.page.getByLabel('Password').fill('a long member passphrase');
    await member.page.getByRole('button', { name: 'Create account and join' }).click();
    await member.page.waitForURL(`${base}/app/`);
    await expect.poll(() => member.page.getByText('member', { exact: true }).count()).toBe(1);
    await member.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Integrations' })
      .click();
    await expect
      .poll(() => member.page.getByText('Owners and admins connect and refresh helpdesks.').count())
      .toBe(4);
    expect(await member.page.getByRole('button', { name: /Connect|Refresh now|Disconnect/ }).count()).toBe(0);
    await inspect(member.page, 'integrations-member', member.problems);

    // Signed out, the member signs back in and lands where they were going.
    await member.page.getByRole('button', { name: 'Sign out' }).click();
    await member.page.waitForURL(/\/app\/signin/);
    await member.page.goto(`${base}/app/team`);
    await member.page.waitForURL(/\/app\/signin\?next=%2Fteam/);
    await inspect(member.page, 'sign-in', member.problems);
    await member.page.getByLabel('Email').fill('mo@acme.example');
    await member.page.getByLabel('Password').fill('a wrong passphrase!');
    await member.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => member.page.getByText('Wrong email or password.').count()).toBe(1);
    await member.page.getByLabel('Password').fill('a long member passphrase');
    await member.page.getByRole('button', { name: 'Sign in' }).click();
    await member.page.waitForURL(`${base}/app/team`);
    await memberContext.close();

    // The owner disconnects Plain: its card goes back to not connected, its numbers stay, marked.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await card('Plain').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Disconnect Plain?' }).count()).toBe(1);
    await inspect(page, 'integrations-disconnect-dialog', problems);
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect Plain' }).click();
    await expect.poll(() => card('Plain').getByText('Disconnected', { exact: true }).count()).toBe(1);
    const after = await metrics();
    expect(after.providers.find((p) => p.provider === 'plain')?.source.status).toBe('disconnected');
    await ownerContext.close();
  }, 300_000);
});
