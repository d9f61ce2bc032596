import { stringify } from 'csv-stringify/sync';
import type { Dataset, DatasetConversation } from '../dataset/types.ts';
import { wallClock } from '../shared/wall-clock.ts';
import { threadId } from './threads.ts';

/**
 * Plain has no CSV export (its GraphQL schema, plain-schema.graphql, has import jobs only), so Plain users
 * fill in the generic template of docs/csv-import.md. This writes that template from the dataset, one row
 * per thread of the emulator (threads.ts), so an import of it can be checked against the ground truth.
 */

export const GENERIC_TEMPLATE_COLUMNS = [
  'id',
  'created_at',
  'status',
  'first_response_seconds',
  'closed_at',
  'assignee',
  'agent_replies',
  'reopens',
  'rating',
  'rated_at',
  'ai_resolved',
  'updated_at',
] as const;
type Column = (typeof GENERIC_TEMPLATE_COLUMNS)[number];

export interface GenericTemplateOptions {
  /** true (default): ISO 8601 in UTC with `Z`; false: `YYYY-MM-DD HH:MM:SS` wall-clock time in `timezone`. */
  offsets?: boolean | undefined;
  /** Only with `offsets: false`. Default `Etc/UTC`. */
  timezone?: string | undefined;
}

function timestamp(ms: number | null, o: GenericTemplateOptions): string {
  if (ms === null) return '';
  if (o.offsets === false) return wallClock(ms, o.timezone ?? 'Etc/UTC', 'yyyy-MM-dd HH:mm:ss');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function templateRow(
  c: DatasetConversation,
  agentNames: ReadonlyMap<string, string>,
  o: GenericTemplateOptions,
) {
  const row: Record<Column, string> = {
    id: threadId(c.id),
    created_at: timestamp(c.createdAt, o),
    status: c.status,
    first_response_seconds:
      c.firstAgentReplyAt === null ? '' : String((c.firstAgentReplyAt - c.createdAt) / 1000),
    closed_at: timestamp(c.status === 'closed' ? c.closedAt : null, o),
    assignee: c.assigneeId === null ? '' : (agentNames.get(c.assigneeId) ?? ''),
    agent_replies: String(c.agentReplies),
    reopens: String(c.reopens),
    rating: c.rating === null ? '' : String(c.rating.score),
    rated_at: timestamp(c.rating?.ratedAt ?? null, o),
    ai_resolved: String(c.aiResolved),
    updated_at: timestamp(c.updatedAt, o),
  };
  return GENERIC_TEMPLATE_COLUMNS.map((col) => row[col]);
}

/** Threads of customers marked as spam are left out: whoever fills in the template skips what no metric counts. */
export function genericTemplateExport(d: Dataset, o: GenericTemplateOptions = {}): string {
  const agentNames = new Map(d.agents.map((a) => [a.id, a.name]));
  const rows = d.conversations.filter((c) => !c.spam).map((c) => templateRow(c, agentNames, o));
  return stringify([[...GENERIC_TEMPLATE_COLUMNS], ...rows]);
}

/**
 * The downloadable example (`GET /imports/template.csv`): a conversation answered once and rated, one still
 * waiting, and one the AI agent closed, with a timestamp carrying a non-UTC offset.
 */
export const TEMPLATE_EXAMPLE = [
  GENERIC_TEMPLATE_COLUMNS.join(','),
  'T-1001,2026-11-16T09:12:00Z,closed,840,2026-11-16T11:02:00Z,Ada Adams,1,0,5,2026-11-16T12:40:00Z,false,2026-11-16T12:40:00Z',
  'T-1002,2026-11-17T14:05:30Z,open,,,Ben Bauer,0,0,,,false,2026-11-17T14:05:30Z',
  'T-1003,2026-11-18T09:47:00+01:00,closed,,2026-11-18T09:52:00+01:00,,0,0,,,true,2026-11-18T09:52:00+01:00',
  '',
].join('\n');
