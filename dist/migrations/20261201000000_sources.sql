-- Every snapshot knows its source (src/domain/sources.ts): a connection to one helpdesk account, or an import.
-- A connection keeps one source while it measures the same account; reconnecting it to another account ends that
-- source ('account_changed') and starts or resumes the other account's, so two accounts' numbers never mix. A
-- disconnect ends the source ('disconnected'): its history stays readable, marked so in every read.
create table metric_sources (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  kind text not null check (kind in ('connection', 'import')),
  -- The helpdesk measured; null only for imports of the generic template that name none.
  provider provider_id,
  account_id text,
  account_name text,
  connection_id text references helpdesk_connections (id) on delete set null,
  is_sandbox boolean not null default false,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  end_reason text check (end_reason in ('disconnected', 'account_changed', 'superseded')),
  check ((ended_at is null) = (end_reason is null)),
  check (kind = 'import' or provider is not null)
);
create index metric_sources_workspace_idx on metric_sources (workspace_id);
-- A connection measures through one source at a time.
create unique index metric_sources_live_idx on metric_sources (connection_id)
  where connection_id is not null and ended_at is null;

-- Existing history: the connection's account, or an ended source for helpdesks no longer connected.
insert into metric_sources (id, workspace_id, kind, provider, account_id, account_name, connection_id, is_sandbox, created_at)
select 'src_' || substr(md5(c.id), 1, 20), c.workspace_id, 'connection', c.provider, c.account_id, c.account_name,
  c.id, c.is_sandbox, c.connected_at
from helpdesk_connections c;

insert into metric_sources (id, workspace_id, kind, provider, created_at, ended_at, end_reason)
select 'src_' || substr(md5(s.workspace_id || '|' || s.provider), 1, 20), s.workspace_id, 'connection', s.provider,
  min(s.measured_at), max(s.measured_at), 'disconnected'
from metric_snapshots s
where not exists (
  select 1 from helpdesk_connections c where c.workspace_id = s.workspace_id and c.provider = s.provider
)
group by s.workspace_id, s.provider;

alter table metric_snapshots add column source_id text references metric_sources (id) on delete cascade;
update metric_snapshots s set source_id = m.id
from metric_sources m
where m.workspace_id = s.workspace_id and m.provider = s.provider;
alter table metric_snapshots alter column source_id set not null;
alter table metric_snapshots drop constraint metric_snapshots_pkey;
alter table metric_snapshots add primary key (source_id, period);
alter table metric_snapshots alter column provider drop not null;
create index metric_snapshots_workspace_idx on metric_snapshots (workspace_id, period);

-- What failed last, as a column rather than a prefix of last_error: the token step, a metrics refresh, or the
-- idle check. Only a token failure is healed by a token refresh.
alter table helpdesk_connections
  add column last_error_kind text check (last_error_kind in ('token_refresh', 'metrics_refresh', 'idle_check'));
update helpdesk_connections set last_error_kind = case
  when last_error like 'token refresh failed: %' then 'token_refresh'
  when last_error like 'refresh failed: %' then 'metrics_refresh'
  when last_error like 'idle check failed: %' then 'idle_check'
end
where last_error is not null;
