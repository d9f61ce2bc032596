import { describe, expect, it } from 'vitest';
import { livenessProblem } from '../domain/database.ts';
import { isDatabaseUnavailable } from './health.ts';

describe('isDatabaseUnavailable', () => {
  const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
  const sqlstate = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('knows an outage from a refused, reset or dropped connection', () => {
    expect(isDatabaseUnavailable(errno('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(errno('ECONNRESET'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // Node tries every address of a host and reports them together.
    expect(isDatabaseUnavailable(new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')]))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: errno('ECONNREFUSED') }))).toBe(true);
  });

  it('knows the server saying it is going or not there yet', () => {
    expect(
      isDatabaseUnavailable(sqlstate('57P01', 'terminating connection due to administrator command')),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(sqlstate('57P02', 'terminating connection due to crash of another process')),
    ).toBe(true);
    expect(isDatabaseUnavailable(sqlstate('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(sqlstate('08006', 'connection failure'))).toBe(true);
    // pg-boss spreads a worker's error into a plain object and suffixes its message.
    const spread = { ...errno('ECONNREFUSED'), message: 'connect ECONNREFUSED (Queue: q, Worker: w)' };
    expect(isDatabaseUnavailable(spread)).toBe(true);
  });

  it('leaves every other error a bug', () => {
    expect(isDatabaseUnavailable(sqlstate('42P01', 'relation "nope" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(sqlstate('23505', 'duplicate key value violates unique constraint'))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe('livenessProblem', () => {
  const since = new Date('2026-01-01T00:00:00Z');
  const at = (seconds: number) => since.getTime() + seconds * 1000;

  it('is healthy while the database answers, and through an outage up to the limit', () => {
    expect(livenessProblem({ unreachableSince: null, lastError: null }, 30, at(999))).toBeNull();
    expect(livenessProblem({ unreachableSince: since, lastError: 'x' }, 30, at(30))).toBeNull();
  });

  it('fails past the limit, saying for how long', () => {
    expect(livenessProblem({ unreachableSince: since, lastError: 'x' }, 30, at(31.5))).toBe(
      'database unreachable for 31 s (limit 30 s)',
    );
  });
});
