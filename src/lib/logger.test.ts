import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from './logger.ts';

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
