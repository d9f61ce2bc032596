/**
 * The metrics every source produces — a connected helpdesk or an imported export (definitions: docs/metrics.md).
 * `null` always means "not measured", never 0, and `notMeasured` says why.
 */
export const METRIC_KEYS = [
  'weeklyVolume',
  'csat',
  'csatResponses',
  'csatMeanScore',
  'firstResponseSeconds',
  'firstResponseP90Seconds',
  'openNow',
  'backlogAgeDays',
  'oneTouchRate',
  'deflectionRate',
  'utilisation',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricValues = Record<MetricKey, number | null>;
export type NotMeasured = Partial<Record<MetricKey, string>>;

export interface AgentMetrics {
  agentId: string;
  name: string;
  /** Conversations assigned to the agent and created in the last 7 days. */
  tickets: number;
  /** % positive of ratings in the last 30 days on the agent's conversations; null without ratings. */
  csat: number | null;
  csatResponses: number;
  /** Median first response over the agent's conversations created in the last 7 days that got one. */
  firstResponseSeconds: number | null;
}

export interface WeekMetrics {
  /** Monday of the week, YYYY-MM-DD in the workspace's timezone; the week runs Monday 00:00 to Monday 00:00. */
  weekStart: string;
  values: MetricValues;
  notMeasured: NotMeasured;
}

export interface MetricsSnapshot {
  /** The instant the rolling windows end at (ISO). */
  measuredAt: string;
  window: { from: string; to: string; csatFrom: string };
  current: MetricValues;
  notMeasured: NotMeasured;
  agents: AgentMetrics[];
  /** Completed weeks, oldest first; empty unless history was requested. */
  weeks: WeekMetrics[];
}

export interface MetricsRequest {
  now: Date;
  /** IANA timezone of the workspace: weeks are Monday–Sunday there. */
  timezone: string;
  /** Completed weeks of history to compute (0: current values only; 12 on a connection's first refresh). */
  historyWeeks: number;
}

/** How far a long piece of work (a refresh's calls, an import's bytes) has come. */
export interface Progress {
  done: number;
  total?: number | undefined;
}
