-- Manual refresh requests (src/domain/metrics.ts requestRefresh) count a connection's manual refreshes of the last
-- window on every request; this keeps that a short index range however long the refresh log grows.
create index metric_refreshes_manual_idx on metric_refreshes (workspace_id, provider, queued_at)
  where trigger = 'manual';
