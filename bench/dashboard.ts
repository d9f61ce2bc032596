/**
 * The dashboard's weight and speed, in one run, against baselines measured in the same run:
 *  - initial JavaScript of /app as served (gzip bytes of the entry script and its modulepreloads), against a
 *    minimal React 18 page (createRoot + one element) built by the same vite — the floor any React UI starts at;
 *  - time from navigation to the overview's cards rendered with data, for a workspace with the four sandbox
 *    helpdesks connected and refreshed, in headless Chromium: cold (a fresh browser context: empty cache) and
 *    warm (the same context again, assets cached), against the same page's API calls (GET /me, /setup,
 *    /metrics, /metrics/history, /integrations/connections) fetched from the page in parallel — the data floor.
 * Goals (issue 12): ≤ 150 KB gzip initial JS; overview ≤ 1 s warm. BENCH_RUNS sets the runs (median; default 7).
 * Runs a real `deskpulse serve` on a temp data dir (embedded Postgres, sandbox helpdesks), on loopback only.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { freePort } from '../src/db/embedded.ts';
import { PROVIDER_IDS } from '../src/providers/types.ts';
import { providers } from '../src/providers/index.ts';
import { launchChromium } from '../test/browser.ts';
import { median } from './stats.ts';

const BIN = path.resolve('bin/deskpulse.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const OWNER = { email: 'bench@acme.example', password: 'a bench owner passphrase' };
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The bytes a browser downloads for a path when it asks for gzip (the server has precompressed copies). */
function gzipBytes(base: string, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${pathname}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () =>
        res.headers['content-encoding'] === 'gzip' ? resolve(n) : reject(new Error(`${pathname} not gzip`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Entry script and modulepreloads of a built index.html: the JavaScript loaded before anything else. */
function initialScripts(html: string): string[] {
  const entry = [...html.matchAll(/<script type="module" crossorigin src="([^"]+)"/g)].map((m) => m[1] ?? '');
  const preload = [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  return [...entry, ...preload];
}

/** A minimal React 18 page built by the same vite: where any React UI starts. */
async function minimalReactBytes(): Promise<number> {
  // Inside the project (node_modules/.cache), so that 'react' resolves from its node_modules.
  const root = path.resolve('node_modules/.cache/deskpulse-bench-minimal-react');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await writeFile(
    path.join(root, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  await writeFile(
    path.join(root, 'main.tsx'),
    "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(<p>Hello</p>);\n",
  );
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [react()],
    build: { outDir: path.join(root, 'dist'), target: 'es2022', modulePreload: { polyfill: false } },
  });
  let total = 0;
  for (const f of await readdir(path.join(root, 'dist/assets'))) {
    if (f.endsWith('.js'))
      total += gzipSync(await readFile(path.join(root, 'dist/assets', f)), { level: 9 }).length;
  }
  await rm(root, { recursive: true, force: true });
  return total;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-bench-dashboard-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DESKPULSE_DATA_DIR: path.join(dir, 'data'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  const server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: 'ignore' });
  const browser = await launchChromium();
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 1200) throw new Error('deskpulse serve did not become ready in 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    // First-run setup, then the four sandbox helpdesks by token, each refreshed to the end.
    const setup = await fetch(`${base}/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ workspaceName: 'Bench', name: 'Bench', ...OWNER }),
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
    const cookie = setup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const headers = { cookie, origin: base, 'content-type': 'application/json' };
    for (const id of PROVIDER_IDS) {
      const res = await fetch(`${base}/integrations/${id}/token`, {
        method: 'POST',
        headers,
        body: JSON.stringify(providers[id].sandbox.tokenBody),
      });
      if (res.status !== 200) throw new Error(`${id} token connect answered ${res.status}`);
      const { refreshId } = (await (
        await fetch(`${base}/integrations/${id}/refresh`, { method: 'POST', headers })
      ).json()) as { refreshId: string };
      for (;;) {
        const r = (await (await fetch(`${base}/refreshes/${refreshId}`, { headers })).json()) as {
          state: string;
        };
        if (r.state === 'succeeded') break;
        if (r.state === 'failed') throw new Error(`${id} refresh failed`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }

    // Weight.
    const html = await (await fetch(`${base}/app`)).text();
    let initial = 0;
    for (const src of initialScripts(html)) initial += await gzipBytes(base, src);
    const floor = await minimalReactBytes();

    // Speed: navigation start → every card's value on screen (performance.now() counts from navigation start).
    const cardsShown = async (page: Page) => {
      await page.goto(`${base}/app/`, { waitUntil: 'commit' });
      const handle = await page.waitForFunction(
        () => {
          const values = document.querySelectorAll('.metric-card .metric-value');
          return values.length >= 10 && document.querySelectorAll('.sparkline canvas').length > 0
            ? performance.now()
            : false;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      return (await handle.jsonValue()) as number;
    };
    const dataFloor = (page: Page) =>
      page.evaluate(async () => {
        const t0 = performance.now();
        await Promise.all(
          ['/me', '/setup', '/metrics', '/metrics/history?weeks=12', '/integrations/connections'].map((p) =>
            fetch(p, { cache: 'no-store' }).then((r) => r.text()),
          ),
        );
        return performance.now() - t0;
      });
    const cold: number[] = [];
    const warm: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      await context.request.post(`${base}/auth/sign-in`, { data: OWNER, headers: { origin: base } });
      const page = await context.newPage();
      cold.push(await cardsShown(page));
      warm.push(await cardsShown(page));
      floorMs.push(await dataFloor(page));
      await context.close();
    }

    const c = median(cold);
    const w = median(warm);
    const f = median(floorMs);
    console.log(`dashboard bench (${RUNS} runs, medians; four sandbox helpdesks connected)`);
    console.log(
      `  initial JS (gzip):     ${kb(initial)}   budget 150 KB   minimal React page ${kb(floor)}   ratio ${(initial / floor).toFixed(2)}×   ${initial <= 150 * 1024 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  overview cold:         ${c.toFixed(0)} ms   API data floor ${f.toFixed(0)} ms   ratio ${(c / f).toFixed(1)}×`,
    );
    console.log(
      `  overview warm:         ${w.toFixed(0)} ms   budget 1000 ms   API data floor ${f.toFixed(0)} ms   ratio ${(w / f).toFixed(1)}×   ${w <= 1000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await browser.close();
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
