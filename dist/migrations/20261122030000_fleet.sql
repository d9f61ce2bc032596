-- Scheduling state per connection (src/domain/schedule.ts). next_refresh_at is when the connection's next slot
-- starts; the minute tick claims due rows with FOR UPDATE SKIP LOCKED, so any number of schedulers can run.
alter table helpdesk_connections
  add column refresh_interval_minutes integer check (refresh_interval_minutes between 5 and 1440),
  add column next_refresh_at timestamptz not null default now(),
  add column failing_since timestamptz,
  add column consecutive_failures integer not null default 0,
  add column touched_at timestamptz;
create index helpdesk_connections_due_idx on helpdesk_connections (next_refresh_at)
  where status <> 'needs_reauth';

alter type refresh_state add value 'retrying' after 'running';

-- A scheduled refresh names its slot; the unique index makes "once per connection per slot" a database fact,
-- whatever number of schedulers, restarts or retries. Manual refreshes have no slot.
alter table metric_refreshes
  add column trigger text not null default 'manual' check (trigger in ('manual', 'schedule')),
  add column slot timestamptz,
  add column attempts integer not null default 0,
  add column next_attempt_at timestamptz,
  add column provider_calls integer not null default 0,
  add column rate_limited_calls integer not null default 0;
create unique index metric_refreshes_slot_idx on metric_refreshes (workspace_id, provider, slot)
  where slot is not null;
create index metric_refreshes_finished_idx on metric_refreshes (finished_at) where finished_at is not null;
-- The scheduler's abandoned-refresh check and the Prometheus gauge read only unfinished or recent rows.
create index metric_refreshes_open_idx on metric_refreshes (state) where state in ('queued', 'running', 'retrying');
create index metric_refreshes_queued_idx on metric_refreshes (queued_at);
