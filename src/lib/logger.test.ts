import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from './logger.ts';

const LOGGER = fileURLToPath(new URL('./logger.ts', import.meta.url));

describe('redactSecrets', () => {
  it('replaces credential-named fields at any depth and keeps the rest', () => {
    const out = redactSecrets({
      headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'json' },
      provider: { access_token: 'at', refresh_token: 'rt', nested: [{ client_secret: 'cs', apiKey: 'k' }] },
      password: 'p',
      count: 3,
    });
    expect(out).toEqual({
      headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'json' },
      provider: {
        access_token: '[redacted]',
        refresh_token: '[redacted]',
        nested: [{ client_secret: '[redacted]', apiKey: '[redacted]' }],
      },
      password: '[redacted]',
      count: 3,
    });
  });

  it('applies to every log line', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }),
    });
    logger.info({ token: 'SECRET-VALUE-1', ok: true }, 'hello');
    expect(lines.join('')).not.toContain('SECRET-VALUE-1');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'info',
      msg: 'hello',
      ok: true,
      token: '[redacted]',
    });
  });
});

describe('bufferedStderr', () => {
  it('writes every line in order, across turns of the event loop and up to an uncaught exception', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deskpulse-logger-'));
    const script = path.join(dir, 'log.mts');
    // 1,000 lines over ten turns, then 500 more in the turn that throws: the last ones never see a next turn.
    await writeFile(
      script,
      `import { bufferedStderr, createLogger } from ${JSON.stringify(LOGGER)};
       const logger = createLogger({ level: 'info', destination: bufferedStderr() });
       let n = 0;
       for (let turn = 0; turn < 10; turn++) {
         for (let i = 0; i < 100; i++) logger.info({ n: n++ }, 'line');
         await new Promise((r) => setImmediate(r));
       }
       for (let i = 0; i < 500; i++) logger.info({ n: n++ }, 'line');
       throw new Error('the end');`,
    );
    try {
      const stderr = await new Promise<string>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd() }, (_err, _out, err) =>
          resolve(err),
        );
      });
      const numbers = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { n: number }).n);
      expect(numbers).toEqual(Array.from({ length: 1500 }, (_, i) => i));
      expect(stderr).toContain('the end');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
