import { z } from 'zod';

/**
 * Zod for the fields of Plain's GraphQL answers that the metrics read (plain-schema.graphql: `Thread`,
 * `ThreadConnection`, `User`, `SurveyResponse`). Anything else in a body is ignored; a field we read with an
 * unexpected type fails the call as `unexpected_response` instead of turning into a wrong number.
 */

/** `DateTime` is an object; `iso8601` is the documented representation (team-plain/docs graphql/introduction.mdx). */
export const DateTimeSchema = z.object({
  iso8601: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not an ISO 8601 datetime'),
});

const MessageInfoSchema = z.object({ timestamp: DateTimeSchema }).nullable();

const PageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const ThreadNodeSchema = z.object({
  id: z.string(),
  status: z.enum(['TODO', 'SNOOZED', 'DONE']),
  createdAt: DateTimeSchema,
  statusChangedAt: DateTimeSchema,
  // `ThreadAssignee = User | MachineUser | System`: only users are agents.
  assignedTo: z
    .discriminatedUnion('__typename', [
      z.object({ __typename: z.literal('User'), id: z.string() }),
      z.object({ __typename: z.enum(['MachineUser', 'System']) }),
    ])
    .nullable(),
  firstOutboundMessageInfo: MessageInfoSchema,
  lastOutboundMessageInfo: MessageInfoSchema,
  lastInboundMessageInfo: MessageInfoSchema,
  // `rating: Int`; Plain's survey is 1–5 stars [uncertain: docs/metrics/plain.md]. Outside 1–5 is drift.
  surveyResponse: z
    .object({ rating: z.number().int().min(1).max(5).nullable(), respondedAt: DateTimeSchema.nullable() })
    .nullable(),
});
export type ThreadNode = z.infer<typeof ThreadNodeSchema>;

export const UserNodeSchema = z.object({ id: z.string(), fullName: z.string() });
export type UserNode = z.infer<typeof UserNodeSchema>;

/** `{ errors: [{ message, extensions: { code } }] }`: https://www.plain.com/docs/graphql/error-handling */
const GraphQLErrorsSchema = z
  .array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() }))
  .optional();

const ThreadsPageSchema = z.object({
  totalCount: z.number().int().nonnegative(),
  pageInfo: PageInfoSchema,
  edges: z.array(z.object({ node: ThreadNodeSchema })),
});
export type ThreadsPage = z.infer<typeof ThreadsPageSchema>;

export const ThreadsResponseSchema = z.object({
  data: z.object({ threads: ThreadsPageSchema }).nullable().optional(),
  errors: GraphQLErrorsSchema,
});

const UsersPageSchema = z.object({
  pageInfo: PageInfoSchema,
  edges: z.array(z.object({ node: UserNodeSchema })),
});
export type UsersPage = z.infer<typeof UsersPageSchema>;

export const UsersResponseSchema = z.object({
  data: z.object({ users: UsersPageSchema }).nullable().optional(),
  errors: GraphQLErrorsSchema,
});
