import { column, RowValues } from '../metrics/import-values.ts';
import type { CsvFormat, Header } from '../metrics/imports.ts';
import type { MetricKey } from '../metrics/types.ts';

/*
 * The generic template (docs/csv-import.md): one row per conversation, for any helpdesk without an export we
 * read, Plain included. Optional columns that are absent make their metrics "not measured", with the reason.
 */

const STATUS = { open: true, snoozed: true, pending: true, closed: false, solved: false } as const;
const RATING = {
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  good: 'good',
  bad: 'bad',
  '': null,
} as const;

export const GENERIC_COLUMNS = [
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

export const genericCsv: CsvFormat = {
  id: 'generic',
  helpdesk: null,
  label: 'Deskpulse generic template (GET /imports/template.csv)',
  signature: ['id', 'created_at', 'status'],
  required: ['id', 'created_at', 'status'],
  docUrl: 'docs/csv-import.md',
  begin({ timezone }) {
    const missing = new Set<string>();
    let scored = false;
    return {
      part(header: Header) {
        const c = (name: string) => column(header, name, 'template');
        const opt = (name: (typeof GENERIC_COLUMNS)[number]) => {
          const i = header.index(name);
          if (i < 0) missing.add(name);
          return i;
        };
        const col = {
          id: c('id'),
          created: c('created_at'),
          status: c('status'),
          reply: opt('first_response_seconds'),
          closed: opt('closed_at'),
          assignee: opt('assignee'),
          replies: opt('agent_replies'),
          reopens: opt('reopens'),
          rating: opt('rating'),
          ratedAt: opt('rated_at'),
          ai: opt('ai_resolved'),
          updated: opt('updated_at'),
        };
        const v = new RowValues(header, 'template');
        const at = (i: number) => (i < 0 ? null : v.timestamp(i, timezone, true));
        return {
          row(fields, _line, sink) {
            v.fields = fields;
            const id = v.id(col.id);
            const createdAt = v.timestamp(col.created, timezone) as number;
            const open = v.oneOf(col.status, STATUS, 'open, snoozed, pending, closed or solved');
            const seconds = col.reply < 0 ? null : v.duration(col.reply);
            const closedAt = at(col.closed);
            const updatedAt = at(col.updated);
            const replies = col.replies < 0 ? null : v.count(col.replies, true);
            const reopens = col.reopens < 0 ? 0 : (v.count(col.reopens, true) ?? 0);
            const rating = col.rating < 0 ? null : v.oneOf(col.rating, RATING, '1 to 5, good or bad');
            const ratedAt = at(col.ratedAt) ?? updatedAt ?? closedAt;
            const name = col.assignee < 0 ? '' : v.raw(col.assignee);
            if (typeof rating === 'number') scored = true;
            sink.ticket({
              id,
              createdAt,
              updatedAt,
              firstReplyAt: seconds === null ? null : createdAt + seconds * 1000,
              closedNowAt: open ? null : closedAt,
              open,
              oneTouch: !open && replies === 1 && reopens === 0,
              aiResolved: !open && col.ai >= 0 && v.flag(col.ai) === true && seconds === null,
              assignee: name === '' ? null : { id: name, name },
              rating:
                rating === null || ratedAt === null
                  ? null
                  : typeof rating === 'number'
                    ? { at: ratedAt, positive: rating >= 4, score: rating }
                    : { at: ratedAt, positive: rating === 'good', score: null },
            });
            sink.cover(createdAt);
            return null;
          },
        };
      },
      finish() {},
      caps() {
        const unsupported: Partial<Record<MetricKey, string>> = {};
        const lacks = (name: string, keys: MetricKey[]) => {
          if (missing.has(name)) for (const k of keys) unsupported[k] = `the file has no ${name} column`;
        };
        lacks('first_response_seconds', ['firstResponseSeconds', 'firstResponseP90Seconds']);
        lacks('agent_replies', ['oneTouchRate']);
        lacks('closed_at', ['oneTouchRate', 'deflectionRate']);
        lacks('ai_resolved', ['deflectionRate']);
        lacks('rating', ['csat', 'csatResponses', 'csatMeanScore']);
        return { csatMeanScore: scored, deflectionRate: true, unsupported };
      },
      reasons: () => ({}),
      notes: () => ({}),
    };
  },
};
