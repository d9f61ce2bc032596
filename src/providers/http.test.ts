import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callProvider, sanitizeDetail } from './http.ts';
import { Pacer, retryAfterMs } from './pacer.ts';
import type { ProviderContext } from './types.ts';

const now = 1_800_000_000_000;

describe('retryAfterMs', () => {
  it('reads Retry-After seconds and HTTP dates, then reset headers', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': String((now + 5000) / 1000) }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': new Date(now + 4000).toISOString() }), now)).toBe(
      4000,
    );
    expect(retryAfterMs(new Headers(), now)).toBe(60_000);
  });
});

describe('Pacer', () => {
  it('waits for the reset once the budget is spent, and only then', async () => {
    const pacer = new Pacer();
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    pacer.note(
      new Headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String((now + 9000) / 1000) }),
      now,
    );
    await pacer.wait(sleep, now);
    expect(slept).toEqual([]);
    pacer.note(new Headers({ 'x-rate-limit-remaining': '0', 'ratelimit-reset': '4' }), now);
    await pacer.wait(sleep, now);
    expect(slept).toEqual([4000]);
    expect(pacer.waits).toBe(1);
  });
});

describe('sanitizeDetail', () => {
  it('removes the credential and bearer-looking strings and caps the length', () => {
    expect(sanitizeDetail('token abc123secret rejected', ['abc123secret'])).toBe('token [redacted] rejected');
    expect(sanitizeDetail('Authorization: Bearer eyJhbGciOiJI.payload.sig')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(sanitizeDetail('x'.repeat(500))).toHaveLength(301);
  });
});

describe('callProvider onResponse', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  /** A real HTTP server on 127.0.0.1 that answers the given statuses in order (429s ask for no wait). */
  async function answering(statuses: number[]): Promise<string> {
    let i = 0;
    server = createServer((_req, res) => {
      const status = statuses[Math.min(i++, statuses.length - 1)] ?? 500;
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 429 ? { 'retry-after': '0' } : {}),
      });
      res.end(JSON.stringify({ ok: status < 400 }));
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  }

  const context = (seen: (number | 'network')[]): ProviderContext => ({
    endpoints: { authorizeUrl: undefined, tokenUrl: undefined, apiBaseUrl: 'http://unused' },
    params: {},
    fetch,
    onResponse: (status) => seen.push(status),
  });

  it('reports every answer, including each 429 it waits out', async () => {
    const url = await answering([429, 429, 200]);
    const seen: (number | 'network')[] = [];
    const result = await callProvider(context(seen), { url, schema: z.object({ ok: z.boolean() }) });
    expect(result).toEqual({ ok: true, value: { ok: true } });
    expect(seen).toEqual([429, 429, 200]);
  });

  it('reports error statuses once and network failures as network', async () => {
    const url = await answering([503]);
    const seen: (number | 'network')[] = [];
    const failed = await callProvider(context(seen), { url, schema: z.unknown() });
    expect(failed.ok).toBe(false);
    expect(seen).toEqual([503]);

    // Nothing listens on the port once the server is closed: a connection refusal.
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const refused = await callProvider(context(seen), { url, schema: z.unknown() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'upstream_unavailable' } });
    expect(seen).toEqual([503, 'network']);
  });

  it('reports a timeout as network', async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
    const seen: (number | 'network')[] = [];
    const result = await callProvider(context(seen), { url, schema: z.unknown(), timeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream_unavailable' } });
    expect(seen).toEqual(['network']);
    server.closeAllConnections();
  });
});
