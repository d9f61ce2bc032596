-- Outgoing webhooks (src/domain/webhooks.ts, docs/webhooks.md). The signing secret is an AES-256-GCM ciphertext
-- bound by associated data to workspace, endpoint and field (src/lib/keyring.ts); encryption_key_id names the key
-- that sealed it, for `deskpulse keys rotate`.
create table webhook_endpoints (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  url text not null,
  events text[] not null check (cardinality(events) > 0),
  encryption_key_id text not null,
  secret_ct text not null,
  created_by_user_id text references auth_user ("id") on delete set null,
  created_at timestamptz not null default now()
);
create index webhook_endpoints_workspace_idx on webhook_endpoints (workspace_id);
create index webhook_endpoints_key_idx on webhook_endpoints (encryption_key_id);

-- One row per (event, endpoint). `body` is the exact JSON sent, so every retry carries the same bytes and event id.
-- `attempts` is the delivery log: [{at, statusCode, error, durationMs}], appended per attempt. A worker claims a
-- pending delivery by setting lease_until (longer than the 10 s request timeout); the outcome is recorded only by
-- the holder of that lease, so two workers never send the same attempt.
create table webhook_deliveries (
  id text primary key,
  endpoint_id text not null references webhook_endpoints (id) on delete cascade,
  workspace_id text not null references workspaces (id) on delete cascade,
  event_id text not null,
  event_type text not null,
  body text not null,
  state text not null default 'pending' check (state in ('pending', 'succeeded', 'failed')),
  attempts jsonb not null default '[]',
  attempt_count integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  check ((state = 'pending') = (next_attempt_at is not null))
);
create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_workspace_idx on webhook_deliveries (workspace_id);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where state = 'pending';
