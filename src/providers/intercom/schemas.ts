import { z } from 'zod';

/*
 * Only the fields the metrics read, as the official spec (https://github.com/intercom/Intercom-OpenAPI,
 * descriptions/2.14, the pinned version, and 2.16) types them.
 * Objects are not strict: Intercom adds fields between versions. Every timestamp is UNIX seconds.
 */

const epochSeconds = z.number().int().nonnegative();

// `conversation_statistics` (nullable): the `*_at` fields are absent or null until the event happens.
export const IntercomStatisticsSchema = z
  .object({
    first_admin_reply_at: epochSeconds.nullish(),
    last_admin_reply_at: epochSeconds.nullish(),
    last_close_at: epochSeconds.nullish(),
    count_reopens: z.number().int().nonnegative().nullish(),
  })
  .nullish();

// `conversation_rating` (nullable): `rating` 1–5; `created_at` is when the rating was *requested*,
// `updated_at` when it was last set, i.e. when the contact gave it.
export const IntercomRatingSchema = z
  .object({
    rating: z.number().int().min(1).max(5).nullish(),
    updated_at: epochSeconds.nullish(),
  })
  .nullish();

export const IntercomConversationSchema = z.object({
  id: z.string(),
  created_at: epochSeconds,
  state: z.enum(['open', 'closed', 'snoozed']),
  // Integer admin id; "If it's not assigned to an admin it will return 0" (null seen in the wild too).
  admin_assignee_id: z.number().int().nonnegative().nullish(),
  statistics: IntercomStatisticsSchema,
  conversation_rating: IntercomRatingSchema,
  ai_agent_participated: z.boolean(),
  ai_agent: z.object({ resolution_state: z.string().nullish() }).nullish(),
});
export type IntercomConversation = z.infer<typeof IntercomConversationSchema>;

// `conversation_list` with `cursor_pages`: no `pages.next` on the last page.
export const IntercomConversationListSchema = z.object({
  type: z.literal('conversation.list'),
  conversations: z.array(IntercomConversationSchema),
  total_count: z.number().int().nonnegative(),
  pages: z
    .object({
      next: z.object({ starting_after: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type IntercomConversationList = z.infer<typeof IntercomConversationListSchema>;

// `admin_list`: admin ids are strings, unlike `admin_assignee_id`.
export const IntercomAdminListSchema = z.object({
  type: z.literal('admin.list'),
  admins: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type IntercomAdmin = z.infer<typeof IntercomAdminListSchema>['admins'][number];
