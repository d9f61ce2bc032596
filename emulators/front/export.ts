import { stringify } from 'csv-stringify/sync';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import {
  fakeExtract,
  fakeRemark,
  fakeRequester,
  fakeSubject,
  fakeTags,
  fakePick,
} from '../shared/fake-text.ts';
import { wallClock } from '../shared/wall-clock.ts';
import { activitiesOf, cell, type Activity } from './analytics.ts';

/**
 * The "events" export of Front's Analytics UI: the same activities the API export (analytics.ts) serves,
 * with every column the UI offers. The legacy export doc (`source/includes/_export_format.md` of
 * https://github.com/xdmnl/api-documentation) is followed: `Message date` as `YYYY-MM-DD HH:mm:ss` in the
 * requested timezone, and one row per inbox for a message in several inboxes (same `Activity ID`, different
 * `Inbox`). The importer's side of the contract is docs/csv-import.md.
 */

export interface FrontEventsExportOptions {
  /** The exporting user's timezone: `Message date` is wall-clock time there. */
  timezone: string;
  /** Inboxes every conversation sits in; each activity is repeated once per inbox. Default 1. */
  inboxes?: number | undefined;
  /** Add an automatic acknowledgement (`Autoreply` = true) one second after some conversations start. */
  autoreplies?: boolean | undefined;
  /** `legacy` (default): `YYYY-MM-DD HH:mm:ss`; `iso`: ISO 8601 with the timezone's offset. */
  dateFormat?: 'legacy' | 'iso' | undefined;
}

// `AnalyticsMessagesColumns`, then what `AnalyticsActivitiesColumns` adds, of core-api.json in
// https://github.com/frontapp/front-api-specs. Parameterized columns (Custom Field …) appear by bare name.
export const FRONT_EVENTS_COLUMNS = [
  'Message ID',
  'Segment ID',
  'Conversation ID',
  'Ticket IDs',
  'Segment',
  'Direction',
  'Status',
  'Inbox',
  'Inbox API ID',
  'Inbox at activity time',
  'Inbox API IDs at activity time',
  'Message date',
  'Autoreply',
  'Reaction time',
  'Total reply time',
  'Handle time',
  'Response time',
  'Attributed to',
  'Assignee',
  'Author',
  'Contact name',
  'Contact handle',
  'Account names',
  'From',
  'To',
  'Cc',
  'Bcc',
  'Extract',
  'Tags',
  'Tag API IDs',
  'Message API ID',
  'Conversation API ID',
  'New Conversation',
  'First response',
  'Business hours',
  'Subject',
  'Segment start',
  'Segment end',
  'Segment closed',
  'Last segment activity',
  'Segment cumulative teammates',
  'Ticket status name',
  'Ticket status category',
  'Custom Field',
  'Activity ID',
  'Type',
  'Source',
  'Status at activity time',
  'Previous inbox IDs',
  'Stage resolution time',
  'Replies to resolution',
  'Ticket resolution time',
  'Ticket replies to resolution',
  'Tags at activity time',
  'Tag API IDs at activity time',
  'Tag application duration',
  'Activity API ID',
  'Comment API ID',
  'Message original ID',
  'Account name',
  'Survey rating',
  'Survey comment',
  'Segment contains messages',
  'Added tag',
  'Added tag API ID',
  'Removed tag',
  'Removed tag API ID',
  'Time spent in Ticket Status',
  'Transitions to Ticket Status',
  'Smart QA score',
  'Updated Custom Field',
] as const;

/** The `messages` export's columns: `AnalyticsMessagesColumns`, the first part of the list above. */
export const FRONT_MESSAGES_COLUMNS = FRONT_EVENTS_COLUMNS.slice(
  0,
  FRONT_EVENTS_COLUMNS.indexOf('Custom Field') + 1,
);

export const FRONT_LEGACY_TIME_PATTERN = 'yyyy-MM-dd HH:mm:ss';

const INBOX_NAMES = ['Support', 'Billing', 'Escalations', 'Sales'];
const SUPPORT_ADDRESS = 'support@acme.test';

interface ExportRow {
  activity: Activity;
  autoreply: boolean;
  /** The conversation's first human reply. */
  firstResponse: boolean;
  /** Per activity, shared by its per-inbox copies. */
  activityId: number;
  messageId: number | null;
}

type Draft = Omit<ExportRow, 'activityId' | 'messageId'>;

const isMessage = (a: Activity) => a.type === 'Inbound message' || a.type === 'Outbound reply';

/** About one conversation in three gets an automatic acknowledgement, never after `now`. */
function autoreplyOf(c: DatasetConversation, now: number): Draft | null {
  const at = c.createdAt + 1000;
  if (at > now || !fakePick(c.id, 'autoreply', [true, false, false])) return null;
  const activity: Activity = {
    type: 'Outbound reply',
    conversation: c,
    at,
    segment: 1,
    repliesToResolution: null,
    rating: null,
  };
  return { activity, autoreply: true, firstResponse: false };
}

function conversationDrafts(c: DatasetConversation, now: number, autoreplies: boolean): Draft[] {
  let answered = false;
  const drafts: Draft[] = activitiesOf(c, now).map((activity) => {
    const firstResponse = activity.type === 'Outbound reply' && !answered;
    if (firstResponse) answered = true;
    return { activity, autoreply: false, firstResponse };
  });
  const auto = autoreplies && drafts.length > 0 ? autoreplyOf(c, now) : null;
  if (auto) drafts.splice(1, 0, auto);
  return drafts;
}

/** Every activity oldest first (stable), numbered. */
function exportRows(d: Dataset, autoreplies: boolean): ExportRow[] {
  const drafts = d.conversations
    .flatMap((c) => conversationDrafts(c, d.now, autoreplies))
    .sort((a, b) => a.activity.at - b.activity.at);
  let messages = 0;
  return drafts.map((draft, i) => ({
    ...draft,
    activityId: 1 + i,
    messageId: isMessage(draft.activity) ? ++messages : null,
  }));
}

function inboxOf(i: number): { name: string; id: string } {
  return { name: INBOX_NAMES[i] ?? `Inbox ${i + 1}`, id: `inb_${(0x5c8a + i).toString(36)}` };
}

const conversationNumber = (c: DatasetConversation) => Number(c.id.replace(/\D/g, ''));

function messageCells(row: ExportRow, emails: ReadonlyMap<string, string>): Record<string, string> {
  const { activity: a } = row;
  if (!isMessage(a)) return {};
  const contact = fakeRequester(a.conversation.id).email;
  const inbound = a.type === 'Inbound message';
  const assignee = a.conversation.assigneeId;
  const agent = assignee === null ? SUPPORT_ADDRESS : (emails.get(assignee) ?? SUPPORT_ADDRESS);
  return {
    'Message ID': String(row.messageId),
    'Message API ID': `msg_${(row.messageId ?? 0).toString(36)}`,
    Autoreply: String(row.autoreply),
    'First response': String(row.firstResponse),
    'Response time': row.firstResponse ? String((a.at - a.conversation.createdAt) / 1000) : '',
    From: inbound ? contact : row.autoreply ? SUPPORT_ADDRESS : agent,
    To: inbound ? SUPPORT_ADDRESS : contact,
    Extract: inbound && a.segment === 1 ? fakeExtract(a.conversation.id) : '',
    ...(row.autoreply ? { Author: '', 'Attributed to': '' } : {}),
  };
}

function rowCells(
  row: ExportRow,
  inbox: number,
  emails: ReadonlyMap<string, string>,
  o: FrontEventsExportOptions,
) {
  const { activity: a } = row;
  const c = a.conversation;
  const requester = fakeRequester(c.id);
  const box = inboxOf(inbox);
  const overrides: Record<string, string> = {
    'Activity ID': String(row.activityId),
    'Conversation ID': String(conversationNumber(c)),
    'Segment ID': `${conversationNumber(c)}-${a.segment}`,
    Inbox: box.name,
    'Inbox API ID': box.id,
    'Inbox at activity time': box.name,
    'Inbox API IDs at activity time': box.id,
    Source: 'Email',
    'Contact name': requester.name,
    'Contact handle': requester.email,
    'Account names': requester.company,
    'Account name': requester.company,
    Subject: fakeSubject(c.id),
    Tags: fakeTags(c.id).join(', '),
    'Survey comment': a.type === 'Survey response' ? fakeRemark(c.id) : '',
    ...(o.dateFormat === 'iso'
      ? {}
      : { 'Message date': wallClock(a.at, o.timezone, FRONT_LEGACY_TIME_PATTERN) }),
    ...messageCells(row, emails),
  };
  return FRONT_EVENTS_COLUMNS.map((col) => overrides[col] ?? cell(emails, col, a, o.timezone));
}

export function frontEventsExport(d: Dataset, o: FrontEventsExportOptions): string {
  const emails = new Map(d.agents.map((g) => [g.id, g.email]));
  const inboxes = Math.max(1, Math.floor(o.inboxes ?? 1));
  const records: string[][] = [[...FRONT_EVENTS_COLUMNS]];
  for (const row of exportRows(d, o.autoreplies ?? false)) {
    for (let i = 0; i < inboxes; i++) records.push(rowCells(row, i, emails, o));
  }
  return stringify(records, { record_delimiter: 'windows' });
}

/**
 * The `messages` type of the same export: its columns only (no `Type`, `Activity ID`, survey or resolution
 * columns) and a row per message (per inbox) — no archive, reopen or survey rows.
 */
export function frontMessagesExport(d: Dataset, o: FrontEventsExportOptions): string {
  const emails = new Map(d.agents.map((g) => [g.id, g.email]));
  const inboxes = Math.max(1, Math.floor(o.inboxes ?? 1));
  const keep = FRONT_MESSAGES_COLUMNS.length;
  const records: string[][] = [[...FRONT_MESSAGES_COLUMNS]];
  for (const row of exportRows(d, o.autoreplies ?? false)) {
    if (!isMessage(row.activity)) continue;
    for (let i = 0; i < inboxes; i++) records.push(rowCells(row, i, emails, o).slice(0, keep));
  }
  return stringify(records, { record_delimiter: 'windows' });
}
