import { AxeBuilder } from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/*
 * Real Chromium for the dashboard's tests: Debian's `chromium` package driven by playwright-core (never
 * `npx playwright install`, which downloads a browser). A machine without it gets it from apt when the tests
 * run as root, so `npm test` needs nothing installed by hand.
 */

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function chromiumPath(): string {
  const configured = process.env.DESKPULSE_CHROMIUM;
  if (configured) return configured;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is not installed: run `apt-get install -y chromium` or set DESKPULSE_CHROMIUM');
  }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = CANDIDATES.find((p) => existsSync(p));
  if (!installed) throw new Error('apt-get installed chromium but no chromium binary was found');
  return installed;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Screenshots land here (git-ignored) for a person to look at; tests never compare pixels. */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../test-artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core's WCAG 2.1 AA rules on the page as it is now: the serious and critical violations, described. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Console errors and CSP violations of a page, collected from now on: the dashboard runs under a strict CSP,
 * and anything it blocks (an inline style a library injects, say) shows up here.
 */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // A 401 from GET /me while signed out is the API answering, not a fault of the page.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}
