-- A running refresh's heartbeat (src/domain/metrics.ts): written with its progress and on a timer while it runs.
-- One whose heartbeat is older than DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS has lost its worker: the minute
-- tick queues it again (src/domain/schedule.ts), and any job for it may take it over.
alter table metric_refreshes
  add column heartbeat_at timestamptz,
  -- The pg-boss job running the current attempt. pg-boss retrying that same job (its lease ran out) takes the
  -- attempt over; another job finding it running with a live heartbeat leaves it alone.
  add column job_id text;
