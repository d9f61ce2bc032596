import { z } from 'zod';

/*
 * Only the fields the metrics adapter reads, from core-api.json (frontapp/front-api-specs @ f8f5386). Anything
 * else may change without breaking us; these failing to parse is an `unexpected_response`, never a wrong number.
 */

/** Front timestamps are Unix seconds with 3 decimals: https://dev.frontapp.com/reference/introduction */
const FrontTimeSchema = z.number().nonnegative();

/** `listOfTeammates`: one page, no `_pagination`. */
export const TeammatesSchema = z.object({
  _results: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      first_name: z.string(),
      last_name: z.string(),
      is_blocked: z.boolean(),
      type: z.string(),
    }),
  ),
});

/** `listOfConversations` / `listOfConversationSearchResults`. */
export const ConversationPageSchema = z.object({
  _pagination: z.object({ next: z.string().nullish() }).optional(),
  _results: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['archived', 'unassigned', 'deleted', 'assigned']),
      created_at: FrontTimeSchema,
      scheduled_reminders: z.array(z.object({ scheduled_at: FrontTimeSchema.optional() })),
    }),
  ),
});
export type ConversationPage = z.infer<typeof ConversationPageSchema>;

/** `AnalyticsExportResponse`; `url` appears once the export is done. */
export const AnalyticsExportSchema = z.object({
  _links: z.object({ self: z.string().optional() }),
  id: z.string(),
  status: z.enum(['running', 'done', 'too_big', 'failed']),
  progress: z.number().int().min(0).max(100),
  url: z.string().optional(),
});
export type AnalyticsExport = z.infer<typeof AnalyticsExportSchema>;

/** Activity types of the events export this adapter interprets; other types (comments, tags, …) are skipped. */
export const ACTIVITY_TYPES = [
  'Inbound message',
  'Outbound reply',
  'Archive',
  'Reopen',
  'Survey response',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Columns we request from `POST /analytics/exports` (`AnalyticsActivitiesColumns`). */
export const EXPORT_COLUMNS = [
  'Type',
  'Conversation API ID',
  'Message date',
  'Assignee',
  'New Conversation',
  'Segment',
  'Replies to resolution',
  'Survey rating',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

const IntString = z.string().regex(/^\d+$/).transform(Number);
const OptionalInt = z.union([z.literal('').transform(() => null), IntString]);

/** One CSV row of the events export, keyed by column name. */
export const ExportRowSchema = z
  .object({
    Type: z.string(),
    'Conversation API ID': z.string().min(1),
    'Message date': z
      .string()
      .transform((s) => Date.parse(s))
      .refine((ms) => Number.isFinite(ms), 'not a date'),
    Assignee: z.string(),
    'New Conversation': z.enum(['', 'true', 'false']),
    Segment: z.union([z.literal('').transform(() => null), IntString.refine((n) => n >= 1)]),
    'Replies to resolution': OptionalInt,
    'Survey rating': z.union([
      z.literal('').transform(() => null),
      z
        .string()
        .regex(/^[1-5]$/)
        .transform(Number),
    ]),
  })
  .superRefine((row, ctx) => {
    if (row.Type === 'Survey response' && row['Survey rating'] === null) {
      ctx.addIssue({ code: 'custom', path: ['Survey rating'], message: 'survey response without a rating' });
    }
    if (row.Type === 'Archive' && (row.Segment === null || row['Replies to resolution'] === null)) {
      ctx.addIssue({ code: 'custom', path: ['Segment'], message: 'archive without segment or replies' });
    }
  });
export type ExportRow = z.infer<typeof ExportRowSchema>;
