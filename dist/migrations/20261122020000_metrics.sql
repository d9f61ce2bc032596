create type refresh_state as enum ('queued', 'running', 'succeeded', 'failed');

-- One row per refresh request (manual or scheduled), polled by GET /refreshes/:id and the CLI.
create table metric_refreshes (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  provider provider_id not null,
  state refresh_state not null default 'queued',
  requested_by text not null,
  history_weeks integer not null,
  progress_done integer not null default 0,
  progress_total integer,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  error_code text,
  error_detail text
);
create index metric_refreshes_workspace_idx on metric_refreshes (workspace_id, queued_at desc);

-- Snapshots are keyed by (workspace, provider, period), not by connection row, so history outlives a
-- disconnect and reconnect. period = 'current' (rolling windows at measured_at) or 'week:YYYY-MM-DD'.
-- A refresh writes all its rows in one transaction, only after every helpdesk call succeeded.
create table metric_snapshots (
  workspace_id text not null references workspaces (id) on delete cascade,
  provider provider_id not null,
  period text not null check (period = 'current' or period ~ '^week:[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  measured_at timestamptz not null,
  window_from timestamptz,
  window_to timestamptz,
  csat_from timestamptz,
  metrics jsonb not null,
  not_measured jsonb not null default '{}',
  agents jsonb,
  refresh_id text references metric_refreshes (id) on delete set null,
  primary key (workspace_id, provider, period)
);
