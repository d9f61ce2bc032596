import type { ConversationFacts, RatingFact } from '../metrics/calculator.ts';
import type { ImportedTicket } from '../metrics/imports.ts';

/*
 * An import source's per-ticket digest: the numbers the metrics need and a 64-bit key per ticket, packed
 * column by column in chunks of up to CHUNK_TICKETS (~0.9 MB), so a later import can count a ticket in both
 * exports once and a million tickets cost ~54 MB in Postgres and one chunk in memory. No text of any row is in it: agents are
 * an index into the source's agent list.
 *
 * Chunk layout (little-endian): "DPL1", n (u32), then createdAt, updatedAt, firstReplyAt, closedNowAt, ratingAt
 * (f64 × n each, NaN = none), keyHi, keyLo, agent (u32 × n each, agent 0 = unassigned, else index + 1), score
 * (i8 × n, 0 = none), flags (u8 × n).
 */
export const CHUNK_TICKETS = 16_384;
const MAGIC = 0x314c5044; // "DPL1"
const HEADER = 8;

const OPEN = 1;
const ONE_TOUCH = 2;
const AI_RESOLVED = 4;
const RATED = 8;
const POSITIVE = 16;

const sizeOf = (n: number) => HEADER + n * (5 * 8 + 3 * 4 + 2);

interface Columns {
  created: Float64Array;
  updated: Float64Array;
  reply: Float64Array;
  closed: Float64Array;
  rated: Float64Array;
  hi: Uint32Array;
  lo: Uint32Array;
  agent: Uint32Array;
  score: Int8Array;
  flags: Uint8Array;
}

function columnsOf(buffer: ArrayBufferLike, n: number, offset = 0): Columns {
  let at = offset + HEADER;
  const f64 = () => {
    const a = new Float64Array(buffer, at, n);
    at += 8 * n;
    return a;
  };
  const u32 = () => {
    const a = new Uint32Array(buffer, at, n);
    at += 4 * n;
    return a;
  };
  const created = f64();
  const updated = f64();
  const reply = f64();
  const closed = f64();
  const rated = f64();
  const hi = u32();
  const lo = u32();
  const agent = u32();
  const score = new Int8Array(buffer, at, n);
  const flags = new Uint8Array(buffer, at + n, n);
  return { created, updated, reply, closed, rated, hi, lo, agent, score, flags };
}

const orNaN = (v: number | null) => (v === null ? NaN : v);
const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** Packs tickets into chunks; `onChunk` gets each full chunk (and the last, on `flush`). */
export class LedgerWriter {
  private buffer = new ArrayBuffer(sizeOf(CHUNK_TICKETS));
  private cols = columnsOf(this.buffer, CHUNK_TICKETS);
  private n = 0;
  private readonly agentIndex = new Map<string, number>();
  readonly agents: { id: string; name: string }[] = [];
  written = 0;

  constructor(private readonly onChunk: (bytes: Uint8Array, tickets: number) => void) {}

  /** The 1-based index of an agent in this ledger's agent list (0: unassigned). */
  agent(a: { id: string; name: string } | null): number {
    if (a === null) return 0;
    let i = this.agentIndex.get(a.id);
    if (i === undefined) {
      this.agents.push(a);
      this.agentIndex.set(a.id, (i = this.agents.length));
    }
    return i;
  }

  add(hi: number, lo: number, t: ImportedTicket): void {
    const c = this.cols;
    const i = this.n;
    c.hi[i] = hi;
    c.lo[i] = lo;
    c.created[i] = t.createdAt;
    c.updated[i] = orNaN(t.updatedAt);
    c.reply[i] = orNaN(t.firstReplyAt);
    c.closed[i] = orNaN(t.closedNowAt);
    c.rated[i] = t.rating === null ? NaN : t.rating.at;
    c.agent[i] = this.agent(t.assignee);
    c.score[i] = t.rating?.score ?? 0;
    c.flags[i] =
      (t.open ? OPEN : 0) |
      (t.oneTouch ? ONE_TOUCH : 0) |
      (t.aiResolved ? AI_RESOLVED : 0) |
      (t.rating === null ? 0 : RATED | (t.rating.positive ? POSITIVE : 0));
    if (++this.n === CHUNK_TICKETS) this.flush();
  }

  /** Copies a ticket of another ledger, re-indexing its agent into this one's list. */
  copy(from: LedgerChunk, i: number, agents: readonly { id: string; name: string }[]): void {
    this.add(from.hi(i), from.lo(i), from.ticket(i, agents));
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const out = new Uint8Array(sizeOf(n));
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, n, true);
    const dst = columnsOf(out.buffer, n);
    const src = this.cols;
    for (const k of Object.keys(dst) as (keyof Columns)[]) dst[k].set(src[k].subarray(0, n));
    this.written += n;
    this.n = 0;
    this.onChunk(out, n);
  }
}

/** One chunk read back: its tickets as facts for the calculator. */
export class LedgerChunk {
  readonly size: number;
  readonly columns: Columns;
  private readonly c: Columns;

  constructor(bytes: Uint8Array) {
    // Typed arrays need their offsets aligned: small Buffers sit at any offset of a shared pool (and
    // Buffer#slice would not copy), so those are copied; a chunk Postgres hands back on its own is used as is.
    let copy = bytes;
    if (bytes.byteOffset % 8 !== 0 || bytes.byteOffset + bytes.byteLength > bytes.buffer.byteLength) {
      copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
    }
    const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
    if (copy.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) throw new Error('not a ledger chunk');
    this.size = view.getUint32(4, true);
    if (copy.byteLength !== sizeOf(this.size)) throw new Error('ledger chunk of the wrong size');
    this.c = columnsOf(copy.buffer, this.size, copy.byteOffset);
    this.columns = this.c;
  }

  hi(i: number): number {
    return this.c.hi[i] as number;
  }

  lo(i: number): number {
    return this.c.lo[i] as number;
  }

  /** The ticket back as an ImportedTicket (its id is not kept: only its key). */
  ticket(i: number, agents: readonly { id: string; name: string }[]): ImportedTicket {
    const c = this.c;
    const flags = c.flags[i] as number;
    const agent = c.agent[i] as number;
    const rated = orNull(c.rated[i] as number);
    return {
      id: '',
      createdAt: c.created[i] as number,
      updatedAt: orNull(c.updated[i] as number),
      firstReplyAt: orNull(c.reply[i] as number),
      closedNowAt: orNull(c.closed[i] as number),
      open: (flags & OPEN) !== 0,
      oneTouch: (flags & ONE_TOUCH) !== 0,
      aiResolved: (flags & AI_RESOLVED) !== 0,
      assignee: agent === 0 ? null : (agents[agent - 1] ?? null),
      rating:
        rated === null || (flags & RATED) === 0
          ? null
          : { at: rated, positive: (flags & POSITIVE) !== 0, score: (c.score[i] as number) || null },
    };
  }
}

/** Where a chunk's tickets go: the calculator, and the open count (point in time, not windowed). */
export interface TicketFold {
  addConversation(c: ConversationFacts): void;
  addRating(r: RatingFact): void;
  open(createdAt: number): void;
}

/** Feeds every ticket of a chunk to a fold, reusing two objects: a million tickets allocate nothing. */
export function foldChunk(chunk: LedgerChunk, agents: readonly { id: string }[], into: TicketFold): void {
  const conversation: ConversationFacts = {
    createdAt: 0,
    assigneeId: null,
    firstReplyAt: null,
    closedNowAt: null,
    oneTouch: false,
    aiResolved: false,
  };
  const rating: RatingFact = { at: 0, positive: false, score: null, assigneeId: null };
  const c = chunk.columns;
  for (let i = 0; i < chunk.size; i++) {
    const flags = c.flags[i] as number;
    const agent = c.agent[i] as number;
    const assigneeId = agent === 0 ? null : (agents[agent - 1]?.id ?? null);
    conversation.createdAt = c.created[i] as number;
    conversation.assigneeId = assigneeId;
    conversation.firstReplyAt = orNull(c.reply[i] as number);
    conversation.closedNowAt = orNull(c.closed[i] as number);
    conversation.oneTouch = (flags & ONE_TOUCH) !== 0;
    conversation.aiResolved = (flags & AI_RESOLVED) !== 0;
    into.addConversation(conversation);
    const rated = c.rated[i] as number;
    if ((flags & RATED) !== 0 && !Number.isNaN(rated)) {
      rating.at = rated;
      rating.positive = (flags & POSITIVE) !== 0;
      rating.score = (c.score[i] as number) || null;
      rating.assigneeId = assigneeId;
      into.addRating(rating);
    }
    if ((flags & OPEN) !== 0) into.open(conversation.createdAt);
  }
}
