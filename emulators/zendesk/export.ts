import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { TZDate } from '@date-fns/tz';
import { createRandom, type Random } from '../dataset/random.ts';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { fakePick, fakeRequester, fakeSubject, fakeTags } from '../shared/fake-text.ts';
import { wallClock, wallClockOrEmpty } from '../shared/wall-clock.ts';
import { minutes, zendeskStatus, zendeskTicketId } from './data.ts';

/**
 * The account data "CSV export" Zendesk emails as a zip
 * (https://support.zendesk.com/hc/en-us/articles/4408886165402): one row per ticket, deleted tickets left
 * out, rows unordered, every field quoted, times `YYYY-MM-DD HH:MM` in the account's timezone, large exports
 * split into `export_YYYY_MM_DD_<id>_1`, `_2` … parts that each repeat the header. The first columns are the
 * ones public parsers of real files reproduce (`Summation column`, `Id`, `Requester id` …). Values mirror
 * what the API emulator (data.ts) serves for the same ticket; the importer's side of the contract is
 * docs/csv-import.md.
 */

export interface ZendeskExportOptions {
  /** The account's timezone at export time: every timestamp is wall-clock time there. */
  timezone: string;
  /** Zendesk filters the export on update time, not creation: [updatedFrom, updatedTo), epoch ms. */
  updatedFrom?: number | undefined;
  updatedTo?: number | undefined;
  /** Files the rows are split into (each with the header row). Default 1. */
  parts?: number | undefined;
  /** Default `,`; `;` or tab imitate a spreadsheet re-save. */
  delimiter?: string | undefined;
  /** Prefix a UTF-8 byte-order mark. Default false. */
  bom?: boolean | undefined;
  /** Default `\n`. */
  eol?: '\r\n' | '\n' | undefined;
}

export interface ExportPart {
  name: string;
  csv: string;
}

/** The fixed columns in the order real files have them, then one custom field (`[list]`, `-` when empty). */
export const ZENDESK_EXPORT_HEADERS = [
  'Summation column',
  'Id',
  'Requester',
  'Requester id',
  'Requester external id',
  'Requester email',
  'Requester domain',
  'Submitter',
  'Assignee',
  'Group',
  'Subject',
  'Tags',
  'Status',
  'Priority',
  'Via',
  'Ticket type',
  'Created at',
  'Updated at',
  'Assigned at',
  'Organization',
  'Due date',
  'Initially assigned at',
  'Solved at',
  'Resolution time',
  'Satisfaction Score',
  'Group stations',
  'Assignee stations',
  'Reopens',
  'Replies',
  'First reply time in minutes',
  'First reply time in minutes within business hours',
  'First resolution time in minutes',
  'First resolution time in minutes within business hours',
  'Full resolution time in minutes',
  'Full resolution time in minutes within business hours',
  'Agent wait time in minutes',
  'Agent wait time in minutes within business hours',
  'Requester wait time in minutes',
  'Requester wait time in minutes within business hours',
  'On hold time in minutes',
  'On hold time in minutes within business hours',
  'Product area [list]',
] as const;
type Header = (typeof ZENDESK_EXPORT_HEADERS)[number];
type Row = Record<Header, string>;

/** Minutes only: the export has no seconds. */
export const ZENDESK_TIME_PATTERN = 'yyyy-MM-dd HH:mm';

const STATUS_LABEL = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  hold: 'On-hold',
  solved: 'Solved',
  closed: 'Closed',
} as const;

const GROUPS = ['Support', 'Support', 'Billing', 'Tier 2'] as const;
const PRIORITIES = ['', 'Low', 'Normal', 'Normal', 'High', 'Urgent'] as const;
const PRODUCT_AREAS = ['-', '-', 'billing', 'reporting', 'integrations'] as const;

const text = (n: number | null): string => (n === null ? '' : String(n));

/** `Satisfaction Score`, the legacy good/bad CSAT: 4–5 stars → Good, 1–3 → Bad (docs/metrics/zendesk.md). */
function satisfaction(c: DatasetConversation): string {
  if (c.rating === null) return 'Not Offered';
  return c.rating.score >= 4 ? 'Good' : 'Bad';
}

function status(c: DatasetConversation, now: number): string {
  const s = zendeskStatus(c, now);
  if (s === 'deleted') throw new Error(`zendesk export: deleted ticket ${c.id} is not exported`);
  return STATUS_LABEL[s];
}

function people(c: DatasetConversation, agentNames: ReadonlyMap<string, string>) {
  const requester = fakeRequester(c.id);
  return {
    Requester: requester.name,
    'Requester id': String(900_000 + zendeskTicketId(c.id)),
    'Requester external id': '',
    'Requester email': requester.email,
    'Requester domain': requester.email.slice(requester.email.indexOf('@') + 1),
    Submitter: requester.name,
    Assignee: c.assigneeId === null ? '' : (agentNames.get(c.assigneeId) ?? ''),
    Organization: requester.company,
  };
}

function times(c: DatasetConversation, solvedAt: number | null, timezone: string) {
  const at = (ms: number | null) => wallClockOrEmpty(ms, timezone, ZENDESK_TIME_PATTERN);
  const assignedAt = c.assigneeId === null ? null : c.createdAt;
  return {
    'Created at': at(c.createdAt),
    'Updated at': at(c.updatedAt),
    'Assigned at': at(assignedAt),
    'Due date': '',
    'Initially assigned at': at(assignedAt),
    'Solved at': at(solvedAt),
  };
}

/** The same metric-set values as `metricSetJson` in data.ts; business hours equal calendar time there too. */
function durations(c: DatasetConversation, solvedAt: number | null) {
  const reply = minutes(c.createdAt, c.firstAgentReplyAt);
  const resolution = minutes(c.createdAt, solvedAt);
  return {
    'Resolution time': solvedAt === null ? '' : String(Math.round((solvedAt - c.createdAt) / 3_600_000)),
    'First reply time in minutes': text(reply.calendar),
    'First reply time in minutes within business hours': text(reply.business),
    'First resolution time in minutes': text(resolution.calendar),
    'First resolution time in minutes within business hours': text(resolution.business),
    'Full resolution time in minutes': text(resolution.calendar),
    'Full resolution time in minutes within business hours': text(resolution.business),
    'Agent wait time in minutes': text(reply.calendar),
    'Agent wait time in minutes within business hours': text(reply.business),
    'Requester wait time in minutes': text(reply.calendar),
    'Requester wait time in minutes within business hours': text(reply.business),
    'On hold time in minutes': '0',
    'On hold time in minutes within business hours': '0',
  };
}

function ticketRow(
  d: Dataset,
  c: DatasetConversation,
  agentNames: ReadonlyMap<string, string>,
  tz: string,
): Row {
  const solvedAt = c.status === 'closed' ? c.closedAt : null;
  return {
    'Summation column': '1',
    Id: String(zendeskTicketId(c.id)),
    ...people(c, agentNames),
    Group: fakePick(c.id, 'group', GROUPS),
    Subject: fakeSubject(c.id),
    Tags: fakeTags(c.id).join(' '),
    Status: status(c, d.now),
    Priority: fakePick(c.id, 'priority', PRIORITIES),
    Via: 'Native Messaging',
    'Ticket type': '',
    ...times(c, solvedAt, tz),
    ...durations(c, solvedAt),
    'Satisfaction Score': satisfaction(c),
    'Group stations': '1',
    'Assignee stations': c.assigneeId === null ? '0' : '1',
    Reopens: String(c.reopens),
    Replies: String(c.agentReplies),
    'Product area [list]': fakePick(c.id, 'product-area', PRODUCT_AREAS),
  };
}

function shuffle<T>(items: T[], rng: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** `parts` near-equal slices, none empty unless there are no rows at all. */
function split<T>(rows: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(Math.floor(parts), rows.length));
  return Array.from({ length: count }, (_, i) =>
    rows.slice(Math.floor((i * rows.length) / count), Math.floor(((i + 1) * rows.length) / count)),
  );
}

function exportedTickets(d: Dataset, o: ZendeskExportOptions): DatasetConversation[] {
  const from = o.updatedFrom ?? -Infinity;
  const to = o.updatedTo ?? Infinity;
  return d.conversations.filter((c) => !c.spam && c.updatedAt >= from && c.updatedAt < to);
}

export function zendeskCsvExport(d: Dataset, o: ZendeskExportOptions): ExportPart[] {
  const rng = createRandom(d.seed);
  const exportId = rng.int(0, 0xffffff).toString(16).padStart(6, '0');
  const day = wallClock(d.now, o.timezone, 'yyyy_MM_dd');
  const agentNames = new Map(d.agents.map((a) => [a.id, a.name]));
  const rows = shuffle(
    exportedTickets(d, o).map((c) => ticketRow(d, c, agentNames, o.timezone)),
    rng,
  );
  return split(rows, o.parts ?? 1).map((slice, i) => ({
    name: `export_${day}_${exportId}_${i + 1}.csv`,
    csv: stringify(
      [[...ZENDESK_EXPORT_HEADERS], ...slice.map((r) => ZENDESK_EXPORT_HEADERS.map((h) => r[h]))],
      {
        quoted: true,
        quoted_empty: true,
        delimiter: o.delimiter ?? ',',
        record_delimiter: o.eol ?? '\n',
        bom: o.bom ?? false,
      },
    ),
  }));
}

/**
 * The emailed zip: every part deflated. fflate writes the entry's DOS time from the machine's local clock
 * fields, so the date passed is built from the account timezone's wall clock: the bytes are the same on every
 * machine.
 */
export function zendeskZipExport(d: Dataset, o: ZendeskExportOptions): Uint8Array {
  const local = new TZDate(d.now, o.timezone);
  const mtime = new Date(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
  );
  const entries: Zippable = {};
  for (const part of zendeskCsvExport(d, o)) entries[part.name] = [strToU8(part.csv), { level: 6 }];
  return zipSync(entries, { mtime });
}
