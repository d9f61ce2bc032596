import { describe, expect, it } from 'vitest';
import type { ImportedTicket } from '../metrics/imports.ts';
import { CHUNK_TICKETS, LedgerChunk, LedgerWriter } from './ledger.ts';

const ticket = (i: number): ImportedTicket => ({
  id: `t${i}`,
  createdAt: 1_790_000_000_000 + i * 1000,
  updatedAt: i % 3 === 0 ? null : 1_790_000_100_000 + i,
  firstReplyAt: i % 2 === 0 ? 1_790_000_000_000 + i * 1000 + 61_500 : null,
  closedNowAt: i % 4 === 0 ? 1_790_000_500_000 : null,
  open: i % 4 !== 0,
  oneTouch: i % 8 === 0,
  aiResolved: i % 16 === 0,
  assignee: i % 5 === 0 ? null : { id: `a${i % 7}`, name: `Agent ${i % 7}` },
  rating: i % 6 === 0 ? { at: 1_790_000_600_000, positive: i % 12 === 0, score: (i % 5) + 1 } : null,
});

describe('the ticket digest', () => {
  it('reads back every number of every ticket, across chunk boundaries, and re-indexes agents on copy', () => {
    const chunks: Uint8Array[] = [];
    const writer = new LedgerWriter((bytes) => chunks.push(bytes));
    const n = CHUNK_TICKETS + 10;
    for (let i = 0; i < n; i++) writer.add(i, i + 1, ticket(i));
    writer.flush();
    expect(chunks).toHaveLength(2);
    expect(writer.written).toBe(n);
    const back: ImportedTicket[] = [];
    for (const bytes of chunks) {
      // As Postgres returns it: a view into a larger, unaligned buffer.
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 3);
      const chunk = new LedgerChunk(shifted.subarray(3));
      for (let i = 0; i < chunk.size; i++) back.push(chunk.ticket(i, writer.agents));
    }
    expect(back).toEqual(Array.from({ length: n }, (_, i) => ({ ...ticket(i), id: '' })));

    const other = new LedgerWriter(() => undefined);
    other.agent({ id: 'zz', name: 'Someone else' });
    const first = new LedgerChunk(chunks[0] as Uint8Array);
    other.copy(first, 1, writer.agents);
    expect(other.agents.map((a) => a.id)).toEqual(['zz', 'a1']);
  });

  it('refuses bytes that are not a chunk', () => {
    expect(() => new LedgerChunk(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a ledger chunk/);
  });
});
