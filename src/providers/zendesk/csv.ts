import { column, RowValues } from '../../metrics/import-values.ts';
import { ImportFileError, type CsvFormat, type Header } from '../../metrics/imports.ts';

/*
 * Zendesk's account "CSV export" (https://support.zendesk.com/hc/en-us/articles/4408886165402): one row per
 * ticket, times in the account's timezone without an offset and without seconds, emailed as a zip of
 * `export_…_N.csv` parts. Its date range filters on update time, so consecutive exports overlap (the pipeline
 * counts a ticket once).
 */

// Statuses in the export's display case; New…On-hold are unsolved (open now), Solved and Closed are closed.
const STATUS = {
  new: 'open',
  open: 'open',
  pending: 'open',
  'on-hold': 'open',
  hold: 'open',
  solved: 'closed',
  closed: 'closed',
} as const;

// Legacy CSAT as the export shows it; `Offered` and `Not Offered` are not ratings.
const SCORE = {
  good: true,
  bad: false,
  offered: null,
  'not offered': null,
  unoffered: null,
  '': null,
} as const;

export const zendeskCsv: CsvFormat = {
  id: 'zendesk',
  helpdesk: 'zendesk',
  label: 'Zendesk account CSV export',
  signature: ['id', 'created at', 'satisfaction score', 'first reply time in minutes'],
  required: [
    'id',
    'created at',
    'updated at',
    'solved at',
    'status',
    'assignee',
    'satisfaction score',
    'replies',
    'reopens',
    'first reply time in minutes',
  ],
  docUrl: 'https://support.zendesk.com/hc/en-us/articles/4408886165402',
  begin({ timezone }) {
    if (timezone === null) {
      throw new ImportFileError(
        'missing_timezone',
        "a Zendesk export writes times in the account's timezone without saying which: give that timezone " +
          "(Admin Center → Account → Localization) as the import's timezone (timezone=America/New_York in the " +
          'API, --timezone in the CLI, "Timezone of the file" in the dashboard)',
      );
    }
    return {
      part(header: Header) {
        const c = (name: string) => column(header, name, 'Zendesk');
        const col = {
          id: c('id'),
          created: c('created at'),
          updated: c('updated at'),
          solved: c('solved at'),
          status: c('status'),
          assignee: c('assignee'),
          score: c('satisfaction score'),
          replies: c('replies'),
          reopens: c('reopens'),
          firstReply: c('first reply time in minutes'),
        };
        const v = new RowValues(header, 'Zendesk');
        return {
          row(fields, _line, sink) {
            v.fields = fields;
            const id = v.id(col.id);
            const createdAt = v.timestamp(col.created, timezone) as number;
            const updatedAt = v.timestamp(col.updated, timezone, true);
            const state = v.oneOf(col.status, STATUS, 'a Zendesk ticket status (New … Closed)');
            const solvedAt = v.timestamp(col.solved, timezone, true);
            const minutes = v.duration(col.firstReply);
            const replies = v.count(col.replies) as number;
            const reopens = v.count(col.reopens) as number;
            const good = v.oneOf(col.score, SCORE, 'a satisfaction score (Good, Bad, Offered, Not Offered)');
            const assignee = v.raw(col.assignee);
            const closed = state === 'closed';
            // The export names agents, not their ids: the name is the agent's id here.
            const agent = assignee === '' ? null : { id: assignee, name: assignee };
            sink.ticket({
              id,
              createdAt,
              updatedAt,
              // Whole minutes only (stated in the metric's notes).
              firstReplyAt: minutes === null ? null : createdAt + minutes * 60_000,
              closedNowAt: closed ? solvedAt : null,
              open: !closed,
              oneTouch: closed && replies === 1 && reopens === 0,
              aiResolved: false,
              assignee: agent,
              // The export has no rating time; the ticket's last update stands in (stated in the notes).
              rating: good === null ? null : { at: updatedAt ?? createdAt, positive: good, score: null },
            });
            // The date range filters on update time: every ticket updated since the earliest update is in.
            if (updatedAt !== null) sink.cover(updatedAt);
            return null;
          },
        };
      },
      finish() {},
      caps: () => ({ csatMeanScore: false, deflectionRate: false }),
      reasons: () => ({}),
      notes: () => ({
        firstResponseSeconds: "from Zendesk's whole minutes (First reply time in minutes)",
        firstResponseP90Seconds: "from Zendesk's whole minutes (First reply time in minutes)",
        csat: 'ratings counted by their ticket’s last update: the export has no rating time',
      }),
    };
  },
};
