import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRunningServer, recordRunningServer } from './data-dir.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('the running servers a data dir records', () => {
  it("keeps each server's record: a second one neither overwrites nor, stopping, removes the first's", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-servers-'));
    dirs.push(dataDir);
    expect(findRunningServer(dataDir)).toBeUndefined();
    const forget = recordRunningServer(dataDir, { url: 'http://127.0.0.1:3000', publicUrl: 'http://a' });
    expect(findRunningServer(dataDir)?.url).toBe('http://127.0.0.1:3000');

    // Another live process records itself on the same data dir, then stops.
    const other = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { recordRunningServer } = await import(${JSON.stringify(path.resolve('src/db/data-dir.ts'))});
         const forget = recordRunningServer(${JSON.stringify(dataDir)}, { url: 'http://127.0.0.1:3011', publicUrl: 'http://b' });
         process.stdout.write('recorded\\n');
         process.stdin.once('data', () => { forget(); process.exit(0); });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise((r) => other.stdout.once('data', r));
    expect(findRunningServer(dataDir)?.url).toBe('http://127.0.0.1:3011');
    other.stdin.write('stop\n');
    await new Promise((r) => other.once('exit', r));
    expect(findRunningServer(dataDir)?.url).toBe('http://127.0.0.1:3000');

    forget();
    expect(findRunningServer(dataDir)).toBeUndefined();

    // The record of a process killed before it could remove it is not a server, and is removed.
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    const stale = path.join(dataDir, 'servers', `${gone.pid}.json`);
    await writeFile(
      stale,
      JSON.stringify({ pid: gone.pid, url: 'http://127.0.0.1:9', publicUrl: 'http://c' }),
    );
    expect(findRunningServer(dataDir)).toBeUndefined();
    expect(existsSync(stale)).toBe(false);
  }, 30_000);
});
