import { column, RowValues } from '../../metrics/import-values.ts';
import { ImportFileError, type CsvFormat, type Header, type ImportedTicket } from '../../metrics/imports.ts';
import type { MetricKey } from '../../metrics/types.ts';

/*
 * Intercom's reporting "Conversation" dataset export (https://www.intercom.com/help/en/articles/7022438 and
 * https://developers.intercom.com/docs/references/rest-api/api.intercom.io/reporting-data-export): one row per
 * conversation; every timestamp header names its timezone, `Conversation started at (America/New_York)`, and its
 * values are local to it; durations are seconds. The separate CSAT export (one row per rating) joins on
 * `Conversation ID`. The file may come gzipped (the download API serves gzip).
 */

const STATE = { open: true, snoozed: true, closed: false } as const;
const RATING = { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '': null } as const;
// Fin's states that mean "resolved without a teammate", as the API's `ai_agent.resolution_state` reports them
// (src/providers/intercom/metrics.ts); the export writes them in words.
const FIN_RESOLVED = new Set([
  'assumed resolved',
  'confirmed resolved',
  'assumed_resolution',
  'confirmed_resolution',
]);

/** The timezone a part's timestamps are in: its headers' suffix, else the parameter. */
function zoneOf(header: Header, columns: number[], given: string | null): string {
  for (const i of columns) {
    const z = i >= 0 ? header.timezoneOf(i) : null;
    if (z) return z;
  }
  if (given) return given;
  throw new ImportFileError(
    'missing_timezone',
    'the Intercom export\'s time headers name no timezone (like "(America/New_York)"): pass it (timezone=…)',
  );
}

export const intercomCsv: CsvFormat = {
  id: 'intercom',
  helpdesk: 'intercom',
  label: 'Intercom reporting export (Conversation dataset, optionally with the CSAT export)',
  signature: ['conversation id', 'current conversation state', 'first response time (seconds)'],
  altSignature: ['conversation id', 'updated at', 'conversation rating'],
  required: [
    'conversation id',
    'conversation created at (<timezone>) or conversation started at (<timezone>)',
    'current conversation state',
    'first response time (seconds)',
  ],
  docUrl: 'https://www.intercom.com/help/en/articles/7022438-reporting-metrics-attributes',
  begin({ timezone }) {
    // Held until every part is read: a CSAT export, before or after in the zip, rates these conversations.
    const conversations = new Map<string, ImportedTicket>();
    const ratings = new Map<string, { at: number; score: number }>();
    let hasCsatFile = false;
    let hasConversations = false;
    let hasFin = false;
    let hasOneTouch = false;
    return {
      part(header: Header, name: string) {
        const v = new RowValues(header, 'Intercom');
        if (header.index('conversation rating') >= 0 && header.index('current conversation state') < 0) {
          hasCsatFile = true;
          const col = {
            id: column(header, 'conversation id', 'Intercom CSAT'),
            at: column(header, 'updated at', 'Intercom CSAT'),
            rating: column(header, 'conversation rating', 'Intercom CSAT'),
          };
          const zone = zoneOf(header, [col.at], timezone);
          return {
            row(fields) {
              v.fields = fields;
              const id = v.id(col.id);
              const at = v.timestamp(col.at, zone) as number;
              const score = v.oneOf(col.rating, RATING, 'a rating from 1 to 5');
              // One rating a conversation in the digest: the latest.
              if (score !== null && (ratings.get(id)?.at ?? -Infinity) <= at) ratings.set(id, { at, score });
              return null;
            },
          };
        }
        hasConversations = true;
        const created =
          header.index('conversation created at') >= 0
            ? 'conversation created at'
            : 'conversation started at';
        const c = (n: string) => column(header, n, `Intercom (${name})`);
        const col = {
          id: c('conversation id'),
          created: c(created),
          state: c('current conversation state'),
          reply: c('first response time (seconds)'),
          updated: header.index('conversation updated at'),
          closed: header.index('conversation last closed at'),
          assignee: header.index('teammate currently assigned'),
          assigneeId: header.index('teammate currently assigned id'),
          rating: header.index('last teammate rating'),
          firstContact: header.index('resolved on first contact'),
          fin: header.index('fin ai agent resolution state'),
        };
        hasFin ||= col.fin >= 0;
        hasOneTouch ||= col.firstContact >= 0;
        const zone = zoneOf(header, [col.created, col.updated, col.closed], timezone);
        const at = (i: number) => (i < 0 ? null : v.timestamp(i, zone, true));
        return {
          row(fields, _line, sink) {
            v.fields = fields;
            const id = v.id(col.id);
            // The first row of a conversation stands, as the de-duplication of every format keeps the first.
            if (conversations.has(id)) {
              sink.duplicate();
              return null;
            }
            const createdAt = v.timestamp(col.created, zone) as number;
            const open = v.oneOf(col.state, STATE, 'open, snoozed or closed');
            const seconds = v.duration(col.reply);
            const updatedAt = at(col.updated);
            const closedAt = at(col.closed);
            const score = col.rating < 0 ? null : v.oneOf(col.rating, RATING, 'a rating from 1 to 5');
            const name = col.assignee < 0 ? '' : v.raw(col.assignee);
            const agentId = col.assigneeId < 0 ? name : v.raw(col.assigneeId) || name;
            const fin = col.fin < 0 ? '' : v.raw(col.fin).toLowerCase();
            conversations.set(id, {
              id,
              createdAt,
              updatedAt,
              firstReplyAt: seconds === null ? null : createdAt + seconds * 1000,
              closedNowAt: open ? null : closedAt,
              open,
              oneTouch: !open && col.firstContact >= 0 && v.flag(col.firstContact) === true,
              aiResolved: !open && FIN_RESOLVED.has(fin) && seconds === null,
              assignee: agentId === '' ? null : { id: agentId, name: name || agentId },
              // Without the CSAT export the rating's time is the conversation's last update.
              rating: score === null ? null : { at: updatedAt ?? createdAt, positive: score >= 4, score },
            });
            sink.cover(createdAt);
            return null;
          },
        };
      },
      finish(sink) {
        if (!hasConversations) {
          throw new ImportFileError(
            'no_rows',
            "this is Intercom's CSAT export alone: it rates conversations, and needs the Conversation export " +
              'beside it (both files in one upload, or in one zip)',
          );
        }
        for (const t of conversations.values()) {
          const r = ratings.get(t.id);
          if (hasCsatFile) t.rating = r ? { at: r.at, positive: r.score >= 4, score: r.score } : null;
          sink.ticket(t);
        }
        // The fold that follows needs neither.
        conversations.clear();
        ratings.clear();
      },
      caps() {
        const unsupported: Partial<Record<MetricKey, string>> = {};
        if (!hasFin) unsupported.deflectionRate = 'the export has no "Fin AI Agent resolution state" column';
        if (!hasOneTouch) unsupported.oneTouchRate = 'the export has no "Resolved on first contact" column';
        return { csatMeanScore: true, deflectionRate: true, unsupported };
      },
      reasons: () => ({}),
      notes: (): Partial<Record<MetricKey, string>> =>
        hasCsatFile
          ? {}
          : {
              csat: 'ratings counted by their conversation’s last update: upload the CSAT export for their times',
            },
    };
  },
};
