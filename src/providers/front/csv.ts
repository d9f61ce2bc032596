import { column, RowValues } from '../../metrics/import-values.ts';
import type { CsvFormat, Header, ImportedTicket } from '../../metrics/imports.ts';
import type { MetricKey } from '../../metrics/types.ts';
import type { ActivityType } from './schemas.ts';

/*
 * Front's analytics export of activities (https://dev.frontapp.com/reference/analytics), as the connected adapter
 * fetches it through the API and as a person downloads it from Front's Analytics page: one row per activity
 * (and per inbox, for a message in several inboxes), replayed per conversation in time order.
 */

export interface FrontActivity {
  type: ActivityType;
  conversationId: string;
  at: number;
  /** Email of the conversation's current assignee; '' when unassigned. */
  assignee: string;
  isNewConversation: boolean;
  segment: number | null;
  repliesToResolution: number | null;
  rating: number | null;
}

/** What the export says about one conversation, replayed in time order. */
export interface Replayed {
  createdAt: number | null;
  assignee: string;
  firstReplyAt: number | null;
  /** The close that still stands (no reopen after it). */
  closed: { at: number; segment: number; replies: number } | null;
  ratings: { at: number; score: number }[];
}

export function replay(activities: readonly FrontActivity[]): Map<string, Replayed> {
  const ordered = activities.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  const replayed = new Map<string, Replayed>();
  for (const { a } of ordered) {
    let f = replayed.get(a.conversationId);
    if (f === undefined) {
      f = { createdAt: null, assignee: a.assignee, firstReplyAt: null, closed: null, ratings: [] };
      replayed.set(a.conversationId, f);
    }
    f.assignee = a.assignee;
    switch (a.type) {
      case 'Inbound message':
        if (a.isNewConversation && f.createdAt === null) f.createdAt = a.at;
        break;
      case 'Outbound reply':
        if (f.firstReplyAt === null) f.firstReplyAt = a.at;
        break;
      case 'Archive':
        f.closed = { at: a.at, segment: a.segment ?? 0, replies: a.repliesToResolution ?? -1 };
        break;
      case 'Reopen':
        f.closed = null;
        break;
      case 'Survey response':
        if (a.rating !== null) f.ratings.push({ at: a.at, score: a.rating });
        break;
    }
  }
  return replayed;
}

const TYPES = new Set<string>(['Inbound message', 'Outbound reply', 'Archive', 'Reopen', 'Survey response']);
/** A `messages` export has no `Type`: its `Direction` says which kind of message a row is. */
const DIRECTION: Readonly<Record<string, string>> = {
  inbound: 'Inbound message',
  outbound: 'Outbound reply',
};
const MESSAGES_ONLY =
  'a messages export has no archive, reopen or survey rows: export the events type for this number';
const BOOL = { true: true, false: false, '': false } as const;
const RATING = { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5 } as const;

/** A replayed conversation as an imported ticket: open unless its last standing event is an archive. */
function ticketOf(id: string, f: Replayed): ImportedTicket | null {
  if (f.createdAt === null) return null;
  const rating = f.ratings.at(-1);
  const agent = f.assignee === '' ? null : { id: f.assignee.toLowerCase(), name: f.assignee };
  return {
    id,
    createdAt: f.createdAt,
    updatedAt: null,
    firstReplyAt: f.firstReplyAt,
    closedNowAt: f.closed?.at ?? null,
    open: f.closed === null,
    oneTouch: f.closed !== null && f.closed.segment === 1 && f.closed.replies === 1,
    aiResolved: false,
    assignee: agent,
    rating: rating ? { at: rating.at, positive: rating.score >= 4, score: rating.score } : null,
  };
}

export const frontCsv: CsvFormat = {
  id: 'front',
  helpdesk: 'front',
  label: 'Front analytics export (events, or messages)',
  signature: ['type', 'message date', 'segment'],
  // The `messages` type: no `Type` column (https://dev.frontapp.com/reference/analytics, AnalyticsMessagesColumns).
  altSignature: ['direction', 'message date', 'segment', 'new conversation'],
  required: [
    'type (or direction, in a messages export)',
    'conversation api id (or conversation id)',
    'message date',
    'assignee',
    'new conversation',
    'segment',
  ],
  docUrl: 'https://dev.frontapp.com/reference/analytics',
  begin({ timezone }) {
    const activities: FrontActivity[] = [];
    // One row per inbox for a message in several inboxes: count each activity once.
    const seen = new Set<string>();
    let events = false;
    let messagesOnly = false;
    return {
      part(header: Header) {
        const c = (n: string) => column(header, n, 'Front');
        const typed = header.index('type') >= 0 || header.index('direction') < 0;
        messagesOnly ||= !typed;
        const col = {
          // Without either, the missing column named is `Type`, the events export's.
          type: typed ? c('type') : -1,
          direction: typed ? -1 : c('direction'),
          conversation:
            header.index('conversation api id') >= 0 ? c('conversation api id') : c('conversation id'),
          date: c('message date'),
          assignee: c('assignee'),
          isNew: c('new conversation'),
          segment: c('segment'),
          replies: header.index('replies to resolution'),
          rating: header.index('survey rating'),
          activity: [
            header.index('activity id'),
            header.index('activity api id'),
            header.index('message id'),
          ].find((i) => i >= 0),
          autoreply: header.index('autoreply'),
        };
        events ||= col.replies >= 0 && col.rating >= 0;
        const v = new RowValues(header, 'Front');
        return {
          row(fields) {
            v.fields = fields;
            const type =
              col.type >= 0 ? v.raw(col.type) : (DIRECTION[v.raw(col.direction).toLowerCase()] ?? '');
            if (!TYPES.has(type)) return null;
            if (col.activity !== undefined) {
              const key = v.raw(col.activity);
              if (key !== '') {
                if (seen.has(key)) return null;
                seen.add(key);
              }
            }
            // An automatic reply is not a human's first response.
            if (type === 'Outbound reply' && col.autoreply >= 0 && v.flag(col.autoreply) === true)
              return null;
            activities.push({
              type: type as ActivityType,
              conversationId: v.id(col.conversation),
              at: v.timestamp(col.date, timezone) as number,
              assignee: v.raw(col.assignee),
              isNewConversation: v.oneOf(col.isNew, BOOL, 'true or false'),
              segment: v.count(col.segment, type !== 'Archive'),
              repliesToResolution: col.replies < 0 ? null : v.count(col.replies, type !== 'Archive'),
              rating:
                col.rating < 0 || (type !== 'Survey response' && v.raw(col.rating) === '')
                  ? null
                  : v.oneOf(col.rating, RATING, 'a survey rating from 1 to 5'),
            });
            return null;
          },
        };
      },
      finish(sink) {
        for (const [id, f] of replay(activities)) {
          const t = ticketOf(id, f);
          if (t) sink.ticket(t);
          if (f.createdAt !== null) sink.cover(f.createdAt);
        }
        // The fold that follows needs neither (the set holds an id per message of the file).
        activities.length = 0;
        seen.clear();
      },
      caps() {
        const unsupported: Partial<Record<MetricKey, string>> = {};
        if (!events || messagesOnly) {
          const why = messagesOnly
            ? MESSAGES_ONLY
            : 'the export has no "Survey rating" and "Replies to resolution" columns: export the events type';
          for (const k of ['csat', 'csatResponses', 'csatMeanScore', 'oneTouchRate'] as const)
            unsupported[k] = why;
        }
        // Without archive rows every conversation looks open.
        if (messagesOnly)
          for (const k of ['openNow', 'backlogAgeDays'] as const) unsupported[k] = MESSAGES_ONLY;
        return { csatMeanScore: true, deflectionRate: false, unsupported };
      },
      reasons: () => ({}),
      notes: () =>
        messagesOnly
          ? {}
          : {
              openNow:
                'conversations in the file not archived at its end; one with no activity in the range is not in it',
            },
    };
  },
};
