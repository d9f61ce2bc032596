import { z } from 'zod';

/*
 * Only the fields the metrics read (official OAS: https://developer.zendesk.com/zendesk/oas.yaml). A field of the
 * wrong type fails the refresh as unexpected_response instead of turning into a wrong number.
 */

const IsoDate = z.iso.datetime({ offset: true });
const Id = z.number().int();

// Statuses of TicketObject plus `deleted`, which only incremental exports show:
// https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api
export const TicketStatusSchema = z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']);

export const ExportTicketSchema = z.object({
  id: Id,
  created_at: IsoDate,
  status: TicketStatusSchema,
  assignee_id: Id.nullable(),
});
export type ExportTicket = z.infer<typeof ExportTicketSchema>;

// TicketMetricTimeObject: values are null until the event happens.
const MetricTimeSchema = z.object({ calendar: z.number().nullable().optional() });

/** TicketMetricObject, as side-loaded by `include=metric_sets`. */
export const MetricSetSchema = z.object({
  ticket_id: Id,
  replies: z.number().int().nonnegative(),
  reopens: z.number().int().nonnegative(),
  solved_at: IsoDate.nullable(),
  reply_time_in_minutes: MetricTimeSchema.nullable().optional(),
  // "Number of seconds to the first reply during calendar hours, only available for Messaging tickets".
  reply_time_in_seconds: MetricTimeSchema.nullable().optional(),
});
export type MetricSet = z.infer<typeof MetricSetSchema>;

/** CursorBasedExportIncrementalTicketsResponse with the `metric_sets` side-load. */
export const TicketExportPageSchema = z.object({
  tickets: z.array(ExportTicketSchema),
  metric_sets: z.array(MetricSetSchema),
  after_cursor: z.string().nullable(),
  end_of_stream: z.boolean(),
});

export const SearchCountSchema = z.object({ count: z.number().int().nonnegative() });

export const SearchPageSchema = z.object({
  results: z.array(z.object({ id: Id, created_at: IsoDate })),
});

const CursorMetaSchema = z.object({
  has_more: z.boolean(),
  after_cursor: z.string().nullable(),
});

export const SatisfactionRatingSchema = z.object({
  id: Id,
  ticket_id: Id,
  assignee_id: Id.nullable(),
  // `offered`/`unoffered` records carry no answer and are skipped.
  score: z.string(),
  updated_at: IsoDate,
});
export type SatisfactionRating = z.infer<typeof SatisfactionRatingSchema>;

export const SatisfactionRatingsPageSchema = z.object({
  satisfaction_ratings: z.array(SatisfactionRatingSchema),
  meta: CursorMetaSchema,
});

export const UserSchema = z.object({ id: Id, name: z.string() });
export type User = z.infer<typeof UserSchema>;

export const UsersPageSchema = z.object({ users: z.array(UserSchema), meta: CursorMetaSchema });

/** TicketMetricEventBaseObject: only `reply_time` `fulfill` events of instance 1 (the first reply) are kept. */
export const TicketMetricEventSchema = z.object({
  ticket_id: Id,
  metric: z.string(),
  instance_id: z.number().int(),
  type: z.string(),
  time: IsoDate,
});
export type TicketMetricEvent = z.infer<typeof TicketMetricEventSchema>;

/** TicketMetricEventsResponse, time-based: fewer than 1,000 events means the end of the stream. */
export const TicketMetricEventsPageSchema = z.object({
  ticket_metric_events: z.array(TicketMetricEventSchema),
  count: z.number().int().nonnegative(),
  end_time: z.number().int(),
});
