create type provider_id as enum ('intercom', 'front', 'plain', 'zendesk');
create type connection_auth_type as enum ('oauth', 'token');
create type connection_status as enum ('ok', 'needs_reauth', 'degraded');
create type refresh_status as enum ('ok', 'unauthorized', 'rate_limited', 'upstream_unavailable', 'unexpected_response');

-- One row per (workspace, provider). Reconnecting replaces the credential in place, so the row id (and all
-- history keyed by it) survives. Credentials are AES-256-GCM ciphertexts bound by associated data to
-- workspace, provider, row and field (src/lib/keyring.ts); encryption_key_id names the key that sealed them.
create table helpdesk_connections (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  provider provider_id not null,
  auth_type connection_auth_type not null,
  status connection_status not null default 'ok',
  params jsonb not null default '{}',
  account_id text,
  account_name text,
  is_sandbox boolean not null default false,
  encryption_key_id text not null,
  access_token_ct text not null,
  refresh_token_ct text,
  access_token_expires_at timestamptz,
  scope text,
  connected_at timestamptz not null default now(),
  connected_by_user_id text references auth_user ("id") on delete set null,
  token_refreshed_at timestamptz,
  last_refreshed_at timestamptz,
  last_refresh_status refresh_status,
  last_error text,
  updated_at timestamptz not null default now(),
  unique (workspace_id, provider)
);
create index helpdesk_connections_expiry_idx on helpdesk_connections (access_token_expires_at)
  where refresh_token_ct is not null and status <> 'needs_reauth';
create index helpdesk_connections_key_idx on helpdesk_connections (encryption_key_id);

-- OAuth transactions in flight. The state sent to the helpdesk is 256 random bits; only its SHA-256 is stored.
-- Single use (deleted when consumed), 10-minute expiry, bound to workspace + initiator + provider + params.
create table oauth_states (
  state_hash text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  provider provider_id not null,
  user_id text references auth_user ("id") on delete cascade,
  api_key_id text references api_keys (id) on delete cascade,
  params jsonb not null default '{}',
  code_verifier_ct text,
  redirect_uri text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check ((user_id is null) <> (api_key_id is null))
);
create index oauth_states_expiry_idx on oauth_states (expires_at);

create table audit_events (
  id bigserial primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  at timestamptz not null default now(),
  actor_user_id text,
  actor_api_key_id text,
  actor_label text not null,
  action text not null,
  provider provider_id,
  outcome text not null,
  detail text
);
create index audit_events_workspace_idx on audit_events (workspace_id, at desc);
