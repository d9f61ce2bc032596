import type { DatasetConversation } from './types.ts';

/** A conversation just opened: unassigned, unanswered, unrated, not spam. The generator and tests start here. */
export function openConversation(
  id: string,
  createdAt: number,
  fields: Partial<DatasetConversation> = {},
): DatasetConversation {
  return {
    id,
    createdAt,
    status: 'open',
    spam: false,
    assigneeId: null,
    firstAgentReplyAt: null,
    agentReplies: 0,
    aiResolved: false,
    closedAt: null,
    reopens: 0,
    rating: null,
    updatedAt: createdAt,
    ...fields,
  };
}
