/**
 * One logical helpdesk dataset, independent of any provider's API shape. Every emulator serves the same dataset
 * in its own shape; the ground truth (ground-truth.ts) computes metrics from it directly. Times are epoch ms.
 */
export interface DatasetAgent {
  id: string; // 'a001' …; each emulator derives its own id format from it
  name: string;
  email: string;
}

export interface DatasetRating {
  /** 1–5 stars. Positive = 4 or 5 everywhere (Zendesk: 4–5 → good, 1–3 → bad; see docs/metrics.md). */
  score: 1 | 2 | 3 | 4 | 5;
  ratedAt: number;
}

export interface DatasetConversation {
  id: string; // 'c000001' …
  createdAt: number;
  /** Current state. `snoozed` counts as open everywhere. */
  status: 'open' | 'snoozed' | 'closed';
  /** Spam or deleted at the helpdesk: excluded from every metric. */
  spam: boolean;
  assigneeId: string | null;
  /** First reply by a human agent; null when no human replied (yet). */
  firstAgentReplyAt: number | null;
  /** Number of human agent replies. */
  agentReplies: number;
  /** Closed by the helpdesk's AI agent with no human reply (Intercom Fin). */
  aiResolved: boolean;
  /** Last time it was closed; null unless status is closed. */
  closedAt: number | null;
  /** Times it was reopened after a close. */
  reopens: number;
  rating: DatasetRating | null;
  updatedAt: number;
}

export interface Dataset {
  seed: number;
  /** The instant the dataset was generated for: nothing happens after it. */
  now: number;
  agents: DatasetAgent[];
  conversations: DatasetConversation[];
}
