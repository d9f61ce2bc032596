import type { ProviderId } from './helpdesks.ts';

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
  /** How a source measured a metric where that differs from docs/metrics.md (precision, proxies); absent when none. */
  notes?: Partial<Record<MetricKey, string>>;
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

export type SourceKind = 'connection' | 'import';
/** The exports an import reads (docs/csv-import.md). */
export const IMPORT_FORMATS = ['zendesk', 'intercom', 'front', 'generic'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/**
 * Why a source no longer measures: its connection was removed, reconnected to another helpdesk account, or (an
 * import) a later import of the same export continued it.
 */
export type SourceEndReason = 'disconnected' | 'account_changed' | 'superseded';

/** Where a snapshot's numbers come from: one helpdesk account through a connection, or an imported export. */
export interface SnapshotSource {
  id: string;
  kind: SourceKind;
  /** The helpdesk measured; null only for an import of the generic template that names none. */
  provider: ProviderId | null;
  /** The helpdesk account (connections); null for imports. */
  account: { id: string; name: string } | null;
  /** The import that made an import source, and the export format it read. */
  import: { id: string; format: ImportFormat } | null;
  sandbox: boolean;
  createdAt: Date;
  endedAt: Date | null;
  endReason: SourceEndReason | null;
}

/** A stored snapshot row: the rolling windows (`current`) or one completed week (`week:YYYY-MM-DD`). */
export interface StoredSnapshot {
  source: SnapshotSource;
  period: string;
  measuredAt: Date;
  windowFrom: Date | null;
  windowTo: Date | null;
  csatFrom: Date | null;
  metrics: MetricValues;
  notMeasured: NotMeasured;
  notes: Partial<Record<MetricKey, string>>;
  agents: AgentMetrics[] | null;
}
