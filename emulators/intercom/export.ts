import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { fakePick, fakeRemark, fakeRequester, fakeSubject, fakeTags } from '../shared/fake-text.ts';
import { wallClockOrEmpty } from '../shared/wall-clock.ts';
import { intercomAdminId, intercomAiAgent, intercomConversationId } from './data.ts';

/**
 * Intercom's Reports export of the "Conversation" dataset and the separate CSAT export, built from the same
 * conversations the API emulator (data.ts) serves. Attribute names are the dataset's labels
 * (https://www.intercom.com/help/en/articles/7022438-reporting-metrics-attributes); timestamp headers end in
 * ` (<IANA timezone>)` and their values are `YYYY-MM-DD HH:MM:SS` local to it, durations are whole seconds,
 * booleans `true`/`false`. The importer's side of the contract is docs/csv-import.md.
 */

export interface IntercomExportOptions {
  /** The timezone chosen for the export: named in every timestamp header. */
  timezone: string;
  /** Conversations started in [startedFrom, startedTo), epoch ms (the dataset's default time attribute). */
  startedFrom?: number | undefined;
  startedTo?: number | undefined;
}

export const INTERCOM_TIME_PATTERN = 'yyyy-MM-dd HH:mm:ss';

/** Columns in export order; `{tz}` marks a timestamp header, replaced by ` (<timezone>)`. */
export const INTERCOM_CONVERSATION_COLUMNS = [
  'Conversation ID',
  'Title',
  'Conversation started at{tz}',
  'Conversation created at{tz}',
  'Conversation updated at{tz}',
  'Conversation first replied at{tz}',
  'Conversation last closed at{tz}',
  'Current conversation state',
  'Channel',
  'Conversation source',
  'Started by',
  'Conversation tag',
  'Teammate currently assigned',
  'Teammate currently assigned ID',
  'Team currently assigned',
  'Teammate first replied',
  'First response time (seconds)',
  'Time to close (seconds)',
  'Number of reassignments',
  'Resolved on first contact',
  'Last teammate rating',
  'Last teammate rating remark',
  'Last teammate rated',
  'Last teammate rated ID',
  'Fin AI Agent involved',
  'Fin AI Agent resolution state',
  'User name',
  'User email',
  'Company name',
] as const;
type Column = (typeof INTERCOM_CONVERSATION_COLUMNS)[number];

export const INTERCOM_CSAT_COLUMNS = [
  'Conversation ID',
  'Updated at{tz}',
  'Conversation rating',
  'Conversation rating remark',
  'Agent rated type',
  'User name',
  'Company name',
  'Last survey sent',
] as const;
type CsatColumn = (typeof INTERCOM_CSAT_COLUMNS)[number];

// The labels the Reports UI shows for `ai_agent.resolution_state`, as public exports of it spell them.
const RESOLUTION_LABEL = {
  confirmed_resolution: 'Confirmed resolved',
  assumed_resolution: 'Assumed resolved',
  escalated: 'Escalated',
} as const;

export function intercomHeaders(columns: readonly string[], timezone: string): string[] {
  return columns.map((c) => c.replace('{tz}', ` (${timezone})`));
}

const seconds = (from: number, to: number | null): string => (to === null ? '' : String((to - from) / 1000));

function teammates(c: DatasetConversation, agentNames: ReadonlyMap<string, string>) {
  const name = c.assigneeId === null ? '' : (agentNames.get(c.assigneeId) ?? '');
  const id = c.assigneeId === null ? '' : intercomAdminId(c.assigneeId);
  const rated = c.rating !== null;
  return {
    'Teammate currently assigned': name,
    'Teammate currently assigned ID': id,
    'Team currently assigned': name === '' ? '' : 'Support',
    'Teammate first replied': c.firstAgentReplyAt === null ? '' : name,
    'Last teammate rated': rated ? name : '',
    'Last teammate rated ID': rated ? id : '',
  };
}

function fin(c: DatasetConversation) {
  const ai = intercomAiAgent(c);
  return {
    'Fin AI Agent involved': String(ai.participated),
    'Fin AI Agent resolution state': ai.resolutionState === null ? '' : RESOLUTION_LABEL[ai.resolutionState],
  };
}

function conversationRow(c: DatasetConversation, agentNames: ReadonlyMap<string, string>, tz: string) {
  const at = (ms: number | null) => wallClockOrEmpty(ms, tz, INTERCOM_TIME_PATTERN);
  const channel = fakePick(c.id, 'channel', ['Chat', 'Chat', 'Chat', 'Email'] as const);
  const requester = fakeRequester(c.id);
  const closed = c.status === 'closed';
  const row: Record<Column, string> = {
    'Conversation ID': intercomConversationId(c.id),
    Title: channel === 'Email' ? fakeSubject(c.id) : '',
    'Conversation started at{tz}': at(c.createdAt),
    'Conversation created at{tz}': at(c.createdAt),
    'Conversation updated at{tz}': at(c.updatedAt),
    'Conversation first replied at{tz}': at(c.firstAgentReplyAt),
    'Conversation last closed at{tz}': at(closed ? c.closedAt : null),
    'Current conversation state': c.status,
    Channel: channel,
    'Conversation source': 'Inbound message',
    'Started by': 'Customer',
    'Conversation tag': fakeTags(c.id).join(', '),
    ...teammates(c, agentNames),
    'First response time (seconds)': seconds(c.createdAt, c.firstAgentReplyAt),
    'Time to close (seconds)': seconds(c.createdAt, closed ? c.closedAt : null),
    'Number of reassignments': '0',
    'Resolved on first contact': String(closed && c.agentReplies === 1 && c.reopens === 0),
    'Last teammate rating': c.rating === null ? '' : String(c.rating.score),
    'Last teammate rating remark': c.rating === null ? '' : fakeRemark(c.id),
    ...fin(c),
    'User name': requester.name,
    'User email': requester.email,
    'Company name': requester.company,
  };
  return INTERCOM_CONVERSATION_COLUMNS.map((col) => row[col]);
}

/** One row per conversation started in the range, spam and deleted ones left out as the API emulator does. */
export function intercomConversationExport(d: Dataset, o: IntercomExportOptions): string {
  const from = o.startedFrom ?? -Infinity;
  const to = o.startedTo ?? Infinity;
  const agentNames = new Map(d.agents.map((a) => [a.id, a.name]));
  const rows = d.conversations
    .filter((c) => !c.spam && c.createdAt >= from && c.createdAt < to)
    .map((c) => conversationRow(c, agentNames, o.timezone));
  return stringify([intercomHeaders(INTERCOM_CONVERSATION_COLUMNS, o.timezone), ...rows]);
}

/** One row per rating, oldest first; `Updated at` is when the customer rated. */
export function intercomCsatExport(d: Dataset, o: { timezone: string }): string {
  const rated = d.conversations
    .filter((c) => !c.spam && c.rating !== null)
    .sort((a, b) => (a.rating?.ratedAt ?? 0) - (b.rating?.ratedAt ?? 0));
  const rows = rated.map((c) => {
    const requester = fakeRequester(c.id);
    const row: Record<CsatColumn, string> = {
      'Conversation ID': intercomConversationId(c.id),
      'Updated at{tz}': wallClockOrEmpty(c.rating?.ratedAt ?? null, o.timezone, INTERCOM_TIME_PATTERN),
      'Conversation rating': String(c.rating?.score ?? ''),
      'Conversation rating remark': fakeRemark(c.id),
      'Agent rated type': 'Teammate',
      'User name': requester.name,
      'Company name': requester.company,
      // Public re-creations of this file leave it blank; its format is unknown.
      'Last survey sent': '',
    };
    return INTERCOM_CSAT_COLUMNS.map((col) => row[col]);
  });
  return stringify([intercomHeaders(INTERCOM_CSAT_COLUMNS, o.timezone), ...rows]);
}

/** The reporting-data download may come gzip-compressed (it starts with `1f 8b`). */
export function gzip(text: string): Uint8Array {
  return new Uint8Array(gzipSync(Buffer.from(text, 'utf8')));
}
