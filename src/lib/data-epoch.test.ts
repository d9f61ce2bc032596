import { describe, expect, it } from 'vitest';
import { mayWrite } from './data-epoch.ts';

describe('mayWrite', () => {
  it('takes reads and transaction framing for reads', () => {
    for (const sql of [
      'select 1',
      '  SELECT * from x',
      '\nselect',
      'begin',
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'rollback',
      'show server_version',
      'set statement_timeout = 0',
    ]) {
      expect(mayWrite(sql), sql).toBe(false);
    }
  });
  it('takes everything else for a write, a commit and a CTE included', () => {
    for (const sql of [
      'insert into x values (1)',
      'update x set a = 1',
      'delete from x',
      'commit',
      'with t as (delete from x returning *) select * from t',
      'truncate x',
      'select pg_advisory_lock(1); update x',
      '',
    ]) {
      expect(mayWrite(sql), sql).toBe(true);
    }
  });
});
